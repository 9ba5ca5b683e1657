import './plan.css';
import { formatDate, formatNumber } from '../../format';
import { t } from '../../i18n';
import type { ActView, IndicatorState, IndicatorView, PlanStatus, PlanSummary } from './types';

const STATUS_CLASS: Record<PlanStatus, string> = {
  draft: 'bg-secondary',
  approved: 'bg-primary',
  in_force: 'bg-success',
  extended: 'bg-primary',
  closed: 'bg-dark',
};

export function StatusBadge({ status }: { status: PlanStatus }) {
  return <span className={`badge plan-status ${STATUS_CLASS[status]}`}>{t.plan.statuses[status]}</span>;
}

const STATE_CLASS: Record<IndicatorState, string> = {
  on_track: 'bg-success',
  late: 'bg-danger',
  no_data: 'bg-secondary',
};

export function StateBadge({ state }: { state: IndicatorState }) {
  return <span className={`badge indicator-state ${STATE_CLASS[state]}`}>{t.plan.states[state]}</span>;
}

/** "Dal 01/01/2025 al 31/12/2027 (prorogato al …)". */
export function validityText(plan: PlanSummary): string {
  const base = t.plan.validity(formatDate(plan.startDate), formatDate(plan.endDate));
  return plan.extendedTo ? `${base} (${t.plan.extendedTo(formatDate(plan.extendedTo))})` : base;
}

export function actText(act: ActView): string {
  return t.plan.actText(t.plan.actKinds[act.kind], act.number, formatDate(act.date), act.body);
}

/** A decimal string from the API ("1234.5") in Italian notation ("1.234,5"); unparseable input unchanged. */
export function formatQuantity(value: string | null): string {
  if (value === null || value === '') return t.state.notAvailable;
  const n = Number(value);
  return Number.isFinite(n) ? formatNumber(n) : value;
}

/** "45,0%" from a percentage (not a ratio). */
export function formatPercentValue(percent: number): string {
  return `${percent.toLocaleString('it-IT', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/**
 * A horizontal bar, hidden from screen readers: the figure it draws is always written next to it.
 * Widths above 100% (targets overshot) are drawn full.
 */
export function Bar({ percent, className = 'bg-primary' }: { percent: number; className?: string }) {
  const width = Math.max(0, Math.min(100, percent));
  return (
    <div className="progress plan-bar" aria-hidden="true">
      <div className={`progress-bar ${className}`} style={{ width: `${width.toFixed(1)}%` }} />
    </div>
  );
}

/** Latest value, the target of this year (or the next, or the last) and the progress towards it. */
export function indicatorSummary(ind: IndicatorView, today = new Date().toISOString().slice(0, 10)) {
  const year = Number(today.slice(0, 4));
  const targets = [...ind.targets].sort((a, b) => a.year - b.year);
  const target =
    targets.find((x) => x.year === year) ?? targets.find((x) => x.year > year) ?? targets.at(-1) ?? null;
  const latest = [...ind.values]
    .filter((v) => v.measuredOn <= today)
    .sort((a, b) => a.measuredOn.localeCompare(b.measuredOn))
    .at(-1);
  let percent: number | null = null;
  if (target && latest) {
    const tgt = Number(target.target);
    const v = Number(latest.value);
    const base = ind.baseline === null ? 0 : Number(ind.baseline);
    if (tgt !== base) percent = ((v - base) / (tgt - base)) * 100;
    else percent = (ind.lowerIsBetter ? v <= tgt : v >= tgt) ? 100 : 0;
    if (!Number.isFinite(percent)) percent = null;
    else percent = Math.max(0, Math.round(percent * 10) / 10);
  }
  return { target, latest: latest ?? null, percent };
}
