import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { ApplicantData, CallRules, validateCallRules } from './rules.schemas.js';

/** A small valid call; each test breaks one thing and expects the issue at its exact path. */
function rules(): Record<string, unknown> & {
  eligibility: Record<string, unknown>;
  scoring: Record<string, unknown>;
} {
  return {
    eligibility: {
      residenceOn: '2025-01-01',
      age: { min: 18, max: 64, on: '2025-01-01' },
      isee: {
        type: 'ordinario',
        maxCents: 2_600_000,
        alternatives: [{ when: 'perdita_reddito', type: 'corrente', maxCents: 3_500_000 }],
      },
      disability: { anyOf: ['l104_art3_c3'] },
      conditions: [
        { code: 'contratto', label: 'contratto registrato', required: true },
        { code: 'perdita_reddito', label: 'perdita di reddito', required: false },
      ],
    },
    fields: [{ code: 'canone', label: 'canone mensile', kind: 'cents', required: true, max: 300_000 }],
    attachments: [
      {
        code: 'contratto',
        label: 'contratto',
        required: true,
        maxBytes: 1_000_000,
        types: ['application/pdf'],
      },
    ],
    scoring: {
      isee: [
        { upToCents: 1_000_000, points: 20 },
        { upToCents: 2_000_000, points: 10 },
      ],
      household: [
        { minMembers: 3, points: 5 },
        { minMembers: 5, points: 10 },
      ],
      age: [
        { from: 18, to: 30, points: 5 },
        { from: 31, to: 64, points: 2 },
      ],
      conditions: [{ code: 'perdita_reddito', points: 10 }],
    },
    ties: ['isee_asc', 'received_asc'],
    amount: {
      kind: 'bands',
      bands: [
        { upToIseeCents: 2_000_000, cents: 300_000 },
        { upToIseeCents: 3_500_000, cents: 200_000 },
      ],
    },
    onDoesNotFit: 'skip',
    appealDays: 30,
  };
}

/** "path: message" of every issue, to assert exactly where each error points. */
function issues(value: unknown): string[] {
  const r = CallRules.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
function broken(edit: (r: ReturnType<typeof rules>) => void) {
  const r = rules();
  edit(r);
  return issues(r);
}

describe('validateCallRules', () => {
  it('returns the rules when valid, and throws a ZodError otherwise', () => {
    expect(validateCallRules(rules())).toEqual(rules());
    expect(() => validateCallRules({ ...rules(), appealDays: 91 })).toThrow(ZodError);
  });

  it('checks shapes: integer cents, limits, enums, unknown keys', () => {
    expect(
      broken((r) => {
        (r.eligibility.isee as { maxCents: number }).maxCents = 2_600_000.5;
        r.appealDays = 91;
        r.onDoesNotFit = 'random';
        r.attachments = [{ ...(r.attachments as object[])[0], maxBytes: 20_000_000 }];
        r.eligibility.residenceOn = '2025-02-30';
      }),
    ).toEqual([
      'eligibility.residenceOn: data non valida: usare il formato AAAA-MM-GG',
      'eligibility.isee.maxCents: importo in centesimi interi: al massimo due decimali in euro',
      'attachments.0.maxBytes: al massimo 10 MB',
      'onDoesNotFit: scegliere stop, skip o partial',
      'appealDays: tra 0 e 90 giorni',
    ]);
    // A typo in a key is refused rather than silently dropped.
    expect(broken((r) => Object.assign(r.scoring, { conditons: [] }))[0]).toMatch(/^scoring: /);
    expect(broken((r) => Object.assign(r, { amount: { kind: 'fixed', cents: 0 } }))).toEqual([
      'amount.cents: l’importo deve essere maggiore di zero',
    ]);
  });

  it('wants bands strictly ascending', () => {
    expect(
      broken((r) => {
        r.scoring.isee = [
          { upToCents: 2_000_000, points: 10 },
          { upToCents: 2_000_000, points: 5 },
        ];
        r.scoring.household = [
          { minMembers: 5, points: 10 },
          { minMembers: 3, points: 5 },
        ];
      }),
    ).toEqual([
      'scoring.isee.1.upToCents: le fasce vanno in ordine strettamente crescente',
      'scoring.household.1.minMembers: le fasce vanno in ordine strettamente crescente',
    ]);
    expect(
      broken((r) => {
        r.scoring.age = [
          { from: 40, to: 30, points: 1 },
          { from: 18, to: 30, points: 5 },
          { from: 30, to: 64, points: 2 },
        ];
      }),
    ).toEqual([
      'scoring.age.0.to: l’età finale è inferiore a quella iniziale',
      'scoring.age.1.from: le fasce di età vanno in ordine crescente, senza sovrapporsi',
      'scoring.age.2.from: le fasce di età vanno in ordine crescente, senza sovrapporsi',
    ]);
  });

  it('checks the age limits', () => {
    expect(
      broken((r) => Object.assign(r.eligibility, { age: { min: 65, max: 18, on: '2025-01-01' } })),
    ).toEqual(['eligibility.age.max: l’età massima è inferiore a quella minima']);
    expect(broken((r) => Object.assign(r.eligibility, { age: { on: '2025-01-01' } }))).toEqual([
      'eligibility.age: indicare l’età minima o massima',
    ]);
  });

  it('wants every referenced condition declared, and codes unique', () => {
    expect(
      broken((r) => {
        r.eligibility.conditions = [
          { code: 'contratto', label: 'contratto registrato', required: true },
          { code: 'contratto', label: 'di nuovo', required: false },
        ];
        r.scoring.conditions = [{ code: 'sfratto', points: 5 }];
      }),
    ).toEqual([
      'eligibility.conditions.1.code: codice "contratto" ripetuto',
      'eligibility.isee.alternatives.0.when: condizione "perdita_reddito" non prevista tra le condizioni del bando',
      'scoring.conditions.0.code: condizione "sfratto" non prevista tra le condizioni del bando',
    ]);
    expect(
      broken((r) =>
        Object.assign(r.eligibility.isee as object, {
          alternatives: [{ when: 'contratto', type: 'corrente', maxCents: 1 }],
        }),
      ),
    ).toEqual([
      'eligibility.isee.alternatives.0.when: condizione obbligatoria: l’alternativa varrebbe per tutti',
    ]);
  });

  it('checks form fields and attachments', () => {
    expect(
      broken((r) => {
        r.fields = [
          { code: 'scelta', label: 'scelta', kind: 'select', required: true },
          { code: 'nota', label: 'nota', kind: 'text', required: false, options: ['a'] },
          { code: 'flag', label: 'flag', kind: 'boolean', required: false, max: 3 },
          { code: 'nota', label: 'ancora', kind: 'text', required: false },
          { code: 'tipo', label: 'tipo', kind: 'select', required: true, options: ['a', 'a'] },
        ];
      }),
    ).toEqual([
      'fields.3.code: codice "nota" ripetuto',
      'fields.0.options: indicare le opzioni della scelta',
      'fields.1.options: le opzioni valgono solo per i campi a scelta',
      'fields.2.max: il massimo vale solo per testo, numeri e importi',
      'fields.4.options: opzioni ripetute',
    ]);
    expect(
      broken((r) => {
        r.attachments = [
          { code: 'doc', label: 'documento', required: true, maxBytes: 5_000, types: ['image/png'] },
        ];
      }),
    ).toEqual(['attachments.0.types.0: solo PDF']);
  });

  it('wants the ties to end with the order of arrival, without contradictions', () => {
    expect(broken((r) => Object.assign(r, { ties: [] }))).toEqual(['ties: indicare i criteri di parità']);
    expect(broken((r) => Object.assign(r, { ties: ['isee_asc'] }))).toEqual([
      'ties.0: l’ultimo criterio deve essere l’ordine di arrivo (received_asc)',
    ]);
    expect(
      broken((r) =>
        Object.assign(r, { ties: ['age_asc', 'age_desc', 'isee_asc', 'isee_asc', 'received_asc'] }),
      ),
    ).toEqual(['ties.3: criterio ripetuto', 'ties: età crescente e decrescente insieme: sceglierne una']);
  });

  it('wants amount bands ascending and reaching the highest ISEE ceiling', () => {
    expect(
      broken((r) =>
        Object.assign(r, {
          amount: {
            kind: 'bands',
            bands: [
              { upToIseeCents: 2_000_000, cents: 300_000 },
              { upToIseeCents: 1_000_000, cents: 200_000 },
            ],
          },
        }),
      ),
    ).toEqual([
      'amount.bands.1.upToIseeCents: le fasce vanno in ordine strettamente crescente',
      // the alternative ceiling is 35.000: an eligible ISEE of 30.000 would get nothing
      'amount.bands.1.upToIseeCents: le fasce devono arrivare almeno al limite ISEE più alto ammesso (€ 35.000,00)',
    ]);
  });
});

describe('ApplicantData', () => {
  const valid = {
    codiceFiscale: ' rssmra50c15f704r ',
    firstName: 'Mario',
    lastName: 'Rossi',
    birthDate: '1950-03-15',
    birthPlace: 'f704',
    gender: 'M',
    residenceIstat: '108033',
    address: 'via Italia 1',
    isee: {
      type: 'ordinario',
      valueCents: 1_000_000,
      dsuProtocol: 'inps-isee-2025-000123456-00',
      dsuDate: '2025-02-10',
    },
    householdMembers: 2,
    disability: ['l104_art3_c3'],
    conditions: { contratto: true },
    fields: { canone: 50_000, nota: null },
    iban: 'IT60X0542811101000000123456',
  };

  it('normalises case and spaces of codes', () => {
    const a = ApplicantData.parse(valid);
    expect([a.codiceFiscale, a.birthPlace, a.isee.dsuProtocol]).toEqual([
      'RSSMRA50C15F704R',
      'F704',
      'INPS-ISEE-2025-000123456-00',
    ]);
  });

  it('refuses malformed values with their path', () => {
    const r = ApplicantData.safeParse({
      ...valid,
      birthPlace: 'Monza',
      residenceIstat: '15146',
      householdMembers: 0,
      disability: ['l104_art3_c3', 'l104_art3_c3'],
      isee: { ...valid.isee, valueCents: -1 },
      fields: { 'Campo Libero': 'x' },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'birthPlace',
      'residenceIstat',
      'isee.valueCents',
      'householdMembers',
      'disability',
      'fields.Campo Libero',
    ]);
  });
});
