import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { NotFoundPage } from '../../components/NotFoundPage';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatMoney, formatNumber } from '../../format';
import { t } from '../../i18n';
import { useSession } from '../identity/api';
import { useAmbito } from '../territory/api';
import { canManageCalls } from './access';
import { useCalls } from './api';
import { CallStateBadge, CallsBreadcrumb } from './parts';
import type { CallView } from './types';
import { formatMinute } from './when';

function CallsTable({ calls, caption, office }: { calls: CallView[]; caption: string; office: boolean }) {
  return (
    <ResponsiveTable captionId="calls-caption">
      <table className="table align-middle calls-table">
        <caption id="calls-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.calls.title}</th>
            <th scope="col">{t.calls.window}</th>
            <th scope="col">{t.calls.state}</th>
            <th scope="col" className="text-end">
              {t.calls.budget}
            </th>
            {office ? (
              <th scope="col" className="text-end">
                {t.calls.applicationsCount}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id}>
              <th scope="row" className="fw-normal">
                <Link to={`/bandi/${c.id}`}>{c.title}</Link>
                <div className="small text-secondary font-monospace">{c.code}</div>
              </th>
              <td className="text-nowrap">
                {t.calls.from(formatMinute(c.opensAt))}
                <br />
                {t.calls.to(formatMinute(c.closesAt))}
              </td>
              <td>
                <CallStateBadge call={c} />
              </td>
              <td className="text-end num text-nowrap">{formatMoney(c.budgetCents)}</td>
              {office ? <td className="text-end num">{formatNumber(c.applications ?? 0)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

/** The calls of an Ambito: published ones for everybody, drafts too for its Ufficio di Piano. */
export function CallsListPage() {
  const { id = '' } = useParams();
  const calls = useCalls(id);
  const ambito = useAmbito(id);
  const session = useSession();
  const office = canManageCalls(session.data, id);
  const name = ambito.data?.name ?? t.calls.ambito;
  usePageTitle(`${t.calls.listTitle} — ${name}`);
  if (calls.isError) {
    if (calls.error instanceof ApiError && (calls.error.isNotFound || calls.error.status === 400))
      return <NotFoundPage title={t.ambito.notFoundTitle} text={t.ambito.notFoundText} />;
    return <ErrorState error={calls.error} heading="h1" onRetry={() => calls.refetch()} />;
  }
  return (
    <>
      <CallsBreadcrumb ambitoId={id} items={[]} />
      <h1>{t.calls.listTitle}</h1>
      <p className="lead">{t.calls.listLead(name)}</p>
      {office ? (
        <p>
          <Link to={`/ambiti/${id}/bandi/nuovo`} className="btn btn-primary btn-sm">
            {t.calls.newCall}
          </Link>
        </p>
      ) : null}
      {calls.isPending ? (
        <Loading />
      ) : calls.data.length === 0 ? (
        <p className="calls-empty">{t.calls.listEmpty}</p>
      ) : (
        <CallsTable calls={calls.data} caption={t.calls.listCaption(name)} office={office} />
      )}
    </>
  );
}
