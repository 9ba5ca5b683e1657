import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApplicantData, TieBreaker } from './rules.schemas.js';
import { amountFor, type RankEntry, rankingComparator, scoreApplication } from './scoring.js';
import { templateFor } from './templates.js';

const B2 = templateFor('misura_b2', 2025).rules;
const DDN = templateFor('dopo_di_noi', 2025).rules;
const RENT = templateFor('sostegno_affitto', 2025).rules;

function person(over: Partial<ApplicantData> & { iseeCents?: number }): ApplicantData {
  const { iseeCents = 1_000_000, ...rest } = over;
  return {
    codiceFiscale: 'RSSMRA50C15F704R',
    firstName: 'Mario',
    lastName: 'Rossi',
    birthDate: '1950-03-15',
    birthPlace: 'F704',
    gender: 'M',
    residenceIstat: '108033',
    address: 'via Italia 1, Monza',
    isee: {
      type: 'sociosanitario',
      valueCents: iseeCents,
      dsuProtocol: 'INPS-ISEE-2025-000123456-00',
      dsuDate: '2025-02-10',
    },
    householdMembers: 1,
    disability: [],
    conditions: {},
    fields: {},
    iban: 'IT60X0542811101000000123456',
    ...rest,
  };
}

describe('Misura B2 score and amount', () => {
  it('scores an elderly person with a family caregiver', () => {
    // ISEE 12.000: first band with ceiling >= 12.000 is <= 15.000 → 20
    // household 3: highest band reached is "from 2" → 2
    // age on 01/01/2025, born 10/05/1940: 84 → band 75-84 → 5
    // caregiver_familiare declared → 10; assistente_personale not → 0
    // total 20 + 2 + 5 + 10 + 0 = 37
    const a = person({
      iseeCents: 1_200_000,
      householdMembers: 3,
      birthDate: '1940-05-10',
      conditions: { caregiver_familiare: true },
    });
    expect(scoreApplication(B2, a)).toEqual({
      points: 37,
      breakdown: [
        { criterion: 'isee', points: 20 },
        { criterion: 'household', points: 2 },
        { criterion: 'age', points: 5 },
        { criterion: 'condition.caregiver_familiare', points: 10 },
        { criterion: 'condition.assistente_personale', points: 0 },
      ],
    });
    // 12.000 <= 15.000: first amount band, € 400 × 12 = € 4.800
    expect(amountFor(B2, a)).toBe(480_000);
  });

  it('scores a minor with ISEE ordinario € 38.000', () => {
    // ISEE 38.000 → band <= 40.000 → 5; household 4 → "from 4" → 5; age 9 (born 01/02/2015) → 0-17 → 10
    // no condition declared → 0 + 0; total 5 + 5 + 10 = 20
    const a = person({
      iseeCents: 3_800_000,
      householdMembers: 4,
      birthDate: '2015-02-01',
      conditions: { minore: true },
    });
    expect(scoreApplication(B2, a).points).toBe(20);
    // 38.000 > 25.000, <= 40.000: third band, € 200 × 12 = € 2.400
    expect(amountFor(B2, a)).toBe(240_000);
  });

  it('includes band ceilings and gives nothing above the last band', () => {
    // exactly 10.000 is in the first band (<= 10.000) → 30; household 1 → no band → 0; age 74 → no band → 0
    const edge = person({ iseeCents: 1_000_000, birthDate: '1950-03-15' });
    expect(scoreApplication(B2, edge).points).toBe(30);
    // 45.000 is above 40.000, the last band of both scoring and amount: 0 points, not fundable
    const over = person({ iseeCents: 4_500_000, birthDate: '1950-03-15' });
    expect(scoreApplication(B2, over).points).toBe(0);
    expect(amountFor(B2, over)).toBe(0);
    // 85 on 01/01/2025 (born 01/01/1940) → band 85-120 → 10, plus ISEE 30 → 40
    expect(scoreApplication(B2, person({ birthDate: '1940-01-01' })).points).toBe(40);
  });
});

describe('Dopo di Noi score and amount', () => {
  it('puts the lack of both parents first', () => {
    // ISEE 8.000 → <= 10.000 → 20; mancanza_genitori → 20; genitori_non_in_grado no → 0;
    // fuori_contesto_familiare → 5; total 20 + 20 + 0 + 5 = 45 (no household or age criteria)
    const a = person({
      iseeCents: 800_000,
      birthDate: '1985-06-30',
      conditions: { senza_sostegno_familiare: true, mancanza_genitori: true, fuori_contesto_familiare: true },
    });
    expect(scoreApplication(DDN, a)).toEqual({
      points: 45,
      breakdown: [
        { criterion: 'isee', points: 20 },
        { criterion: 'condition.mancanza_genitori', points: 20 },
        { criterion: 'condition.genitori_non_in_grado', points: 0 },
        { criterion: 'condition.fuori_contesto_familiare', points: 5 },
      ],
    });
    expect(amountFor(DDN, a)).toBe(480_000); // fixed € 4.800, whatever the ISEE
    // ISEE 30.000 → <= 50.000 → 5; genitori_non_in_grado → 10; total 15
    const b = person({ iseeCents: 3_000_000, conditions: { genitori_non_in_grado: true } });
    expect(scoreApplication(DDN, b).points).toBe(15);
  });
});

describe('sostegno affitto score and amount', () => {
  it('scores a large household in arrears', () => {
    // ISEE 4.500 → <= 5.000 → 30; household 5 → "from 5" → 10;
    // morosita_incolpevole 15 + perdita_reddito_25 10 + componente_disabile 0; total 30 + 10 + 15 + 10 = 65
    const a = person({
      iseeCents: 450_000,
      householdMembers: 5,
      conditions: { morosita_incolpevole: true, perdita_reddito_25: true },
      requestedCents: 400_000,
    });
    expect(scoreApplication(RENT, a).points).toBe(65);
    expect(amountFor(RENT, a)).toBe(360_000); // € 4.000 asked, capped at € 3.600
    expect(amountFor(RENT, { ...a, requestedCents: 250_000 })).toBe(250_000);
    expect(amountFor(RENT, { ...a, requestedCents: undefined })).toBe(0);
  });

  it('scores a couple with ISEE € 30.000 after an income loss', () => {
    // ISEE 30.000 → <= 35.000 → 5; household 2 → below "from 3" → 0; perdita_reddito_25 → 10; total 15
    const a = person({ iseeCents: 3_000_000, householdMembers: 2, conditions: { perdita_reddito_25: true } });
    expect(scoreApplication(RENT, a).points).toBe(15);
  });
});

describe('the breakdown', () => {
  it('always adds up to the points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6_000_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.date({ min: new Date('1905-01-01'), max: new Date('2024-12-31'), noInvalidDate: true }),
        fc.dictionary(
          fc.constantFrom('caregiver_familiare', 'morosita_incolpevole', 'mancanza_genitori'),
          fc.boolean(),
        ),
        (iseeCents, householdMembers, birth, conditions) => {
          const a = person({
            iseeCents,
            householdMembers,
            birthDate: birth.toISOString().slice(0, 10),
            conditions,
          });
          for (const rules of [B2, DDN, RENT]) {
            const s = scoreApplication(rules, a);
            expect(s.points).toBe(s.breakdown.reduce((t, l) => t + l.points, 0));
            expect(Number.isInteger(s.points) && s.points >= 0).toBe(true);
          }
        },
      ),
    );
  });
});

describe('rankingComparator', () => {
  const entry = (over: Partial<RankEntry>): RankEntry => ({
    points: 10,
    iseeCents: 1_000_000,
    householdMembers: 2,
    birthDate: '1950-01-01',
    receivedAt: '2025-03-01T08:00:00.000Z',
    protocol: 'B2-2025-000001',
    ...over,
  });
  const order = (ties: TieBreaker[], entries: RankEntry[]) =>
    [...entries].sort(rankingComparator(ties)).map((e) => e.protocol);

  it('puts more points first, then applies the ties in order, then the protocol', () => {
    const a = entry({ protocol: 'A', points: 9 });
    const b = entry({ protocol: 'B', iseeCents: 900_000 });
    const c = entry({ protocol: 'C', iseeCents: 900_000, householdMembers: 4 });
    const d = entry({ protocol: 'D' });
    expect(order(['isee_asc', 'household_desc', 'received_asc'], [a, b, c, d])).toEqual(['C', 'B', 'D', 'A']);
    expect(order(['household_desc', 'received_asc'], [a, b, c, d])).toEqual(['C', 'B', 'D', 'A']);
    expect(order(['received_asc'], [d, c, b, a])).toEqual(['B', 'C', 'D', 'A']);
  });

  it('orders by age either way, and by the instant of receipt across time zones', () => {
    const old = entry({ protocol: 'O', birthDate: '1930-05-01' });
    const young = entry({ protocol: 'Y', birthDate: '1990-05-01' });
    expect(order(['age_desc', 'received_asc'], [young, old])).toEqual(['O', 'Y']);
    expect(order(['age_asc', 'received_asc'], [old, young])).toEqual(['Y', 'O']);
    // 09:00:00.001+01:00 is 08:00:00.001Z: one millisecond after 08:00:00.000Z
    const late = entry({ protocol: 'A', receivedAt: '2025-03-01T09:00:00.001+01:00' });
    const early = entry({ protocol: 'Z', receivedAt: '2025-03-01T08:00:00.000Z' });
    expect(order(['received_asc'], [late, early])).toEqual(['Z', 'A']);
  });

  it('is a total order: the result never depends on the input order', () => {
    const arbEntry = fc.record({
      points: fc.integer({ min: 0, max: 5 }),
      iseeCents: fc.integer({ min: 0, max: 3 }),
      householdMembers: fc.integer({ min: 1, max: 3 }),
      birthDate: fc.constantFrom('1950-01-01', '1960-06-30'),
      receivedAt: fc.constantFrom('2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.001Z'),
    });
    const ties = fc
      .subarray(['isee_asc', 'household_desc', 'age_desc'] as TieBreaker[])
      .map((t) => [...t, 'received_asc'] as TieBreaker[]);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }),
        fc.array(arbEntry, { minLength: 25, maxLength: 25 }),
        ties,
        fc.func(fc.integer()),
        (protocols, bodies, t, shuffleKey) => {
          const entries = protocols.map((protocol, i) => ({ ...(bodies[i] as RankEntry), protocol }));
          const cmp = rankingComparator(t);
          const shuffled = [...entries].sort((x, y) => shuffleKey(x.protocol) - shuffleKey(y.protocol));
          expect(order(t, shuffled)).toEqual(order(t, entries));
          for (const x of entries)
            for (const y of entries) {
              expect(Math.sign(cmp(x, y)) + Math.sign(cmp(y, x))).toBe(0);
              if (x !== y) expect(cmp(x, y)).not.toBe(0);
            }
        },
      ),
    );
  });
});
