import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/QueryState';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate, formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { canManageCalls, canReadApplications } from '../access';
import { attachmentUrl, receiptPdfUrl, useApplication, useReceipt } from '../api';
import {
  ApplicationStatusBadge,
  type CallContext,
  CallError,
  CallFrame,
  CallsBreadcrumb,
  Facts,
  NotYetAvailable,
  outcomeText,
  useNotice,
} from '../parts';
import { conditionLabel } from '../Requirements';
import type { ApplicantData, ApplicationDetail, CallView } from '../types';
import { formatMillis, formatMinute } from '../when';
import { isPseudonymised, PurposeForm, pseudonymisedRows } from './PseudonymisedView';
import { ReviewForm } from './ReviewForm';

const d = () => t.calls.detail;

/** "condition.caregiver_familiare" → the call's words for it; isee, household, age as such. */
function criterionLabel(call: CallView, criterion: string): string {
  const [kind, code = ''] = criterion.split('.');
  if (kind === 'condition') return conditionLabel(call.rules, code);
  // A pseudonymised view says that a disability scored, not which one.
  if (kind === 'disability' && !code) return d().criteria.disability;
  if (kind === 'disability') return t.calls.disabilities[code as keyof typeof t.calls.disabilities] ?? code;
  return d().criteria[kind as keyof ReturnType<typeof d>['criteria']] ?? criterion;
}

function applicantRows(app: ApplicationDetail, p: ApplicantData): Array<[string, string]> {
  const res = app.residence;
  return [
    [d().applicant, `${p.firstName} ${p.lastName}`],
    [d().codiceFiscale, p.codiceFiscale],
    [d().birthDate, `${formatDate(p.birthDate)} (${p.birthPlace})`],
    [d().residence, `${res.comune ?? res.istatCode}, ${p.address}`],
    [d().isee, `${t.calls.iseeTypes[p.isee.type]}: ${formatMoney(p.isee.valueCents)}`],
    [d().dsu, `${p.isee.dsuProtocol} (${formatDate(p.isee.dsuDate)})`],
    [d().household, String(p.householdMembers)],
    [d().iban, p.iban],
  ];
}

function Details({ call, app, purpose }: { call: CallView; app: ApplicationDetail; purpose?: string }) {
  const p = app.applicant;
  const res = app.residence;
  const rows: Array<[string, string]> = [
    [d().receivedAt, formatMillis(app.receivedAt)],
    ...(isPseudonymised(p) ? pseudonymisedRows(app, p) : applicantRows(app, p)),
    [d().points, String(app.points)],
    [d().amount, formatMoney(app.amountCents)],
    ...(app.onBehalf ? [[d().submittedBy, d().onBehalf] as [string, string]] : []),
    ...(app.reviewedBy && app.reviewedAt
      ? [[d().reviewed, d().reviewedText(app.reviewedBy, formatMinute(app.reviewedAt))] as [string, string]]
      : []),
    ...(app.ranking
      ? [
          [d().ranking, `${outcomeText(app.ranking.outcome)}, ${formatMoney(app.ranking.awardedCents)}`] as [
            string,
            string,
          ],
        ]
      : []),
  ];
  return (
    <>
      <Facts rows={rows} />
      {app.statusReason ? <p>{d().reason(app.statusReason)}</p> : null}
      {app.integrationDue ? <p>{d().due(formatDate(app.integrationDue))}</p> : null}
      <section className="mb-4" aria-labelledby="eligibility-title">
        <h2 id="eligibility-title" className="h4">
          {d().eligibilityTitle}
        </h2>
        {app.eligibility.eligible ? (
          <p>{d().eligible}</p>
        ) : (
          <ul>
            {app.eligibility.reasons.map((r) => (
              <li key={r.code}>{r.message}</li>
            ))}
          </ul>
        )}
        <p className="small">
          {res.now ? d().residenceNow(formatDate(res.on)) : d().residenceNotNow(formatDate(res.on))}
        </p>
      </section>
      <section className="mb-4" aria-labelledby="score-title">
        <h2 id="score-title" className="h4">
          {d().scoreTitle}
        </h2>
        <ul>
          {app.score.map((x) => (
            <li key={x.criterion}>{d().scoreLine(criterionLabel(call, x.criterion), x.points)}</li>
          ))}
        </ul>
      </section>
      {isPseudonymised(p) ? null : (
        <section className="mb-4" aria-labelledby="attachments-title">
          <h2 id="attachments-title" className="h4">
            {d().attachmentsTitle}
          </h2>
          {app.attachments.length === 0 ? (
            <p>{d().noAttachments}</p>
          ) : (
            <ul>
              {app.attachments.map((x) => (
                <li key={x.code}>
                  <a href={attachmentUrl(call.id, app.id, x.code, purpose)} download>
                    {d().attachment(conditionLabelOf(call, x.code), x.filename, Math.ceil(x.bytes / 1024))}
                  </a>
                  <span className="calls-hash d-block small">SHA-256 {x.sha256}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

/** The call's words for an attachment code. */
const conditionLabelOf = (call: CallView, code: string) =>
  call.rules.attachments.find((a) => a.code === code)?.label ?? code;

function Application({ ctx, applicationId }: { ctx: CallContext; applicationId: string }) {
  const { call } = ctx;
  // An auditor's stated purpose, sent with the read: the server then gives the whole record.
  const [purpose, setPurpose] = useState<string>();
  const app = useApplication(call.id, applicationId, purpose);
  // Until the detail route exists the receipt still says which application this is.
  const receipt = useReceipt(call.id, applicationId, app.data === null);
  const notice = useNotice();
  const protocol = app.data?.protocol ?? receipt.data?.receipt.protocol ?? '';
  const title = d().title(protocol);
  usePageTitle(`${title} — ${call.title}`);
  if (app.isPending) return <Loading />;
  if (app.isError) return <CallError error={app.error} onRetry={() => app.refetch()} />;
  const status = app.data?.status ?? receipt.data?.status;
  return (
    <>
      <CallsBreadcrumb
        ambitoId={call.ambitoId}
        items={[
          { label: call.title, to: `/bandi/${call.id}` },
          { label: t.calls.apps.title, to: `/bandi/${call.id}/domande` },
          { label: title },
        ]}
      />
      <h1>{title}</h1>
      <p className="lead">{call.title}</p>
      {status ? (
        <p>
          <ApplicationStatusBadge status={status} />
        </p>
      ) : null}
      {app.data?.view === 'pseudonymised' ? (
        <>
          <p className="alert alert-info">{d().pseudonymised}</p>
          <PurposeForm onPurpose={setPurpose} />
        </>
      ) : null}
      {app.data && purpose ? <p className="alert alert-warning">{d().purposeStated(purpose)}</p> : null}
      {app.data ? (
        <Details call={call} app={app.data} purpose={purpose} />
      ) : receipt.isError ? (
        <ErrorState error={receipt.error} onRetry={() => receipt.refetch()} />
      ) : (
        <NotYetAvailable text={d().unavailable} />
      )}
      {/* Receipts name the applicant: they are the applicant's and the office's, not the auditor's. */}
      {canManageCalls(ctx.session, call.ambitoId) ? (
        <p className="d-flex flex-wrap gap-3">
          <Link to={`/bandi/${call.id}/domande/${applicationId}/ricevuta`}>{d().receipt}</Link>
          <a href={receiptPdfUrl(call.id, applicationId)} download>
            {t.calls.receipt.pdf}
          </a>
        </p>
      ) : null}
      {canManageCalls(ctx.session, call.ambitoId) ? (
        <section className="my-5" aria-labelledby="review-title">
          <h2 id="review-title" className="h3">
            {d().reviewTitle}
          </h2>
          {notice.node}
          <ReviewForm callId={call.id} applicationId={applicationId} onDone={notice.show} />
        </section>
      ) : null}
    </>
  );
}

/** /bandi/:callId/domande/:applicationId: one application, its checks and the review. */
export function ApplicationPage() {
  const { callId = '', applicationId = '' } = useParams();
  return (
    <CallFrame callId={callId} allow={(s, call) => canReadApplications(s, call.ambitoId)}>
      {(ctx) => <Application ctx={ctx} applicationId={applicationId} />}
    </CallFrame>
  );
}
