import './finance.css';
import { Button } from 'design-react-kit';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { SelectField } from '../../components/FormField';
import { NotFoundPage } from '../../components/NotFoundPage';
import { type Crumb, PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState } from '../../components/QueryState';
import { formatDate, formatMoney } from '../../format';
import { t } from '../../i18n';
import { RequireSession } from '../identity/RequireSession';
import type { SessionView } from '../identity/types';
import type { ActKind } from '../plan/types';
import { useAmbito } from '../territory/api';
import { canReadFinance, canWriteFinance } from './access';
import type { ActRef } from './types';

export interface FinanceContext {
  ambitoId: string;
  ambitoName: string;
  session: SessionView;
  /** The Ufficio di Piano of this Ambito: it may change the figures. */
  canWrite: boolean;
}

/**
 * Every finance page: only for those who may read the Ambito's money (others are asked to log in,
 * or told they may not), with the Ambito's name for the breadcrumb.
 */
export function FinanceFrame({
  ambitoId,
  write = false,
  children,
}: {
  ambitoId: string;
  /** Pages that only change figures (the import) are for the Ufficio di Piano alone. */
  write?: boolean;
  children: (ctx: FinanceContext) => ReactNode;
}) {
  const ambito = useAmbito(ambitoId);
  return (
    <RequireSession allow={(s) => (write ? canWriteFinance(s, ambitoId) : canReadFinance(s, ambitoId))}>
      {(session) =>
        children({
          ambitoId,
          ambitoName: ambito.data?.name ?? t.finance.ambito,
          session,
          canWrite: canWriteFinance(session, ambitoId),
        })
      }
    </RequireSession>
  );
}

/** Ambiti / <Ambito> / …: the trail every finance page starts with. */
export function FinanceBreadcrumb({ ctx, items }: { ctx: FinanceContext; items: Crumb[] }) {
  return (
    <PageBreadcrumb
      items={[
        { label: t.nav.ambiti, to: '/ambiti' },
        { label: ctx.ambitoName, to: `/ambiti/${ctx.ambitoId}` },
        ...items,
      ]}
    />
  );
}

/**
 * A failed read. When it replaces the whole page (`whole`), a 404 (or a malformed id) reads as a
 * page that does not exist; under the page's own h1 it is an h2 alert.
 */
export function FinanceError({
  error,
  onRetry,
  whole = false,
}: {
  error: unknown;
  onRetry: () => void;
  whole?: boolean;
}) {
  if (!whole) return <ErrorState error={error} onRetry={onRetry} />;
  if (error instanceof ApiError && (error.isNotFound || error.status === 400))
    return <NotFoundPage title={t.finance.notFoundTitle} text={error.message} />;
  return <ErrorState error={error} heading="h1" onRetry={onRetry} />;
}

export const CURRENT_YEAR = new Date().getFullYear();

/** The `anno` of the address, or null when missing or not a plausible year. */
export function useYearParam(): [number | null, (year: number, extra?: Record<string, string>) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('anno');
  const year = raw && /^\d{4}$/.test(raw) ? Number(raw) : null;
  const setYear = (y: number, extra: Record<string, string> = {}) => {
    const next = new URLSearchParams(params);
    next.set('anno', String(y));
    for (const [k, v] of Object.entries(extra)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  return [year, setYear];
}

/** The years offered: next year down to eight years back, and the shown one whatever it is. */
export function yearOptions(shown: number): number[] {
  const years = Array.from({ length: 10 }, (_, i) => CURRENT_YEAR + 1 - i);
  if (!years.includes(shown)) years.push(shown);
  return years.sort((a, b) => b - a);
}

/**
 * The year (and optionally other filters) of a page, applied with a button: changing a select
 * must not by itself reload the page under a screen reader user's feet (WCAG 3.2.2).
 */
export function YearForm({
  id,
  year,
  onApply,
  children,
}: {
  id: string;
  year: number;
  onApply: (year: number) => void;
  children?: ReactNode;
}) {
  const [value, setValue] = useState(String(year));
  useEffect(() => setValue(String(year)), [year]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onApply(Number(value));
  };
  return (
    <form
      className="row align-items-end finance-filters mb-3"
      onSubmit={onSubmit}
      aria-label={t.finance.filters}
    >
      <SelectField
        id={`${id}-year`}
        label={t.finance.year}
        className="col-sm-4 col-lg-3"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      >
        {yearOptions(year).map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </SelectField>
      {children}
      <div className="col-sm-3 col-lg-2 mb-4">
        <Button type="submit" color="primary" outline size="sm">
          {t.finance.show}
        </Button>
      </div>
    </form>
  );
}

export function MoneyCell({ cents, strong = false }: { cents: number; strong?: boolean }) {
  return <td className={`text-end num text-nowrap${strong ? ' fw-semibold' : ''}`}>{formatMoney(cents)}</td>;
}

/** Open or closed year: the word is the information, the colour only repeats it. */
export function YearBadge({ closed }: { closed: boolean }) {
  return (
    <span className={`badge finance-year-badge ${closed ? 'bg-dark' : 'bg-success'}`}>
      {closed ? t.finance.yearClosed : t.finance.yearOpen}
    </span>
  );
}

/** "Determina dell’Ufficio di Piano n. 12 del 01/02/2025". */
export function actLabel(act: Pick<ActRef, 'kind' | 'number' | 'date'>): string {
  const kind = t.plan.actKinds[act.kind as ActKind] ?? act.kind;
  return t.finance.actText(kind, act.number, formatDate(act.date));
}

/**
 * The page's status line. Each message is announced (role=status) and gets the focus, so that
 * after a form is sent keyboard and screen reader users land on its outcome.
 */
export function useNotice() {
  const [state, setState] = useState({ message: '', n: 0 });
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (state.n > 0 && state.message) ref.current?.focus();
  }, [state]);
  const show = (message: string) => setState((s) => ({ message, n: s.n + 1 }));
  const node = (
    <p ref={ref} tabIndex={-1} className="finance-notice fw-semibold" role="status">
      {state.message}
    </p>
  );
  return { show, node };
}
