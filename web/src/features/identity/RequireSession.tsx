import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, Loading } from '../../components/QueryState';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useSession } from './api';
import type { SessionView } from './types';

function Forbidden() {
  usePageTitle(t.guard.forbiddenTitle);
  return (
    <>
      <h1>{t.guard.forbiddenTitle}</h1>
      <p className="lead">{t.guard.forbiddenText}</p>
    </>
  );
}

interface RequireSessionProps {
  /** Whether this session may open the page; anonymous visitors are sent to /accesso first. */
  allow: (session: SessionView) => boolean;
  children: (session: SessionView) => ReactNode;
}

export function RequireSession({ allow, children }: RequireSessionProps) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError)
    return <ErrorState error={session.error} heading="h1" onRetry={() => session.refetch()} />;
  if (!session.data) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={`/accesso?da=${encodeURIComponent(from)}`} replace />;
  }
  if (!allow(session.data)) return <Forbidden />;
  return children(session.data);
}
