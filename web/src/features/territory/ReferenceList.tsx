import type { AmbitoSummary } from '../../api/types';
import { t } from '../../i18n';

/** Capofila and the health bodies an Ambito answers to, as a description list. */
export function ReferenceList({ ambito, className }: { ambito: AmbitoSummary; className?: string }) {
  const rows: Array<[string, string | null]> = [
    [t.ambiti.capofila, ambito.capofila?.name ?? null],
    [t.ambiti.ats, ambito.ats],
    [t.ambiti.asst, ambito.asst],
    [t.ambiti.district, ambito.district],
  ];
  return (
    <dl className={['reference-list', className].filter(Boolean).join(' ')}>
      {rows.map(([label, value]) => (
        <div key={label} className="reference-list-row">
          <dt>{label}</dt>
          <dd>{value ?? <span className="text-secondary">{t.state.notAvailable}</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
