import { describe, expect, it } from 'vitest';
import type { IndicatorView } from './plan.schemas.js';
import { actionIsLate, expectedPercent, indicatorProgress, progressPercent } from './progress.js';

let seq = 0;
const value = (measuredOn: string, v: string) => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  measuredOn,
  value: v,
  source: 'gestionale',
});

const ind = (over: Partial<IndicatorView> = {}): IndicatorView => ({
  id: '00000000-0000-4000-8000-000000000000',
  code: 'I1',
  name: 'Utenti presi in carico',
  kind: 'output',
  unit: 'numero',
  baseline: '100',
  baselineDate: '2024-12-31',
  evaluationTool: '',
  lowerIsBetter: false,
  targets: [
    { year: 2025, target: '150' },
    { year: 2026, target: '200' },
    { year: 2027, target: '250' },
  ],
  values: [],
  revision: 1,
  ...over,
});

describe('indicatorProgress', () => {
  it('measures from baseline to the target of the year and is on track ahead of the calendar', () => {
    // 2025-07-02 ends day 183 of 365: 50.1% of the year expected; (140-100)/(150-100) = 80%
    const r = indicatorProgress(ind({ values: [value('2025-06-30', '140')] }), '2025-07-02');
    expect(r).toEqual({ latest: '140', target: '150', targetYear: 2025, percent: 80, state: 'on_track' });
  });

  it('is late when behind the share of the year elapsed', () => {
    // (120-100)/(150-100) = 40% < 50.1%
    const r = indicatorProgress(ind({ values: [value('2025-06-30', '120')] }), '2025-07-02');
    expect(r.percent).toBe(40);
    expect(r.state).toBe('late');
  });

  it('takes the most recent value on or before asOf, ignoring later ones', () => {
    const values = [value('2025-03-31', '110'), value('2025-09-30', '149'), value('2025-06-30', '130')];
    const r = indicatorProgress(ind({ values }), '2025-08-01');
    expect(r.latest).toBe('130');
    expect(r.percent).toBe(60);
  });

  it('uses the nearest later target before the plan starts, and the last one after it ends', () => {
    const before = indicatorProgress(ind({ values: [value('2024-12-31', '100')] }), '2024-12-31');
    expect([before.targetYear, before.target, before.percent, before.state]).toEqual([
      2025,
      '150',
      0,
      'on_track',
    ]);
    // after 2027 the 2027 target applies and the whole year is expected: 240 → (140/150) = 93.3%
    const after = indicatorProgress(ind({ values: [value('2028-01-15', '240')] }), '2028-02-01');
    expect([after.targetYear, after.percent, after.state]).toEqual([2027, 93.3, 'late']);
  });

  it('treats a missing baseline as 0', () => {
    // 45 / 60 = 75%
    const r = indicatorProgress(
      ind({ baseline: null, targets: [{ year: 2026, target: '60' }], values: [value('2026-05-01', '45')] }),
      '2026-05-02',
    );
    expect(r.percent).toBe(75);
  });

  it('handles lower-is-better indicators', () => {
    // waiting days from 40 down to 20; at 25: (25-40)/(20-40) = 75%
    const waiting = ind({
      baseline: '40',
      lowerIsBetter: true,
      targets: [{ year: 2025, target: '20' }],
      values: [value('2025-09-30', '25')],
    });
    // 2025-09-30 ends day 273 of 365: 74.8% expected
    expect(indicatorProgress(waiting, '2025-09-30')).toMatchObject({ percent: 75, state: 'on_track' });
    // got worse than the baseline: clamped at 0
    expect(indicatorProgress({ ...waiting, values: [value('2025-10-01', '45')] }, '2025-10-01').percent).toBe(
      0,
    );
  });

  it('clamps at 999 and rounds to one decimal', () => {
    expect(progressPercent('0', '1', '50', false)).toBe(999);
    expect(progressPercent('0', '3', '1', false)).toBe(33.3);
    expect(progressPercent('0', '3', '2', false)).toBe(66.7);
    expect(progressPercent('0', '0.0003', '0.0001', false)).toBe(33.3);
  });

  it('decides degenerate targets with lowerIsBetter', () => {
    // target equal to baseline: reached or not
    expect(progressPercent('10', '10', '10', false)).toBe(100);
    expect(progressPercent('10', '10', '9', false)).toBe(0);
    expect(progressPercent('10', '10', '9', true)).toBe(100);
    expect(progressPercent('10', '10', '11', true)).toBe(0);
    // lower is better and no baseline: target ÷ value, 100 once reached
    expect(progressPercent(null, '20', '25', true)).toBe(80);
    expect(progressPercent(null, '20', '15', true)).toBe(100);
    expect(progressPercent(null, '0', '5', true)).toBe(0);
  });

  it('has no data without values, without a value up to asOf, or without targets', () => {
    expect(indicatorProgress(ind(), '2025-07-02')).toEqual({
      latest: null,
      target: '150',
      targetYear: 2025,
      percent: null,
      state: 'no_data',
    });
    expect(indicatorProgress(ind({ values: [value('2025-09-30', '140')] }), '2025-07-02').state).toBe(
      'no_data',
    );
    expect(
      indicatorProgress(ind({ targets: [], values: [value('2025-06-30', '140')] }), '2025-07-02'),
    ).toEqual({
      latest: '140',
      target: null,
      targetYear: null,
      percent: null,
      state: 'no_data',
    });
  });

  it('has no data when a quantity cannot be read', () => {
    expect(indicatorProgress(ind({ values: [value('2025-06-30', 'n.d.')] }), '2025-07-02').state).toBe(
      'no_data',
    );
  });
});

describe('expectedPercent', () => {
  it('is linear within the target year', () => {
    expect(expectedPercent(2025, '2024-12-31')).toBe(0);
    expect(expectedPercent(2025, '2025-01-01')).toBe(0.3); // 1/365
    expect(expectedPercent(2025, '2025-07-02')).toBe(50.1); // 183/365
    expect(expectedPercent(2024, '2024-07-01')).toBe(50); // leap year: 183/366
    expect(expectedPercent(2025, '2025-12-31')).toBe(100);
    expect(expectedPercent(2025, '2026-03-01')).toBe(100);
  });
});

describe('actionIsLate', () => {
  it('is late only when the end has passed and it is not done', () => {
    expect(actionIsLate({ endDate: '2025-06-30', status: 'running' }, '2025-07-01')).toBe(true);
    expect(actionIsLate({ endDate: '2025-06-30', status: 'suspended' }, '2025-07-01')).toBe(true);
    expect(actionIsLate({ endDate: '2025-06-30', status: 'done' }, '2025-07-01')).toBe(false);
    expect(actionIsLate({ endDate: '2025-06-30', status: 'running' }, '2025-06-30')).toBe(false);
    expect(actionIsLate({ endDate: '2025-06-30', status: 'planned' }, '2025-01-01')).toBe(false);
  });
});
