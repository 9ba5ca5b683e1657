import { describe, expect, it } from 'vitest';
import { ageOn, checkEligibility, iseeOptions } from './eligibility.js';
import type { ApplicantData } from './rules.schemas.js';
import { templateFor } from './templates.js';

const B2 = templateFor('misura_b2', 2025).rules;
const DDN = templateFor('dopo_di_noi', 2025).rules;
const RENT = templateFor('sostegno_affitto', 2025).rules;
/** The Ambito of Monza on 1 January 2025: Monza, Brugherio, Villasanta. */
const MEMBERS = { memberIstat: new Set(['108033', '108012', '108048']) };

/** Eligibility does not look at identity or contacts: only what the requirements read. */
function person(
  over: Partial<ApplicantData> & { iseeType?: ApplicantData['isee']['type']; iseeCents?: number },
) {
  const { iseeType = 'sociosanitario', iseeCents = 1_000_000, ...rest } = over;
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
      type: iseeType,
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
  } satisfies ApplicantData;
}
const codes = (r: { reasons: Array<{ code: string }> }) => r.reasons.map((x) => x.code);

describe('ageOn', () => {
  it('counts completed years, the birthday itself included', () => {
    expect(ageOn('2007-01-01', '2025-01-01')).toBe(18);
    expect(ageOn('2007-01-02', '2025-01-01')).toBe(17);
    expect(ageOn('1960-12-31', '2025-01-01')).toBe(64);
    expect(ageOn('2025-06-01', '2025-01-01')).toBe(-1);
  });
  it('makes someone born on 29 February a year older on 1 March in common years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });
});

describe('Misura B2', () => {
  const b2 = (over: Parameters<typeof person>[0]) =>
    checkEligibility(
      B2,
      person({ disability: ['l104_art3_c3'], conditions: { domicilio: true }, ...over }),
      MEMBERS,
    );

  it('admits ISEE sociosanitario up to € 25.000 included', () => {
    expect(b2({ iseeCents: 2_500_000 })).toEqual({ eligible: true, reasons: [] });
    expect(b2({ iseeCents: 2_500_001 }).reasons).toEqual([
      { code: 'isee_ceiling', message: 'ISEE sociosanitario di € 25.000,01 oltre il limite di € 25.000,00' },
    ]);
  });

  it('admits a minor with ISEE ordinario up to € 40.000 only when "minore" is declared', () => {
    const minor = { birthDate: '2015-02-01', iseeType: 'ordinario' as const, iseeCents: 3_900_000 };
    expect(b2({ ...minor, conditions: { domicilio: true, minore: true } }).eligible).toBe(true);
    expect(
      b2({ ...minor, iseeCents: 4_000_001, conditions: { domicilio: true, minore: true } }).reasons,
    ).toEqual([
      { code: 'isee_ceiling', message: 'ISEE ordinario di € 40.000,01 oltre il limite di € 40.000,00' },
    ]);
    expect(b2(minor).reasons).toEqual([
      { code: 'isee_type', message: 'ISEE ordinario non ammesso: serve l’ISEE sociosanitario' },
    ]);
  });

  it('raises the ceiling to € 30.000 for an independent-living project', () => {
    const project = { conditions: { domicilio: true, progetto_vita_indipendente: true } };
    // 29.000 > 25.000 (main) but <= 30.000 (alternative of the same type): eligible.
    expect(b2({ ...project, iseeCents: 2_900_000 }).eligible).toBe(true);
    // Over both ceilings of the type: the message quotes the higher, 30.000.
    expect(b2({ ...project, iseeCents: 3_100_000 }).reasons[0]?.message).toBe(
      'ISEE sociosanitario di € 31.000,00 oltre il limite di € 30.000,00',
    );
    expect(iseeOptions(B2, project.conditions).map((o) => o.maxCents)).toEqual([2_500_000, 3_000_000]);
  });

  it('accepts the indennità di accompagnamento instead of L. 104 art. 3 c. 3, not a lesser one', () => {
    expect(b2({ disability: ['indennita_accompagnamento'] }).eligible).toBe(true);
    expect(b2({ disability: ['l104_art3_c1', 'invalidita_100'] }).reasons).toEqual([
      {
        code: 'disability',
        message:
          'serve almeno una tra: handicap grave (L. 104/1992, art. 3 c. 3); indennità di accompagnamento',
      },
    ]);
  });

  it('lists every unmet requirement at once', () => {
    const r = b2({ residenceIstat: '015146', disability: [], conditions: {}, iseeCents: 9_000_000 });
    expect(r.eligible).toBe(false);
    expect(codes(r)).toEqual(['residence', 'isee_ceiling', 'disability', 'condition.domicilio']);
    expect(r.reasons[0]?.message).toBe('residenza in un Comune che al 01/01/2025 non fa parte dell’Ambito');
    expect(r.reasons[3]?.message).toBe(
      'requisito non dichiarato: la persona vive al proprio domicilio, non in una struttura residenziale',
    );
  });
});

describe('Dopo di Noi', () => {
  const ddn = (over: Parameters<typeof person>[0]) =>
    checkEligibility(
      DDN,
      person({ disability: ['l104_art3_c3'], conditions: { senza_sostegno_familiare: true }, ...over }),
      MEMBERS,
    );

  it('admits ages 18 to 64 on 1 January, both included', () => {
    expect(ddn({ birthDate: '2007-01-01' }).eligible).toBe(true); // 18 on 01/01/2025
    expect(ddn({ birthDate: '1960-01-02' }).eligible).toBe(true); // 64 (65 on 02/01/2025)
    expect(ddn({ birthDate: '2007-01-02' }).reasons).toEqual([
      { code: 'age_min', message: 'età al 01/01/2025: 17 anni, il minimo è 18' },
    ]);
    expect(ddn({ birthDate: '1960-01-01' }).reasons).toEqual([
      { code: 'age_max', message: 'età al 01/01/2025: 65 anni, il massimo è 64' },
    ]);
  });

  it('requires the severe disability and the lack of family support', () => {
    const r = ddn({ birthDate: '1990-05-05', disability: ['indennita_accompagnamento'], conditions: {} });
    expect(codes(r)).toEqual(['disability', 'condition.senza_sostegno_familiare']);
  });

  it('admits ISEE sociosanitario up to € 50.000 included', () => {
    expect(ddn({ birthDate: '1990-05-05', iseeCents: 5_000_000 }).eligible).toBe(true);
    expect(codes(ddn({ birthDate: '1990-05-05', iseeCents: 5_000_001 }))).toEqual(['isee_ceiling']);
  });
});

describe('sostegno affitto', () => {
  const rent = (over: Parameters<typeof person>[0]) =>
    checkEligibility(
      RENT,
      person({
        iseeType: 'ordinario',
        conditions: { contratto_registrato: true, non_alloggio_pubblico: true },
        ...over,
      }),
      MEMBERS,
    );
  const lost = {
    conditions: { contratto_registrato: true, non_alloggio_pubblico: true, perdita_reddito_25: true },
  };

  it('admits ISEE ordinario up to € 26.000, and up to € 35.000 with an income loss over 25%', () => {
    expect(rent({ iseeCents: 2_600_000 }).eligible).toBe(true);
    expect(rent({ iseeCents: 3_000_000 }).reasons).toEqual([
      { code: 'isee_ceiling', message: 'ISEE ordinario di € 30.000,00 oltre il limite di € 26.000,00' },
    ]);
    expect(rent({ ...lost, iseeCents: 3_500_000 }).eligible).toBe(true);
    expect(codes(rent({ ...lost, iseeCents: 3_500_001 }))).toEqual(['isee_ceiling']);
  });

  it('accepts the ISEE corrente only with the income loss', () => {
    expect(rent({ ...lost, iseeType: 'corrente', iseeCents: 3_000_000 }).eligible).toBe(true);
    expect(rent({ iseeType: 'corrente', iseeCents: 1_000_000 }).reasons).toEqual([
      { code: 'isee_type', message: 'ISEE corrente non ammesso: serve l’ISEE ordinario' },
    ]);
  });

  it('requires a registered lease and no public housing; no disability needed', () => {
    expect(codes(rent({ conditions: { contratto_registrato: true } }))).toEqual([
      'condition.non_alloggio_pubblico',
    ]);
    expect(rent({ iseeCents: 0 }).eligible).toBe(true);
  });
});
