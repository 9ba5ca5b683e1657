import { useParams } from 'react-router';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { Loading } from '../../components/QueryState';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { RequireSession } from '../identity/RequireSession';
import { useReceipt } from './api';
import { CallError } from './parts';
import { ReceiptCard } from './ReceiptCard';

function ReceiptView({ callId, applicationId }: { callId: string; applicationId: string }) {
  const found = useReceipt(callId, applicationId);
  usePageTitle(t.calls.receipt.pageTitle);
  if (found.isPending) return <Loading />;
  if (found.isError) return <CallError error={found.error} onRetry={() => found.refetch()} />;
  const { receipt, call, status } = found.data;
  return (
    <>
      <PageBreadcrumb
        items={[
          { label: t.calls.mine.title, to: '/le-mie-domande' },
          { label: call.title, to: `/bandi/${callId}` },
          { label: t.calls.receipt.pageTitle },
        ]}
      />
      <ReceiptCard receipt={receipt} callTitle={call.title} status={status} headingLevel={1} />
    </>
  );
}

/** The receipt of one application, for its applicant and the Ambito's operators (the server decides). */
export function ReceiptPage() {
  const { callId = '', applicationId = '' } = useParams();
  return (
    <RequireSession allow={() => true}>
      {() => <ReceiptView callId={callId} applicationId={applicationId} />}
    </RequireSession>
  );
}
