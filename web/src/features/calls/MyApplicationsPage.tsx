import { Button } from 'design-react-kit';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate, formatMoney } from '../../format';
import { t } from '../../i18n';
import { RequireSession } from '../identity/RequireSession';
import { receiptPdfUrl, useContest, useMyApplications, useWithdraw } from './api';
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
      <td>
        <Beneficiary a={a} />
      </td>
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

/** For whom the application is, and who filed it: the person themself or someone for them. */
function Beneficiary({ a }: { a: OwnApplication }) {
  if (a.forMe && !a.filedByMe)
    return (
      <>
        {m().forMe}
        <div className="small">{m().forMeBy(m().filedAs[a.relationship])}</div>
      </>
    );
  return (
    <>
      {a.forMe ? m().forMe : a.beneficiary.name}
      <div className="small">{m().byMeAs[a.relationship]}</div>
    </>
  );
}

/**
 * An application someone else filed in the person's name: they may withdraw it, or tell the
 * office what is wrong with it (once).
 */
function OnMyBehalf({ a }: { a: OwnApplication }) {
  const withdraw = useWithdraw(a.callId, a.applicationId);
  const contest = useContest(a.callId, a.applicationId);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>();
  const id = `contest-${a.applicationId}`;
  const live = a.status !== 'withdrawn';
  const onContest = (e: FormEvent) => {
    e.preventDefault();
    if (note.trim().length < 10) {
      setNoteError(m().contestTooShort);
      return;
    }
    setNoteError(undefined);
    contest.mutate({ note: note.trim() }, { onError: (err) => setNoteError(errorMessage(err)) });
  };
  return (
    <section className="card-wrapper card-space mb-4 on-my-behalf" aria-labelledby={`${id}-title`}>
      <div className="card card-bg">
        <div className="card-body">
          <h3 id={`${id}-title`} className="h5 card-title">
            {a.call.title} — <span className="font-monospace">{a.protocol}</span>
          </h3>
          <p>
            {m().forMeBy(m().filedAs[a.relationship])}. <ApplicationStatusBadge status={a.status} />
          </p>
          {live ? (
            <p>
              <Button
                color="secondary"
                outline
                size="sm"
                disabled={withdraw.isPending}
                onClick={() => {
                  if (window.confirm(m().withdrawConfirm)) withdraw.mutate(undefined);
                }}
              >
                {m().withdraw}
                <span className="visually-hidden"> {a.protocol}</span>
              </Button>
            </p>
          ) : null}
          <div role="status" className="small">
            {withdraw.isSuccess ? m().withdrawn : withdraw.isError ? errorMessage(withdraw.error) : ''}
          </div>
          {a.contestedAt ? (
            <p className="mb-0">{m().contested(formatMillis(a.contestedAt))}</p>
          ) : live ? (
            <form onSubmit={onContest} noValidate>
              <div className="form-group mb-2">
                <label htmlFor={id} className="active">
                  {m().contestNote}
                </label>
                <textarea
                  id={id}
                  className={`form-control${noteError ? ' is-invalid' : ''}`}
                  rows={3}
                  maxLength={2000}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  aria-invalid={noteError ? true : undefined}
                  aria-describedby={`${id}-hint${noteError ? ` ${id}-error` : ''}`}
                />
                <small id={`${id}-hint`} className="form-text">
                  {m().contestHint}
                </small>
                {noteError ? (
                  <div id={`${id}-error`} className="invalid-feedback d-block">
                    {noteError}
                  </div>
                ) : null}
              </div>
              <Button type="submit" color="primary" size="sm" disabled={contest.isPending}>
                {m().contestSend}
              </Button>
            </form>
          ) : null}
        </div>
      </div>
    </section>
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
                <th scope="col">{m().beneficiary}</th>
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
      {mine.data?.some((a) => a.forMe && !a.filedByMe) ? (
        <>
          <h2 className="h4 mt-4">{m().onMyBehalfTitle}</h2>
          <p>{m().onMyBehalfLead}</p>
          {mine.data
            .filter((a) => a.forMe && !a.filedByMe)
            .map((a) => (
              <OnMyBehalf key={a.applicationId} a={a} />
            ))}
        </>
      ) : null}
    </>
  );
}

/** /le-mie-domande: the applications of the logged-in person, with status, outcome and receipts. */
export function MyApplicationsPage() {
  return <RequireSession allow={() => true}>{() => <Mine />}</RequireSession>;
}
