import type { AmbitoComune } from '../../api/types';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import { ProvinceAbbr } from './ComuniTable';

/** Every membership with an end date: past ones and current ones already scheduled to end. */
export function MembershipHistory({ memberships }: { memberships: AmbitoComune[] }) {
  const ended = memberships
    .filter((m) => m.validTo !== null)
    .sort((a, b) => (b.validTo ?? '').localeCompare(a.validTo ?? '') || a.name.localeCompare(b.name, 'it'));
  if (ended.length === 0) return null;

  return (
    <section className="mt-5" aria-labelledby="history-title">
      <h2 id="history-title" className="h3">
        {t.ambito.historyTitle}
      </h2>
      <p>{t.ambito.historyLead}</p>
      <ResponsiveTable captionId="history-caption">
        <table className="table align-middle">
          <caption id="history-caption">{t.ambito.historyCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.ambito.istat}</th>
              <th scope="col">{t.ambito.comune}</th>
              <th scope="col">{t.ambito.province}</th>
              <th scope="col">{t.ambito.validFrom}</th>
              <th scope="col">{t.ambito.validTo}</th>
            </tr>
          </thead>
          <tbody>
            {ended.map((m) => (
              <tr key={`${m.istatCode}-${m.validFrom}`}>
                <td className="font-monospace">{m.istatCode}</td>
                <th scope="row" className="fw-semibold">
                  {m.name}
                </th>
                <td>
                  <ProvinceAbbr comune={m} />
                </td>
                <td>{formatDate(m.validFrom)}</td>
                <td>{m.validTo ? formatDate(m.validTo) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ResponsiveTable>
    </section>
  );
}
