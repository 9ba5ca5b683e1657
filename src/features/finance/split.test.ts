import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, perHead, type SplitComponent, SplitError, type SplitLine } from './split.js';

const A = '015001';
const B = '015002';
const C = '015003';
const codes = [A, B, C];

const by = (figures: Record<string, number>, weight = 1): SplitComponent => ({
  weight,
  figures: new Map(Object.entries(figures)),
});
const amounts = (lines: SplitLine[]) => lines.map((l) => l.amountCents);

function splitError(run: () => unknown): SplitError {
  try {
    run();
  } catch (error) {
    if (error instanceof SplitError) return error;
    throw error;
  }
  throw new Error('expected a SplitError');
}

describe('allocate: hand-computed cases', () => {
  it('gives the extra cent of 100 among three equal Comuni to the lowest ISTAT code', () => {
    // 100 / 3 = 33.333…: floors 33+33+33 = 99, equal remainders and equal shares → lowest code.
    const lines = allocate(100, [C, A, B], [by({ [A]: 1, [B]: 1, [C]: 1 })]);
    expect(lines).toEqual([
      { istatCode: C, amountCents: 33, exactCents: '33.333333' },
      { istatCode: A, amountCents: 34, exactCents: '33.333333' },
      { istatCode: B, amountCents: 33, exactCents: '33.333333' },
    ]);
  });

  it('gives the extra cent to the largest remainder', () => {
    // 100 by 1:2:4 → 14.2857…, 28.5714…, 57.1428…: floors sum to 99, B has the largest remainder.
    expect(amounts(allocate(100, codes, [by({ [A]: 1, [B]: 2, [C]: 4 })]))).toEqual([14, 29, 57]);
  });

  it('on equal remainders prefers the larger exact share over the lower code', () => {
    // 5 by 1:3:6 → 0.5, 1.5, 3.0: A and B both have .5 left; B's share is larger, so B wins.
    const lines = allocate(5, codes, [by({ [A]: 1, [B]: 3, [C]: 6 })]);
    expect(amounts(lines)).toEqual([0, 2, 3]);
    expect(lines.map((l) => l.exactCents)).toEqual(['0.500000', '1.500000', '3.000000']);
  });

  it('mixes 70% by population and 30% in equal fixed shares', () => {
    // Residents 5,000 / 3,000 / 2,000: A = 0.7·0.5 + 0.3/3 = 0.45, B = 0.21 + 0.1 = 0.31,
    // C = 0.14 + 0.1 = 0.24. On 1,000,001 cents: 450,000.45 / 310,000.31 / 240,000.24,
    // floors sum to 1,000,000 and A has the largest remainder (.45).
    const lines = allocate(1_000_001, codes, [
      by({ [A]: 5000, [B]: 3000, [C]: 2000 }, 70),
      by({ [A]: 1, [B]: 1, [C]: 1 }, 30),
    ]);
    expect(lines).toEqual([
      { istatCode: A, amountCents: 450_001, exactCents: '450000.450000' },
      { istatCode: B, amountCents: 310_000, exactCents: '310000.310000' },
      { istatCode: C, amountCents: 240_000, exactCents: '240000.240000' },
    ]);
  });

  it('splits by the 18-64 population like any other figure', () => {
    // € 50,000.00 by 12,345 / 6,789 / 2,468 residents aged 18-64 (21,602 in all):
    // 2,857,374.3171… / 1,571,382.2794… / 571,243.4033… — floors sum to 4,999,999, C rounds up.
    const lines = allocate(5_000_000, codes, [by({ [A]: 12_345, [B]: 6_789, [C]: 2_468 })]);
    expect(lines).toEqual([
      { istatCode: A, amountCents: 2_857_374, exactCents: '2857374.317192' },
      { istatCode: B, amountCents: 1_571_382, exactCents: '1571382.279418' },
      { istatCode: C, amountCents: 571_244, exactCents: '571243.403388' },
    ]);
  });

  it('gives nothing to a Comune whose figure is zero and splits zero as zeros', () => {
    expect(amounts(allocate(1001, codes, [by({ [A]: 0, [B]: 1, [C]: 1 })]))).toEqual([0, 501, 500]);
    expect(amounts(allocate(0, codes, [by({ [A]: 1, [B]: 2, [C]: 3 })]))).toEqual([0, 0, 0]);
  });
});

describe('allocate: refused rules', () => {
  const ok = by({ [A]: 1, [B]: 1, [C]: 1 });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses a total of %s', (total) => {
    expect(splitError(() => allocate(total, codes, [ok])).field).toBe('totalCents');
  });

  it('refuses to split among no Comuni, or the same Comune twice', () => {
    expect(splitError(() => allocate(100, [], [ok])).field).toBe('rule');
    const twice = splitError(() => allocate(100, [A, B, A], [ok]));
    expect(twice.field).toBe('rule');
    expect(twice.message).toContain(A);
  });

  it('refuses a rule without components', () => {
    expect(splitError(() => allocate(100, codes, [])).field).toBe('rule.components');
  });

  it('names the Comuni whose figures are missing, and the component', () => {
    const e = splitError(() => allocate(100, codes, [ok, by({ [B]: 4 })]));
    expect(e.field).toBe('rule.components[1].figures');
    expect(e.message).toContain(`${A}, ${C}`);
    expect(e.message).not.toContain(B);
    expect(e.message).toMatch(/^criterio 2: /);
    expect(splitError(() => allocate(100, codes, [by({ [B]: 4 })])).message).toMatch(/^mancano i valori/);
  });

  it('refuses a figure for a Comune outside the Ambito', () => {
    const e = splitError(() => allocate(100, codes, [by({ [A]: 1, [B]: 1, [C]: 1, '099999': 1 })]));
    expect(e.field).toBe('rule.components[0].figures');
    expect(e.message).toContain('Comune non appartenente all’Ambito: 099999');
  });

  it.each([-1, 0.5, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses the figure %s', (x) => {
    const e = splitError(() => allocate(100, codes, [ok, ok, by({ [A]: 1, [B]: x, [C]: 1 })]));
    expect(e.field).toBe('rule.components[2].figures');
    expect(e.message).toContain(B);
  });

  it.each([0, -3, 0.5, Number.NaN])('refuses the weight %s', (weight) => {
    expect(splitError(() => allocate(100, codes, [ok, { ...ok, weight }])).field).toBe(
      'rule.components[1].weight',
    );
  });

  it('refuses a component whose figures are all zero', () => {
    const e = splitError(() => allocate(100, codes, [ok, by({ [A]: 0, [B]: 0, [C]: 0 })]));
    expect(e.field).toBe('rule.components[1].figures');
    expect(e.message).toContain('tutti zero');
  });

  it('answers in Italian', () => {
    expect(splitError(() => allocate(-1, codes, [ok])).message).toMatch(/importo da ripartire/);
  });
});

describe('perHead', () => {
  it('charges each Comune its residents times the quota, with nothing to round', () => {
    const population = new Map([
      [A, 12_000],
      [B, 3_456],
      [C, 0],
    ]);
    // € 1.50 per inhabitant.
    expect(perHead(150, population, codes)).toEqual([
      { istatCode: A, amountCents: 1_800_000, exactCents: '1800000.000000' },
      { istatCode: B, amountCents: 518_400, exactCents: '518400.000000' },
      { istatCode: C, amountCents: 0, exactCents: '0.000000' },
    ]);
  });

  it('refuses a bad quota, missing or foreign population, and amounts beyond the safe range', () => {
    const population = new Map([
      [A, 10],
      [B, 10],
      [C, 10],
    ]);
    expect(splitError(() => perHead(-1, population, codes)).field).toBe('rule.centsPerInhabitant');
    expect(splitError(() => perHead(1.5, population, codes)).field).toBe('rule.centsPerInhabitant');
    expect(splitError(() => perHead(1, population, [])).field).toBe('rule');
    const missing = splitError(() => perHead(100, new Map([[B, 10]]), codes));
    expect(missing.field).toBe('rule.population');
    expect(missing.message).toContain(`${A}, ${C}`);
    const foreign = splitError(() => perHead(100, new Map([...population, ['099999', 1]]), codes));
    expect(foreign.message).toContain('099999');
    const negative = splitError(() => perHead(100, new Map([...population, [C, -1]]), codes));
    expect(negative.field).toBe('rule.population');
    const huge = new Map([...population, [A, Number.MAX_SAFE_INTEGER]]);
    expect(splitError(() => perHead(2, huge, codes)).field).toBe('rule.centsPerInhabitant');
  });
});

describe('allocate: properties', () => {
  const figure = fc.oneof(fc.nat(10), fc.nat(1_000_000), fc.maxSafeNat());
  const splitCase = fc
    .uniqueArray(fc.integer({ min: 1, max: 999_999 }), { minLength: 1, maxLength: 200, size: 'max' })
    .map((ns) => ns.map((n) => String(n).padStart(6, '0')))
    .chain((istatCodes) =>
      fc.record({
        istatCodes: fc.constant(istatCodes),
        totalCents: fc.oneof(fc.nat(1_000), fc.integer({ min: 0, max: 1_000_000_000_000 })),
        components: fc.array(
          fc.record({
            weight: fc.integer({ min: 1, max: 1_000 }),
            xs: fc.array(figure, { minLength: istatCodes.length, maxLength: istatCodes.length }),
            nonZero: fc.nat(istatCodes.length - 1),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        permutation: fc.shuffledSubarray(istatCodes, {
          minLength: istatCodes.length,
          maxLength: istatCodes.length,
        }),
      }),
    )
    .map(({ istatCodes, components, ...rest }) => ({
      ...rest,
      istatCodes,
      components: components.map(({ weight, xs, nonZero }) => ({
        weight,
        figures: new Map(
          istatCodes.map((code, c) => [code, c === nonZero ? Math.max(1, xs[c] ?? 1) : (xs[c] ?? 0)]),
        ),
      })),
    }));

  it('adds up to the total, to the cent, with no negative line', () => {
    fc.assert(
      fc.property(splitCase, ({ totalCents, istatCodes, components }) => {
        const lines = allocate(totalCents, istatCodes, components);
        expect(lines.map((l) => l.istatCode)).toEqual(istatCodes);
        expect(lines.reduce((sum, l) => sum + BigInt(l.amountCents), 0n)).toBe(BigInt(totalCents));
        for (const l of lines) expect(l.amountCents).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('keeps every line less than one cent away from its exact share', () => {
    fc.assert(
      fc.property(splitCase, ({ totalCents, istatCodes, components }) => {
        for (const l of allocate(totalCents, istatCodes, components)) {
          const exactMicro = BigInt(l.exactCents.replace('.', ''));
          const gap = BigInt(l.amountCents) * 1_000_000n - exactMicro;
          expect(gap < 1_000_000n && gap > -1_000_000n).toBe(true);
        }
      }),
    );
  });

  it('is deterministic and does not depend on the order of the Comuni', () => {
    fc.assert(
      fc.property(splitCase, ({ totalCents, istatCodes, components, permutation }) => {
        const once = allocate(totalCents, istatCodes, components);
        expect(allocate(totalCents, istatCodes, components)).toEqual(once);
        const byCode = new Map(once.map((l) => [l.istatCode, l]));
        for (const l of allocate(totalCents, permutation, components)) {
          expect(l).toEqual(byCode.get(l.istatCode));
        }
      }),
    );
  });

  it('never gives less to a Comune with a larger figure under a single criterion', () => {
    fc.assert(
      fc.property(splitCase, ({ totalCents, istatCodes, components }) => {
        const [first] = components;
        if (first === undefined) return;
        const lines = allocate(totalCents, istatCodes, [first]);
        const pairs = lines
          .map((l) => ({ x: first.figures.get(l.istatCode) ?? 0, amount: l.amountCents }))
          .sort((p, q) => (p.x === q.x ? p.amount - q.amount : p.x < q.x ? -1 : 1));
        for (let k = 1; k < pairs.length; k++) {
          expect(pairs[k]?.amount).toBeGreaterThanOrEqual(pairs[k - 1]?.amount ?? 0);
        }
      }),
    );
  });
});
