import { Button } from 'design-react-kit';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { SelectField } from '../../../components/FormField';
import { ErrorState, Loading } from '../../../components/QueryState';
import { ResponsiveTable } from '../../../components/ResponsiveTable';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatMoney, formatNumber } from '../../../format';
import { t } from '../../../i18n';
import { canReadApplications, canSubmitFor } from '../access';
import { useApplications } from '../api';
import {
  ApplicationStatusBadge,
  type CallContext,
  CallFrame,
  CallsBreadcrumb,
  NotYetAvailable,
} from '../parts';
import { Pager } from '../RankingTable';
import { APPLICATION_STATUSES, type ApplicationItem } from '../types';
import { formatMillis } from '../when';

const a = () => t.calls.apps;

/** The reasons an application does not meet the requirements, from their codes. */
const reasonText = (code: string) => {
  const known = t.calls.apps.reasons as Record<string, string>;
  return known[code] ?? (code.startsWith('condition.') ? t.calls.apps.reasons.condition : code);
};

/** The status filter, applied with a button (changing a select does not reload by itself). */
function Filters({ status, onApply }: { status: string; onApply: (s: string) => void }) {
  const [s, setS] = useState(status);
  useEffect(() => setS(status), [status]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(s);
  };
  return (
    <form
      className="row align-items-end mb-3 applications-filters"
      onSubmit={submit}
      aria-label={a().filters}
    >
      <SelectField
        id="apps-status"
        label={a().status}
        className="col-sm-6 col-lg-4"
        value={s}
        onChange={(e) => setS(e.target.value)}
      >
        <option value="">{a().allStatuses}</option>
        {APPLICATION_STATUSES.map((x) => (
          <option key={x} value={x}>
            {t.calls.statuses[x]}
          </option>
        ))}
      </SelectField>
      <div className="col-sm-3 col-lg-2 mb-4">
        <Button type="submit" color="primary" outline size="sm">
          {a().apply}
        </Button>
      </div>
    </form>
  );
}

function Table({ callId, items, caption }: { callId: string; items: ApplicationItem[]; caption: string }) {
  return (
    <ResponsiveTable captionId="apps-caption">
      <table className="table table-sm align-middle applications-table">
        <caption id="apps-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{a().protocol}</th>
            <th scope="col">{a().receivedAt}</th>
            <th scope="col">{a().applicant}</th>
            <th scope="col">{a().status}</th>
            <th scope="col">{a().requirements}</th>
            <th scope="col" className="text-end">
              {a().points}
            </th>
            <th scope="col" className="text-end">
              {a().amount}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x.id}>
              <th scope="row" className="font-monospace fw-normal text-nowrap">
                <Link to={`/bandi/${callId}/domande/${x.id}`} aria-label={a().open(x.protocol)}>
                  {x.protocol}
                </Link>
              </th>
              <td className="text-nowrap">{formatMillis(x.receivedAt)}</td>
              <td>
                {'pseudonym' in x.applicant ? (
                  <span className="font-monospace">{x.applicant.pseudonym}</span>
                ) : (
                  <>
                    {x.applicant.name}
                    <div className="small font-monospace">{x.applicant.codiceFiscale}</div>
                  </>
                )}
              </td>
              <td>
                <ApplicationStatusBadge status={x.status} />
                {x.contest ? (
                  <div className="small mt-1 application-contest">
                    <span className="badge bg-warning text-dark">{t.calls.apps.contested}</span>
                    {x.contest.note ? <div>{x.contest.note}</div> : null}
                  </div>
                ) : null}
              </td>
              <td>
                {x.eligibility.eligible ? a().eligible : a().notEligible}
                {x.eligibility.reasons.length ? (
                  <div className="small">{x.eligibility.reasons.map(reasonText).join('; ')}</div>
                ) : null}
              </td>
              <td className="text-end num">{formatNumber(x.points)}</td>
              <td className="text-end num text-nowrap">{formatMoney(x.amountCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function Applications({ ctx }: { ctx: CallContext }) {
  const { call } = ctx;
  const [params, setParams] = useSearchParams();
  const status = params.get('stato') ?? '';
  const raw = Number(params.get('pagina'));
  const page = Number.isInteger(raw) && raw > 0 ? raw : 1;
  const list = useApplications(call.id, { status: status || undefined, page });
  usePageTitle(`${a().title} — ${call.title}`);
  const go = (s: string, p = 1) => {
    const next = new URLSearchParams();
    if (s) next.set('stato', s);
    if (p > 1) next.set('pagina', String(p));
    setParams(next);
  };
  const data = list.data;
  return (
    <>
      <CallsBreadcrumb
        ambitoId={call.ambitoId}
        items={[{ label: call.title, to: `/bandi/${call.id}` }, { label: a().title }]}
      />
      <h1>{a().title}</h1>
      <p className="lead">{call.title}</p>
      {canSubmitFor(ctx.session, call.ambitoId) && call.open ? (
        <p>
          <Link to={`/bandi/${call.id}/domanda`} className="btn btn-outline-primary btn-sm">
            {t.calls.page.applyFor}
          </Link>
        </p>
      ) : null}
      <Filters status={status} onApply={(s) => go(s)} />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : data === null || data === undefined ? (
        <NotYetAvailable text={a().unavailable} />
      ) : data.total === 0 ? (
        <p className="calls-empty">{status ? a().noneMatching : a().none}</p>
      ) : (
        <>
          <p>{a().count(data.total)}</p>
          {data.view === 'pseudonymised' ? <p className="alert alert-info">{a().pseudonymised}</p> : null}
          <Table callId={call.id} items={data.items} caption={a().caption(call.code)} />
          <Pager
            page={data.page}
            pageSize={data.pageSize}
            total={data.total}
            onPage={(p) => go(status, p)}
            label={a().pages}
          />
        </>
      )}
    </>
  );
}

/** /bandi/:callId/domande: the Ufficio di Piano's (and auditors') list of a call's applications. */
export function ApplicationsPage() {
  const { callId = '' } = useParams();
  return (
    <CallFrame callId={callId} allow={(s, call) => canReadApplications(s, call.ambitoId)}>
      {(ctx) => <Applications ctx={ctx} />}
    </CallFrame>
  );
}
