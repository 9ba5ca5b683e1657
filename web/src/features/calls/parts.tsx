import './calls.css';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { NotFoundPage } from '../../components/NotFoundPage';
import { type Crumb, PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState, Loading } from '../../components/QueryState';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import { RequireSession } from '../identity/RequireSession';
import type { SessionView } from '../identity/types';
import { useAmbito } from '../territory/api';
import { useCall } from './api';
import type { ApplicationStatus, CallView, Outcome } from './types';
import { formatMinute } from './when';

export type CallPhase = 'draft' | 'upcoming' | 'open' | 'closed';

/** Where the call stands now: the server's `open` decides, the dates tell which side of it. */
export function callPhase(call: CallView, now = Date.now()): CallPhase {
  if (call.status === 'draft') return 'draft';
  if (call.open) return 'open';
  return Date.parse(call.opensAt) > now ? 'upcoming' : 'closed';
}

/** "Aperto fino al …", "Apre il …", "Chiuso il …": the words carry it, the colour repeats it. */
export function CallStateBadge({ call }: { call: CallView }) {
  const phase = callPhase(call);
  const cls = { draft: 'bg-secondary', upcoming: 'bg-primary', open: 'bg-success', closed: 'bg-dark' }[phase];
  const text = {
    draft: t.calls.phase.draft,
    upcoming: t.calls.phase.upcoming(formatMinute(call.opensAt)),
    open: t.calls.phase.open(formatMinute(call.closesAt)),
    closed: t.calls.phase.closed(formatMinute(call.closesAt)),
  }[phase];
  return <span className={`badge call-state ${cls}`}>{text}</span>;
}

export function ApplicationStatusBadge({ status }: { status: ApplicationStatus | string }) {
  const known = status in t.calls.statuses;
  const cls: Record<string, string> = {
    submitted: 'bg-primary',
    integration_requested: 'bg-warning text-dark',
    admissible: 'bg-success',
    excluded: 'bg-danger',
    withdrawn: 'bg-secondary',
  };
  return (
    <span className={`badge application-status ${cls[status] ?? 'bg-secondary'}`}>
      {known ? t.calls.statuses[status as ApplicationStatus] : status}
    </span>
  );
}

export const outcomeText = (o: Outcome | string | null | undefined) =>
  o ? (t.calls.outcomes[o as Outcome] ?? o) : t.state.notAvailable;

/** "Deliberazione n. 12 del 20/01/2026". */
export const approvalText = (call: CallView) =>
  t.calls.approvedBy(call.approvalAct.number, formatDate(call.approvalAct.date));

/** Ambiti / <Ambito> / Bandi / …: the trail every calls page starts with. */
export function CallsBreadcrumb({ ambitoId, items }: { ambitoId: string; items: Crumb[] }) {
  const ambito = useAmbito(ambitoId);
  return (
    <PageBreadcrumb
      items={[
        { label: t.nav.ambiti, to: '/ambiti' },
        { label: ambito.data?.name ?? t.calls.ambito, to: `/ambiti/${ambitoId}` },
        // With no further items the list is the current page: no link to itself.
        items.length
          ? { label: t.calls.listTitle, to: `/ambiti/${ambitoId}/bandi` }
          : { label: t.calls.listTitle },
        ...items,
      ]}
    />
  );
}

/** A failed read that replaces the page: a missing (or malformed) id reads as a page that does not exist. */
export function CallError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (error instanceof ApiError && (error.isNotFound || error.status === 400))
    return <NotFoundPage title={t.calls.notFoundTitle} text={t.calls.notFoundText} />;
  return <ErrorState error={error} heading="h1" onRetry={onRetry} />;
}

export interface CallContext {
  call: CallView;
  etag: string;
  /** The logged-in user, when the page asks for one. */
  session: SessionView | null;
  refetch: () => void;
}

/**
 * Loads the call, then (when `allow` is given) asks for a session that may open the page on the
 * call's Ambito: visitors go to log in and come back, others are told they may not.
 */
export function CallFrame({
  callId,
  allow,
  children,
}: {
  callId: string;
  allow?: (session: SessionView, call: CallView) => boolean;
  children: (ctx: CallContext) => ReactNode;
}) {
  const found = useCall(callId);
  if (found.isPending) return <Loading />;
  if (found.isError) return <CallError error={found.error} onRetry={() => found.refetch()} />;
  const { call, etag } = found.data;
  const refetch = () => void found.refetch();
  if (!allow) return children({ call, etag, session: null, refetch });
  return (
    <RequireSession allow={(s) => allow(s, call)}>
      {(session) => children({ call, etag, session, refetch })}
    </RequireSession>
  );
}

/** A read whose route is not deployed yet: said plainly, not as an error. */
export function NotYetAvailable({ text }: { text: string }) {
  return <p className="calls-unavailable text-secondary">{text}</p>;
}

/** Definition list of facts, as the finance pages lay them out. */
export function Facts({ rows, className = '' }: { rows: Array<[string, ReactNode]>; className?: string }) {
  return (
    <dl className={`row calls-facts mb-4 ${className}`}>
      {rows.map(([k, v]) => (
        <div key={k} className="col-sm-6 col-lg-4 mb-2">
          <dt className="small text-secondary">{k}</dt>
          <dd className="mb-0">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The page's status line, as the finance pages have it: each message is announced (role=status)
 * and takes the focus, so that after an action keyboard users land on its outcome.
 */
export function useNotice() {
  const [state, setState] = useState({ message: '', n: 0 });
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (state.n > 0 && state.message) ref.current?.focus();
  }, [state]);
  const show = (message: string) => setState((s) => ({ message, n: s.n + 1 }));
  const node = (
    <p ref={ref} tabIndex={-1} className="calls-notice fw-semibold" role="status">
      {state.message}
    </p>
  );
  return { show, node };
}
