import { Button } from 'design-react-kit';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate, formatMoney, formatNumber } from '../../format';
import { t } from '../../i18n';
import { outcomeText } from './parts';
import type { RankingView } from './types';
import { formatMinute } from './when';

const k = () => t.calls.ranking;

/** "Graduatoria provvisoria" or "definitiva". */
export const rankingTitle = (ranking: Pick<RankingView, 'phase'>) =>
  ranking.phase === 'final' ? k().final : k().provisional;

/** Previous and next page, with where the reader is: "Pagina 2 di 5". */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  label,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="d-flex align-items-center gap-3 my-3 calls-pager" aria-label={label}>
      <Button color="primary" outline size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {k().previous}
      </Button>
      <span aria-live="polite">{k().pageOf(page, pages)}</span>
      <Button color="primary" outline size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {k().next}
      </Button>
    </nav>
  );
}

/** Budget, what is awarded, the outcome counts, the approving acts and the appeals deadline. */
function Summary({ ranking }: { ranking: RankingView }) {
  const c = ranking.counts;
  return (
    <ul className="ranking-summary">
      <li>{k().budget(formatMoney(ranking.budgetCents), formatMoney(ranking.awardedCents))}</li>
      <li>
        {k().counts(
          formatNumber(c.funded),
          formatNumber(c.partiallyFunded),
          formatNumber(c.notFunded),
          formatNumber(c.excluded),
        )}
      </li>
      {ranking.acts.map((a) => (
        <li key={`${a.phase}-${a.number}`}>
          {k().act(a.phase === 'final' ? k().final : k().provisional, a.number, formatDate(a.date))}
        </li>
      ))}
      {ranking.phase === 'provisional' && ranking.appealDeadline ? (
        <li>{k().appealUntil(formatMinute(ranking.appealDeadline))}</li>
      ) : null}
    </ul>
  );
}

/**
 * A ranking by protocol number, points, outcome and amount: never a name, so it can be published
 * (the applicant recognises their protocol from the receipt).
 */
export function RankingTable({
  ranking,
  onPage,
  id = 'ranking',
}: {
  ranking: RankingView;
  onPage: (page: number) => void;
  id?: string;
}) {
  return (
    <>
      <Summary ranking={ranking} />
      {ranking.entries.length === 0 ? (
        <p>{k().empty}</p>
      ) : (
        <ResponsiveTable captionId={`${id}-caption`}>
          <table className="table table-sm align-middle ranking-table">
            <caption id={`${id}-caption`}>{`${rankingTitle(ranking)} — ${ranking.code}`}</caption>
            <thead>
              <tr>
                <th scope="col" className="text-end">
                  {k().position}
                </th>
                <th scope="col">{k().protocol}</th>
                <th scope="col" className="text-end">
                  {k().points}
                </th>
                <th scope="col">{k().outcome}</th>
                <th scope="col" className="text-end">
                  {k().amount}
                </th>
              </tr>
            </thead>
            <tbody>
              {ranking.entries.map((e) => (
                <tr key={e.protocol}>
                  <td className="text-end num">{e.position ?? '—'}</td>
                  <th scope="row" className="font-monospace fw-normal">
                    {e.protocol}
                  </th>
                  <td className="text-end num">{e.points}</td>
                  <td>{outcomeText(e.outcome)}</td>
                  <td className="text-end num text-nowrap">{formatMoney(e.awardedCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
      <Pager
        page={ranking.page}
        pageSize={ranking.pageSize}
        total={ranking.total}
        onPage={onPage}
        label={k().pages}
      />
    </>
  );
}
