import { Link } from 'react-router';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate, formatMoney } from '../../format';
import { t } from '../../i18n';
import { RequireSession } from '../identity/RequireSession';
import { receiptPdfUrl, useMyApplications } from './api';
import { ApplicationStatusBadge, NotYetAvailable, outcomeText } from './parts';
import type { OwnApplication } from './types';
import { formatMillis } from './when';

const m = () => t.calls.mine;

function Row({ a }: { a: OwnApplication }) {
  const { callId, applicationId } = a;
  const receipt = `/bandi/${callId}/domande/${applicationId}/ricevuta`;
  const place = a.ranking;
  return (
    <tr>
      <th scope="row" className="fw-normal">
        <Link to={`/bandi/${callId}`}>{a.call.title}</Link>
        <div className="small text-secondary font-monospace">{a.call.code}</div>
      </th>
      <td className="font-monospace text-nowrap">{a.protocol}</td>
      <td className="text-nowrap">{formatMillis(a.receivedAt)}</td>
      <td>
        <ApplicationStatusBadge status={a.status} />
        {a.statusReason ? <div className="small mt-1">{a.statusReason}</div> : null}
        {a.integrationDue ? (
          <div className="small">{m().integrationDue(formatDate(a.integrationDue))}</div>
        ) : null}
      </td>
      <td>
        {place ? (
          <>
            {outcomeText(place.outcome)}
            <div className="small">
              {m().place(
                place.phase === 'final' ? t.calls.ranking.final : t.calls.ranking.provisional,
                place.position,
              )}
            </div>
          </>
        ) : (
          m().noOutcome
        )}
      </td>
      <td className="text-end num text-nowrap">{place ? formatMoney(place.awardedCents) : '—'}</td>
      <td>
        <Link to={receipt}>
          {m().receipt}
          <span className="visually-hidden"> {m().openReceipt(a.protocol)}</span>
        </Link>
        <br />
        {/* The visible word first, then what it is for: the name starts with what is seen (WCAG 2.5.3). */}
        <a href={receiptPdfUrl(callId, applicationId)} download>
          {m().pdf}
          <span className="visually-hidden"> {m().pdfOf(a.protocol)}</span>
        </a>
      </td>
    </tr>
  );
}

function Mine() {
  const mine = useMyApplications();
  usePageTitle(m().title);
  return (
    <>
      <PageBreadcrumb items={[{ label: t.nav.ambiti, to: '/ambiti' }, { label: m().title }]} />
      <h1>{m().title}</h1>
      <p className="lead">{m().lead}</p>
      {mine.isPending ? (
        <Loading />
      ) : mine.isError ? (
        <ErrorState error={mine.error} onRetry={() => mine.refetch()} />
      ) : mine.data === null ? (
        <NotYetAvailable text={m().unavailable} />
      ) : mine.data.length === 0 ? (
        <p className="calls-empty">{m().empty}</p>
      ) : (
        <ResponsiveTable captionId="mine-caption">
          <table className="table align-middle my-applications">
            <caption id="mine-caption">{m().caption}</caption>
            <thead>
              <tr>
                <th scope="col">{m().call}</th>
                <th scope="col">{m().protocol}</th>
                <th scope="col">{m().receivedAt}</th>
                <th scope="col">{m().status}</th>
                <th scope="col">{m().outcome}</th>
                <th scope="col" className="text-end">
                  {m().amount}
                </th>
                <th scope="col">{m().receipt}</th>
              </tr>
            </thead>
            <tbody>
              {mine.data.map((a) => (
                <Row key={a.applicationId} a={a} />
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
    </>
  );
}

/** /le-mie-domande: the applications of the logged-in person, with status, outcome and receipts. */
export function MyApplicationsPage() {
  return <RequireSession allow={() => true}>{() => <Mine />}</RequireSession>;
}
