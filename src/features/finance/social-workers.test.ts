import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { socialWorkerFigures } from './social-workers.js';

describe('social workers: an Ambito of 100,000 residents', () => {
  // 1:6,500 needs 100,000 / 6,500 = 15.384615… FTE, 1:5,000 needs 20, 1:4,000 needs 25.
  const at = (fteHundredths: number) => socialWorkerFigures(100_000, fteHundredths);

  it('states the FTE needed for each threshold, rounded up to the hundredth', () => {
    expect(at(0).thresholdsHundredths).toEqual({ base: 1539, leps: 2000, target: 2500 });
  });

  it('pays nothing below 1:6,500', () => {
    expect(at(1000)).toEqual({
      population: 100_000,
      fteHundredths: 1000,
      residentsPerWorker: 10_000,
      status: 'sotto_soglia',
      contributionCents: 0,
      thresholdsHundredths: { base: 1539, leps: 2000, target: 2500 },
      // 40,000 · (25 − 20) … see the 25 FTE case below.
      maxContributionCents: 28_461_538,
    });
    // 15.38 FTE is still short of 15.3846.
    expect(at(1538)).toMatchObject({ status: 'sotto_soglia', contributionCents: 0 });
  });

  it('pays EUR 40,000 per FTE just past 1:6,500', () => {
    // 40,000 · (15.39 − 15.384615…) = 40,000 · 0.0053846… = EUR 215.3846… → € 215,38.
    expect(at(1539)).toMatchObject({ status: 'verso_leps', contributionCents: 21_538 });
  });

  it('pays the whole first band at the LEPS, 1:5,000', () => {
    // 40,000 · (20 − 15.384615…) = 40,000 · 4.615384… = 40,000 · 60/13 = EUR 184,615.3846… → € 184.615,38.
    expect(at(2000)).toMatchObject({
      status: 'leps_raggiunto',
      residentsPerWorker: 5000,
      contributionCents: 18_461_538,
    });
  });

  it('adds EUR 20,000 per FTE between 1:5,000 and 1:4,000', () => {
    // 184,615.3846… + 20,000 · 2.5 = EUR 234,615.3846… → € 234.615,38.
    expect(at(2250)).toMatchObject({ status: 'leps_raggiunto', contributionCents: 23_461_538 });
    // At the target: 184,615.3846… + 20,000 · 5 = EUR 284,615.3846… → € 284.615,38.
    expect(at(2500)).toMatchObject({
      status: 'obiettivo_raggiunto',
      residentsPerWorker: 4000,
      contributionCents: 28_461_538,
      maxContributionCents: 28_461_538,
    });
  });

  it('stops paying past 1:4,000', () => {
    // 100,000 / 30 = 3,333.33… residents per worker.
    expect(at(3000)).toMatchObject({
      status: 'obiettivo_raggiunto',
      residentsPerWorker: 3333,
      contributionCents: 28_461_538,
    });
  });
});

describe('social workers: rounding', () => {
  it('rounds the contribution to the nearest cent, up when past the half', () => {
    // P = 10,000, FTE 1.54: 40,000 · (1.54 − 1.538461…) = EUR 61.538461… → € 61,54 (up).
    expect(socialWorkerFigures(10_000, 154)).toMatchObject({
      contributionCents: 6154,
      // 10,000 / 1.54 = 6,493.506… → 6,494.
      residentsPerWorker: 6494,
      thresholdsHundredths: { base: 154, leps: 200, target: 250 },
    });
  });

  it('needs no rounding when the figures divide exactly', () => {
    // P = 72,345: 1:6,500 = 11.13 FTE exactly; FTE 12.5 → 40,000 · 1.37 = € 54.800,00.
    expect(socialWorkerFigures(72_345, 1250).contributionCents).toBe(5_480_000);
  });

  it('rounds residents per worker half-up', () => {
    // 25 / 2 = 12.5 → 13.
    expect(socialWorkerFigures(25, 200).residentsPerWorker).toBe(13);
  });

  it('has no ratio without workers', () => {
    expect(socialWorkerFigures(5000, 0)).toMatchObject({ residentsPerWorker: null, status: 'sotto_soglia' });
  });
});

describe('social workers: refused inputs', () => {
  it.each([0, -1, 1.5, Number.NaN])('refuses a population of %s', (population) => {
    expect(() => socialWorkerFigures(population, 100)).toThrow(RangeError);
    expect(() => socialWorkerFigures(population, 100)).toThrow(/popolazione/);
  });

  it.each([-1, 0.5, Number.POSITIVE_INFINITY])('refuses %s hundredths of FTE', (fte) => {
    expect(() => socialWorkerFigures(1000, fte)).toThrow(/tempo pieno/);
  });

  it('refuses a population whose amounts would not be exact', () => {
    expect(() => socialWorkerFigures(Number.MAX_SAFE_INTEGER, 100)).toThrow(RangeError);
  });
});

describe('social workers: properties', () => {
  const population = fc.integer({ min: 1, max: 100_000_000 });
  const fte = fc.oneof(fc.nat(100_000), fc.nat(10_000_000));

  it('never pays less for more workers, nor more than the target pays', () => {
    fc.assert(
      fc.property(population, fte, fte, (p, f1, f2) => {
        const [lo, hi] = f1 <= f2 ? [f1, f2] : [f2, f1];
        const low = socialWorkerFigures(p, lo);
        const high = socialWorkerFigures(p, hi);
        expect(low.contributionCents).toBeLessThanOrEqual(high.contributionCents);
        expect(high.contributionCents).toBeLessThanOrEqual(high.maxContributionCents);
        expect(low.contributionCents).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('agrees with its own thresholds', () => {
    fc.assert(
      fc.property(population, fte, (p, f) => {
        const r = socialWorkerFigures(p, f);
        const { base, leps, target } = r.thresholdsHundredths;
        const expected =
          f >= target
            ? 'obiettivo_raggiunto'
            : f >= leps
              ? 'leps_raggiunto'
              : f >= base
                ? 'verso_leps'
                : 'sotto_soglia';
        expect(r.status).toBe(expected);
        if (r.status === 'sotto_soglia') expect(r.contributionCents).toBe(0);
        if (r.status === 'obiettivo_raggiunto') expect(r.contributionCents).toBe(r.maxContributionCents);
      }),
    );
  });
});
