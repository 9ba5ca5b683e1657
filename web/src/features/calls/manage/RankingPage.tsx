import { useState } from 'react';
import { useParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/QueryState';
import { ResponsiveTable } from '../../../components/ResponsiveTable';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { canManageCalls, canReadApplications } from '../access';
import { useRanking, useRankingChanges } from '../api';
import {
  type CallContext,
  CallFrame,
  CallsBreadcrumb,
  NotYetAvailable,
  outcomeText,
  useNotice,
} from '../parts';
import { RankingTable, rankingTitle } from '../RankingTable';
import type { RankingChange } from '../types';
import { formatMinute } from '../when';
import { BudgetIncreaseForm, ComputeRankingForm } from './RankingForms';

const g = () => t.calls.rankingManage;

function Changes({ items }: { items: RankingChange[] }) {
  if (items.length === 0) return <p>{g().noChanges}</p>;
  return (
    <ResponsiveTable captionId="changes-caption">
      <table className="table table-sm align-middle ranking-changes">
        <caption id="changes-caption">{g().changesCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{g().changedAt}</th>
            <th scope="col">{t.calls.ranking.protocol}</th>
            <th scope="col">{g().from}</th>
            <th scope="col">{g().to}</th>
            <th scope="col">{g().reason}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td className="text-nowrap">{formatMinute(c.changedAt)}</td>
              <th scope="row" className="font-monospace fw-normal">
                {c.protocol}
              </th>
              <td>
                {c.fromOutcome ? outcomeText(c.fromOutcome) : '—'}
                <div className="small num">{formatMoney(c.fromCents)}</div>
              </td>
              <td>
                {outcomeText(c.toOutcome)}
                <div className="small num">{formatMoney(c.toCents)}</div>
              </td>
              <td>{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function Ranking({ ctx }: { ctx: CallContext }) {
  const { call } = ctx;
  const [page, setPage] = useState(1);
  // Nothing to read before the first approval: no request that can only answer 404.
  const approved = call.status === 'ranked' || call.status === 'final';
  const ranking = useRanking(call.id, page, approved);
  const changes = useRankingChanges(call.id);
  const notice = useNotice();
  const manage = canManageCalls(ctx.session, call.ambitoId);
  usePageTitle(`${t.calls.nav.ranking} — ${call.title}`);
  const done = (message: string) => {
    notice.show(message);
    ctx.refetch();
  };
  return (
    <>
      <CallsBreadcrumb
        ambitoId={call.ambitoId}
        items={[{ label: call.title, to: `/bandi/${call.id}` }, { label: t.calls.nav.ranking }]}
      />
      <h1>{t.calls.nav.ranking}</h1>
      <p className="lead">{call.title}</p>
      {manage ? (
        <section className="my-4" aria-labelledby="ranking-manage-title">
          <h2 id="ranking-manage-title" className="h3">
            {g().manageTitle}
          </h2>
          {notice.node}
          {call.status === 'draft' ? (
            <p>{g().draft}</p>
          ) : call.open ? (
            <p>{g().stillOpen}</p>
          ) : call.status === 'final' ? (
            <p>{g().isFinal}</p>
          ) : (
            // Remounted when the call moves on, so the phase offered is the next one.
            <ComputeRankingForm key={call.status} call={call} onDone={done} />
          )}
          {call.status === 'ranked' || call.status === 'final' ? (
            <BudgetIncreaseForm call={call} onDone={done} />
          ) : null}
        </section>
      ) : null}
      <section className="my-4" aria-labelledby="ranking-list-title">
        <h2 id="ranking-list-title" className="h3">
          {ranking.data ? rankingTitle(ranking.data) : g().rankingTitle}
        </h2>
        {!approved ? (
          <NotYetAvailable text={g().none} />
        ) : ranking.isPending ? (
          <Loading />
        ) : ranking.isError ? (
          <ErrorState error={ranking.error} onRetry={() => ranking.refetch()} />
        ) : ranking.data ? (
          <RankingTable ranking={ranking.data} onPage={setPage} id="staff-ranking" />
        ) : (
          <NotYetAvailable text={g().none} />
        )}
      </section>
      <section className="my-4" aria-labelledby="changes-title">
        <h2 id="changes-title" className="h3">
          {g().changesTitle}
        </h2>
        {changes.isPending ? (
          <Loading />
        ) : changes.isError ? (
          <ErrorState error={changes.error} onRetry={() => changes.refetch()} />
        ) : changes.data === null ? (
          <NotYetAvailable text={g().changesUnavailable} />
        ) : (
          <Changes items={changes.data} />
        )}
      </section>
    </>
  );
}

/** /bandi/:callId/graduatoria: the ranking, its computation, the budget and the changes of award. */
export function RankingPage() {
  const { callId = '' } = useParams();
  return (
    <CallFrame callId={callId} allow={(s, call) => canReadApplications(s, call.ambitoId)}>
      {(ctx) => <Ranking ctx={ctx} />}
    </CallFrame>
  );
}
