import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Awarded, award, type Ranked } from './award.js';
import type { AwardMode } from './rules.schemas.js';

const MODES: AwardMode[] = ['stop', 'skip', 'partial'];
const ranking = (...amounts: number[]): Ranked[] =>
  amounts.map((amountCents, i) => ({ id: `r${i + 1}`, amountCents }));
const statuses = (out: Awarded[]) => out.map((o) => `${o.status}:${o.awardedCents}`);
const spent = (out: Awarded[]) => out.reduce((t, o) => t + o.awardedCents, 0);
const fundedIds = (out: Awarded[]) => new Set(out.filter((o) => o.status === 'funded').map((o) => o.id));

describe('award, by example', () => {
  // Budget 1.000 for 400, 500, 300, 100: after 400 + 500 there are 100 left.
  const r = ranking(400, 500, 300, 100);

  it('stop: funds until the first that does not fit, then nobody', () => {
    expect(statuses(award(r, 1_000, 'stop'))).toEqual([
      'funded:400',
      'funded:500',
      'not_funded:0',
      'not_funded:0',
    ]);
  });
  it('skip: skips who does not fit and funds who still does', () => {
    // 300 > 100 left: skipped; 100 <= 100: funded; spent 1.000
    expect(statuses(award(r, 1_000, 'skip'))).toEqual([
      'funded:400',
      'funded:500',
      'not_funded:0',
      'funded:100',
    ]);
  });
  it('partial: the first that does not fit gets what is left, then nobody', () => {
    expect(statuses(award(r, 1_000, 'partial'))).toEqual([
      'funded:400',
      'funded:500',
      'partially_funded:100',
      'not_funded:0',
    ]);
    // Nothing left when the budget is used exactly: no partial award of 0.
    expect(statuses(award(ranking(500, 500, 1), 1_000, 'partial'))).toEqual([
      'funded:500',
      'funded:500',
      'not_funded:0',
    ]);
  });
  it('never funds an amount of 0 (not fundable), without stopping the others', () => {
    for (const mode of MODES)
      expect(statuses(award(ranking(0, 300), 300, mode))).toEqual(['not_funded:0', 'funded:300']);
  });
  it('refuses amounts that are not whole non-negative cents', () => {
    expect(() => award(ranking(100), -1, 'stop')).toThrow(RangeError);
    expect(() => award(ranking(100.5), 1_000, 'skip')).toThrow(RangeError);
    expect(award([], 0, 'partial')).toEqual([]);
  });
  it('skip is not monotone in the budget: more money can leave someone out (greedy in rank order)', () => {
    // Budget 10: r1 (5) funded, r2 (10) skipped, r3 (5) funded. Budget 15: r1, r2 funded, r3 left out.
    const r3 = ranking(5, 10, 5);
    expect(fundedIds(award(r3, 10, 'skip'))).toEqual(new Set(['r1', 'r3']));
    expect(fundedIds(award(r3, 15, 'skip'))).toEqual(new Set(['r1', 'r2']));
  });
});

const arbRanking = fc
  .array(fc.oneof(fc.integer({ min: 1, max: 500_000 }), fc.constant(0), fc.integer({ min: 1, max: 100 })), {
    maxLength: 40,
  })
  .map((amounts) => ranking(...amounts));
const arbBudget = fc.integer({ min: 0, max: 5_000_000 });
const arbMode = fc.constantFrom(...MODES);

describe('award, properties', () => {
  it('never spends more than the budget, keeps order and ids, and awards consistently', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, arbMode, (r, budget, mode) => {
        const out = award(r, budget, mode);
        expect(spent(out)).toBeLessThanOrEqual(budget);
        expect(out.map((o) => o.id)).toEqual(r.map((x) => x.id));
        out.forEach((o, i) => {
          const asked = r[i]?.amountCents ?? 0;
          if (o.status === 'funded') expect(o.awardedCents).toBe(asked);
          if (o.status === 'partially_funded')
            expect(o.awardedCents > 0 && o.awardedCents < asked).toBe(true);
          if (o.status === 'not_funded') expect(o.awardedCents).toBe(0);
        });
        const partials = out.filter((o) => o.status === 'partially_funded').length;
        expect(partials).toBeLessThanOrEqual(mode === 'partial' ? 1 : 0);
      }),
    );
  });

  it('is deterministic and does not touch its input', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, arbMode, (r, budget, mode) => {
        const copy = structuredClone(r);
        expect(award(r, budget, mode)).toEqual(award(copy, budget, mode));
        expect(r).toEqual(copy);
      }),
    );
  });

  it('stop and partial fund a prefix of the fundable ranking', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, fc.constantFrom<AwardMode>('stop', 'partial'), (r, budget, mode) => {
        const out = award(r, budget, mode).filter((_, i) => (r[i]?.amountCents ?? 0) > 0);
        const firstNot = out.findIndex((o) => o.status !== 'funded');
        if (firstNot >= 0) expect(out.slice(firstNot).some((o) => o.status === 'funded')).toBe(false);
      }),
    );
  });

  it('skip funds everyone stop funds, and spends at least as much', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, (r, budget) => {
        const stop = award(r, budget, 'stop');
        const skip = award(r, budget, 'skip');
        for (const id of fundedIds(stop)) expect(fundedIds(skip).has(id)).toBe(true);
        expect(spent(skip)).toBeGreaterThanOrEqual(spent(stop));
      }),
    );
  });

  it('skip leaves out only who did not fit in what is finally left', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, (r, budget) => {
        const out = award(r, budget, 'skip');
        const left = budget - spent(out);
        out.forEach((o, i) => {
          const asked = r[i]?.amountCents ?? 0;
          if (o.status === 'not_funded' && asked > 0) expect(asked).toBeGreaterThan(left);
        });
      }),
    );
  });

  it('partial spends exactly min(budget, total asked) and funds the same as stop', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, (r, budget) => {
        const out = award(r, budget, 'partial');
        const asked = r.reduce((t, x) => t + x.amountCents, 0);
        expect(spent(out)).toBe(Math.min(budget, asked));
        expect(fundedIds(out)).toEqual(fundedIds(award(r, budget, 'stop')));
      }),
    );
  });

  it('stop is monotone in the budget: more money never funds fewer', () => {
    fc.assert(
      fc.property(arbRanking, arbBudget, fc.integer({ min: 0, max: 1_000_000 }), (r, budget, more) => {
        const before = fundedIds(award(r, budget, 'stop'));
        const after = fundedIds(award(r, budget + more, 'stop'));
        for (const id of before) expect(after.has(id)).toBe(true);
      }),
    );
  });
});
