import { Button } from 'design-react-kit';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useSession } from '../identity/api';
import { FormError } from '../plan/manage/shared';
import { canApply, canManageCalls, canReadApplications, canSubmitFor, isCitizen } from './access';
import { usePublishCall, useRanking } from './api';
import {
  approvalText,
  type CallContext,
  CallFrame,
  CallStateBadge,
  CallsBreadcrumb,
  callPhase,
  useNotice,
} from './parts';
import { RankingTable, rankingTitle } from './RankingTable';
import { Requirements } from './Requirements';
import type { CallView } from './types';

/** How to apply, and whether one can now: the first thing a citizen looks for. */
function ApplyBox({ call }: { call: CallView }) {
  const session = useSession();
  const phase = callPhase(call);
  const s = session.data;
  const to = `/bandi/${call.id}/domanda`;
  return (
    // Not the kit's Alert (role="alert"): the state is read with the page, not shouted over it.
    <div className={`alert ${phase === 'open' ? 'alert-success' : 'alert-info'} call-apply`}>
      <p className="mb-2">
        <CallStateBadge call={call} />
      </p>
      {phase === 'open' ? (
        <>
          <p className="mb-2">{t.calls.page.openText}</p>
          {!s || isCitizen(s) ? (
            <Link to={to} className="btn btn-primary btn-sm apply-link">
              {t.calls.page.apply}
            </Link>
          ) : null}
          {canSubmitFor(s, call.ambitoId) ? (
            <Link to={to} className="btn btn-outline-primary btn-sm ms-2 apply-for-link">
              {t.calls.page.applyFor}
            </Link>
          ) : null}
          {s && !canApply(s, call.ambitoId) ? (
            <p className="small mb-0 mt-2">{t.calls.page.noApply}</p>
          ) : null}
          {!s ? <p className="small mb-0 mt-2">{t.calls.page.loginHint}</p> : null}
        </>
      ) : (
        <p className="mb-0">{t.calls.page.phaseText[phase]}</p>
      )}
    </div>
  );
}

/** The office's way to the applications, the ranking and the payments; and publishing a draft. */
function OfficeBox({ call, refetch }: { call: CallView; refetch: () => void }) {
  const session = useSession();
  const publish = usePublishCall(call.id);
  const notice = useNotice();
  const manage = canManageCalls(session.data, call.ambitoId);
  if (!canReadApplications(session.data, call.ambitoId)) return null;
  const links = [
    { to: `/bandi/${call.id}/domande`, label: t.calls.nav.applications },
    { to: `/bandi/${call.id}/graduatoria`, label: t.calls.nav.ranking },
    { to: `/bandi/${call.id}/liquidazioni`, label: t.calls.nav.payments },
  ];
  return (
    <section className="my-4 border rounded p-3 call-office" aria-labelledby="office-title">
      <h2 id="office-title" className="h4">
        {t.calls.page.officeTitle}
      </h2>
      {notice.node}
      {call.applications !== null ? <p>{t.calls.page.received(call.applications)}</p> : null}
      <ul className="list-inline mb-2">
        {links.map((l) => (
          <li key={l.to} className="list-inline-item me-3">
            <Link to={l.to}>{l.label}</Link>
          </li>
        ))}
      </ul>
      {manage && call.status === 'draft' ? (
        <>
          <p className="small">{t.calls.page.publishHint}</p>
          <Button
            color="primary"
            size="sm"
            disabled={publish.isPending}
            onClick={() =>
              publish.mutate(undefined, {
                onSuccess: () => {
                  notice.show(t.calls.page.published);
                  refetch();
                },
              })
            }
          >
            {t.calls.page.publish}
          </Button>
          <FormError error={publish.error} />
        </>
      ) : null}
    </section>
  );
}

function PublishedRanking({ call }: { call: CallView }) {
  const ranked = call.status === 'ranked' || call.status === 'final';
  const [page, setPage] = useState(1);
  const ranking = useRanking(call.id, page, ranked);
  if (!ranked || !ranking.data) return null;
  return (
    <section className="my-5" aria-labelledby="ranking-title">
      <h2 id="ranking-title" className="h3">
        {rankingTitle(ranking.data)}
      </h2>
      <p>{t.calls.ranking.publicNote}</p>
      <RankingTable ranking={ranking.data} onPage={setPage} />
    </section>
  );
}

function CallDetails({ ctx }: { ctx: CallContext }) {
  const { call } = ctx;
  usePageTitle(call.title);
  return (
    <>
      <CallsBreadcrumb ambitoId={call.ambitoId} items={[{ label: call.title }]} />
      <p className="card-meta mb-1">
        {t.calls.code} <span className="font-monospace">{call.code}</span>
      </p>
      <h1 className="mb-3">{call.title}</h1>
      {call.description ? <p className="lead">{call.description}</p> : null}
      <p className="small text-secondary">{approvalText(call)}</p>
      <ApplyBox call={call} />
      <OfficeBox call={call} refetch={ctx.refetch} />
      <Requirements call={call} />
      <PublishedRanking call={call} />
    </>
  );
}

export function CallPage() {
  const { callId = '' } = useParams();
  return <CallFrame callId={callId}>{(ctx) => <CallDetails ctx={ctx} />}</CallFrame>;
}
