import type { IndicatorView } from './plan.schemas.js';

/**
 * How far an indicator has come, as of a date. Quantities travel as decimal strings and stay so
 * in `latest` and `target`; only the percentage, a ratio, is computed with Number.
 */

export interface IndicatorProgress {
  latest: string | null;
  target: string | null;
  targetYear: number | null;
  percent: number | null;
  state: 'on_track' | 'late' | 'no_data';
}

const MAX_PERCENT = 999;
const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number) => Math.min(MAX_PERCENT, Math.max(0, n));
const yearOf = (iso: string) => Number(iso.slice(0, 4));
const dayMs = 86_400_000;
const utc = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

/** The target of asOf's year; else the nearest later year; else the last one. */
function pickTarget(targets: IndicatorView['targets'], year: number) {
  if (targets.length === 0) return null;
  const exact = targets.find((t) => t.year === year);
  if (exact) return exact;
  const later = targets.filter((t) => t.year > year).sort((a, b) => a.year - b.year)[0];
  if (later) return later;
  return [...targets].sort((a, b) => b.year - a.year)[0] ?? null;
}

/** The most recent value measured on or before asOf (ties: the one recorded last). */
function pickLatest(values: IndicatorView['values'], asOf: string) {
  let best: IndicatorView['values'][number] | null = null;
  for (const v of values) if (v.measuredOn <= asOf && (!best || v.measuredOn >= best.measuredOn)) best = v;
  return best;
}

/**
 * Progress from baseline (0 when missing) to target, in percent. The direction comes from the
 * target itself ((v − b) / (t − b) works for rising and falling targets alike); lowerIsBetter
 * decides the cases where that ratio says nothing: a target equal to the baseline, and a
 * lower-is-better indicator with no baseline (then: target ÷ value, 100 once at or below it).
 */
export function progressPercent(
  baseline: string | null,
  target: string,
  value: string,
  lowerIsBetter: boolean,
): number | null {
  const t = Number(target);
  const v = Number(value);
  const b = baseline === null || baseline.trim() === '' ? null : Number(baseline);
  if (!Number.isFinite(t) || !Number.isFinite(v) || (b !== null && !Number.isFinite(b))) return null;
  const reached = lowerIsBetter ? v <= t : v >= t;
  let ratio: number;
  if (lowerIsBetter && b === null) ratio = reached ? 1 : v === 0 ? 0 : t / v;
  else {
    const base = b ?? 0;
    ratio = t === base ? (reached ? 1 : 0) : (v - base) / (t - base);
  }
  return round1(clamp(ratio * 100));
}

/** Share of the target year elapsed at the end of asOf's day: 0 before it starts, 100 after it ends. */
export function expectedPercent(targetYear: number, asOf: string): number {
  const start = Date.UTC(targetYear, 0, 1);
  const end = Date.UTC(targetYear + 1, 0, 1);
  const now = utc(asOf) + dayMs;
  if (now <= start) return 0;
  if (now >= end) return 100;
  return round1(((now - start) / (end - start)) * 100);
}

export function indicatorProgress(ind: IndicatorView, asOf: string): IndicatorProgress {
  const t = pickTarget(ind.targets, yearOf(asOf));
  const latest = pickLatest(ind.values, asOf);
  const target = t?.target ?? null;
  const targetYear = t?.year ?? null;
  if (!t || !latest)
    return { latest: latest?.value ?? null, target, targetYear, percent: null, state: 'no_data' };
  const percent = progressPercent(ind.baseline, t.target, latest.value, ind.lowerIsBetter);
  if (percent === null) return { latest: latest.value, target, targetYear, percent, state: 'no_data' };
  const state = percent >= expectedPercent(t.year, asOf) ? 'on_track' : 'late';
  return { latest: latest.value, target, targetYear, percent, state };
}

/** An action is late when its end date has passed and it is not done. */
export function actionIsLate(action: { endDate: string; status: string }, asOf: string): boolean {
  return action.endDate < asOf && action.status !== 'done';
}
