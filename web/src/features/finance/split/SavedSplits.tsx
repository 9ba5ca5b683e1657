import { ErrorState, Loading } from '../../../components/QueryState';
import { formatDate, formatDateTime, formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useSplits } from '../api';
import { ruleText } from './rule';
import { SplitTable } from './SplitTable';

/** The splits the Assemblea approved for the year, each with its deliberation and its shares. */
export function SavedSplits({ ambitoId, year }: { ambitoId: string; year: number }) {
  const splits = useSplits(ambitoId, year);
  return (
    <section className="my-5" aria-labelledby="saved-splits-title">
      <h2 id="saved-splits-title" className="h3">
        {t.finance.split.savedTitle(year)}
      </h2>
      {splits.isPending ? (
        <Loading />
      ) : splits.isError ? (
        <ErrorState error={splits.error} onRetry={() => splits.refetch()} />
      ) : splits.data.length === 0 ? (
        <p className="finance-empty">{t.finance.split.noSaved}</p>
      ) : (
        <ul className="list-unstyled saved-splits">
          {splits.data.map((sp) => (
            <li key={sp.id} className="border rounded p-3 mb-3">
              <h3 className="h5 mb-1">
                {t.finance.split.savedItem(sp.fundCode, formatMoney(sp.totalCents))}
              </h3>
              <p className="mb-1">{ruleText(sp.rule)}</p>
              <p className="small text-secondary mb-2">
                {t.finance.split.approvedBy(sp.act.number, formatDate(sp.act.date), sp.act.subject)}
                {' — '}
                {t.finance.split.savedBy(sp.createdBy, formatDateTime(sp.createdAt))}
              </p>
              <details>
                <summary>{t.finance.split.showShares}</summary>
                <SplitTable
                  id={`saved-${sp.id}`}
                  split={sp}
                  kind={sp.rule.kind}
                  caption={t.finance.split.savedCaption(sp.fundCode, year)}
                />
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
