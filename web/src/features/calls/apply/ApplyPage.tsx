import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../../components/usePageTitle';
import { t } from '../../../i18n';
import { canApply, canSubmitFor, isCitizen } from '../access';
import { type CallContext, CallFrame, CallStateBadge, CallsBreadcrumb, callPhase } from '../parts';
import { ReceiptCard } from '../ReceiptCard';
import type { Receipt } from '../types';
import { ApplicationForm } from './ApplicationForm';

function Apply({ ctx }: { ctx: CallContext }) {
  const { call, session } = ctx;
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  // An operator of the Ambito who is not also applying as a citizen applies on someone's behalf.
  const onBehalf = !isCitizen(session) && canSubmitFor(session, call.ambitoId);
  const title = receipt
    ? t.calls.receipt.pageTitle
    : onBehalf
      ? t.calls.form.titleOnBehalf
      : t.calls.form.title;
  usePageTitle(`${title} — ${call.title}`);
  const phase = callPhase(call);
  return (
    <>
      <CallsBreadcrumb
        ambitoId={call.ambitoId}
        items={[{ label: call.title, to: `/bandi/${call.id}` }, { label: t.calls.form.title }]}
      />
      <h1>{title}</h1>
      <p className="lead">{call.title}</p>
      {receipt ? (
        <ReceiptCard receipt={receipt} callTitle={call.title} focus />
      ) : phase !== 'open' ? (
        <>
          <p>
            <CallStateBadge call={call} />
          </p>
          <p className="call-not-open">{t.calls.page.phaseText[phase]}</p>
          <Link to={`/bandi/${call.id}`}>{t.calls.form.backToCall}</Link>
        </>
      ) : (
        <ApplicationForm call={call} onBehalf={onBehalf} onReceipt={setReceipt} />
      )}
    </>
  );
}

/** /bandi/:callId/domanda: citizens apply for themselves, the Ambito's operators on their behalf. */
export function ApplyPage() {
  const { callId = '' } = useParams();
  return (
    <CallFrame callId={callId} allow={(s, call) => canApply(s, call.ambitoId)}>
      {(ctx) => <Apply ctx={ctx} />}
    </CallFrame>
  );
}
