import { CodiceFiscale } from 'codice-fiscale-js';
import { describe, expect, it } from 'vitest';
import { checkApplicant, isDsuProtocol, normaliseIban } from './applicant.js';
import type { ApplicantData } from './rules.schemas.js';
import { templateFor } from './templates.js';

const TODAY = '2025-06-15';
const B2 = templateFor('misura_b2', 2025).rules;
const RENT = templateFor('sostegno_affitto', 2025).rules;
const DDN = templateFor('dopo_di_noi', 2025).rules;

/** ROSSI MARIO, born in Monza (F704) on 15 March 1950: a fictitious person. */
const ROSSI = CodiceFiscale.compute({
  name: 'Mario',
  surname: 'Rossi',
  gender: 'M',
  day: 15,
  month: 3,
  year: 1950,
  birthplace: 'F704',
});

/** A complete, valid application to the rent-support call. */
function rentApplicant(over: Partial<ApplicantData> = {}): ApplicantData {
  return {
    codiceFiscale: ROSSI,
    firstName: 'Mario',
    lastName: 'Rossi',
    birthDate: '1950-03-15',
    birthPlace: 'F704',
    gender: 'M',
    residenceIstat: '108033',
    address: 'via Italia 1, Monza',
    isee: {
      type: 'ordinario',
      valueCents: 1_800_000,
      dsuProtocol: 'INPS-ISEE-2025-000123456-00',
      dsuDate: '2025-02-10',
    },
    householdMembers: 2,
    disability: [],
    conditions: { contratto_registrato: true, non_alloggio_pubblico: true },
    fields: { canone_mensile: 55_000, data_registrazione: '2021-09-01' },
    requestedCents: 300_000,
    iban: 'IT60X0542811101000000123456',
    ...over,
  };
}
const fieldsOf = (errors: Array<{ field: string }>) => errors.map((e) => e.field);

describe('codice fiscale', () => {
  it('generates the expected code for the fictitious ROSSI MARIO', () => {
    // RSS (surname consonants) MRA (name: M, R + vowel A) 50 C (March) 15 F704 + check R
    expect(ROSSI).toBe('RSSMRA50C15F704R');
    expect(checkApplicant(rentApplicant(), RENT, { today: TODAY })).toEqual([]);
  });

  it('refuses a wrong check character', () => {
    const errors = checkApplicant(rentApplicant({ codiceFiscale: 'RSSMRA50C15F704A' }), RENT, {
      today: TODAY,
    });
    expect(errors).toEqual([
      {
        field: 'codiceFiscale',
        reason: 'codice fiscale non valido: il carattere di controllo non corrisponde',
      },
    ]);
  });

  it('refuses a code out of layout', () => {
    const [error] = checkApplicant(rentApplicant({ codiceFiscale: 'RSSMRA5XC15F704R' }), RENT, {
      today: TODAY,
    });
    expect(error?.reason).toMatch(/^codice fiscale non valido: 6 lettere/);
  });

  it('names what the code does not match', () => {
    const check = (over: Partial<ApplicantData>) =>
      checkApplicant(rentApplicant(over), RENT, { today: TODAY });
    expect(check({ birthDate: '1950-03-16' })).toEqual([
      { field: 'codiceFiscale', reason: 'il codice fiscale non corrisponde a: data di nascita' },
    ]);
    expect(check({ birthDate: '1951-03-15' })[0]?.reason).toBe(
      'il codice fiscale non corrisponde a: data di nascita',
    );
    expect(check({ gender: 'F' })[0]?.reason).toBe('il codice fiscale non corrisponde a: sesso');
    expect(check({ lastName: 'Bianchi', birthPlace: 'F205' })[0]?.reason).toBe(
      'il codice fiscale non corrisponde a: cognome, luogo di nascita',
    );
    expect(check({ firstName: 'Luigi' })[0]?.reason).toBe('il codice fiscale non corrisponde a: nome');
    // MARIA and MARIO share the name code MRA: the code cannot tell them apart.
    expect(check({ firstName: 'Maria' })).toEqual([]);
  });

  it('accepts omocodia variants and lower case', () => {
    const variants = CodiceFiscale.getOmocodie(ROSSI);
    expect(variants).toHaveLength(127); // 2^7 - 1 substitutions of the seven digit positions
    for (const cf of [variants[0], variants[126], ROSSI.toLowerCase()])
      expect(checkApplicant(rentApplicant({ codiceFiscale: cf as string }), RENT, { today: TODAY })).toEqual(
        [],
      );
  });

  it('ignores accents in names, as the Agenzia delle Entrate does', () => {
    // VERDI ZOË, born in Milano (F205) on 4 July 1990: the day is 04 + 40 for a woman.
    const cf = CodiceFiscale.compute({
      name: 'Zoe',
      surname: 'Verdi',
      gender: 'F',
      day: 4,
      month: 7,
      year: 1990,
      birthplace: 'F205',
    });
    expect(cf).toBe('VRDZOE90L44F205F');
    const zoe = rentApplicant({
      codiceFiscale: cf,
      firstName: 'Zoë',
      lastName: 'Verdi',
      gender: 'F',
      birthDate: '1990-07-04',
      birthPlace: 'F205',
    });
    expect(checkApplicant(zoe, RENT, { today: TODAY })).toEqual([]);
  });
});

describe('IBAN', () => {
  it('normalises spaces and case of a valid IBAN, null otherwise', () => {
    expect(normaliseIban(' it60 x054 2811 1010 0000 0123 456 ')).toBe('IT60X0542811101000000123456');
    expect(normaliseIban('IT61X0542811101000000123456')).toBeNull();
    expect(normaliseIban('')).toBeNull();
  });

  it('refuses a wrong checksum, a foreign account and a wrong length', () => {
    const reason = (iban: string) =>
      checkApplicant(rentApplicant({ iban }), RENT, { today: TODAY })[0]?.reason;
    expect(reason('it60 x054 2811 1010 0000 0123 456')).toBeUndefined();
    expect(reason('IT61X0542811101000000123456')).toBe(
      'IBAN non valido: le cifre di controllo non corrispondono, ricontrollarlo',
    );
    expect(reason('DE89370400440532013000')).toBe('serve un conto italiano: l’IBAN inizia con IT');
    expect(reason('IT60X054281110100000012345')).toBe(
      'IBAN di lunghezza errata: un IBAN italiano ha 27 caratteri',
    );
  });
});

describe('ISEE and DSU', () => {
  it('recognises the DSU protocol format', () => {
    expect(isDsuProtocol('INPS-ISEE-2025-000123456-00')).toBe(true);
    expect(isDsuProtocol(' inps-isee-2025-000123456-00 ')).toBe(true);
    expect(isDsuProtocol('INPS-ISEE-2025-00012345-00')).toBe(false); // 8 digits
    expect(isDsuProtocol('INPS-ISEE-25-000123456-00')).toBe(false);
    expect(isDsuProtocol('ISEE-2025-000123456-00')).toBe(false);
  });

  it('refuses a bad protocol, a future DSU and an expired ISEE', () => {
    const errors = (isee: Partial<ApplicantData['isee']>, today = TODAY) =>
      checkApplicant(rentApplicant({ isee: { ...rentApplicant().isee, ...isee } }), RENT, { today });
    expect(errors({ dsuProtocol: 'INPS-ISEE-2025-123-00' })).toEqual([
      { field: 'isee.dsuProtocol', reason: 'protocollo DSU non valido: formato INPS-ISEE-AAAA-NNNNNNNNN-NN' },
    ]);
    expect(errors({ dsuDate: '2025-06-16' })).toEqual([
      { field: 'isee.dsuDate', reason: 'la data di presentazione della DSU è nel futuro' },
    ]);
    // Filed in November 2024: valid until 31/12/2024, expired on 15/06/2025.
    expect(errors({ dsuDate: '2024-11-20' })).toEqual([
      { field: 'isee.dsuDate', reason: 'ISEE scaduto il 31/12/2024: serve una DSU presentata quest’anno' },
    ]);
    expect(errors({ dsuDate: '2024-01-10' }, '2024-12-31')).toEqual([]);
  });

  it('requires the ISEE type of the call, or an alternative one when its condition is declared', () => {
    const b2 = (type: ApplicantData['isee']['type'], minore: boolean) =>
      checkApplicant(
        rentApplicant({
          isee: { ...rentApplicant().isee, type },
          disability: ['l104_art3_c3'],
          conditions: { domicilio: true, minore },
          fields: { sostegno: 'buono_caregiver' },
          requestedCents: undefined,
        }),
        B2,
        { today: TODAY },
      );
    expect(b2('sociosanitario', false)).toEqual([]);
    expect(b2('ordinario', false)).toEqual([
      { field: 'isee.type', reason: 'tipo di ISEE richiesto dal bando: sociosanitario' },
    ]);
    expect(b2('ordinario', true)).toEqual([]);
    expect(b2('corrente', true)[0]?.reason).toBe(
      'tipo di ISEE richiesto dal bando: sociosanitario o ordinario (la persona è minorenne) o minorenni (la persona è minorenne)',
    );
  });
});

describe('form fields, conditions and amount', () => {
  it('checks every field against its kind, requirement and limits', () => {
    const errors = checkApplicant(
      rentApplicant({
        fields: {
          canone_mensile: 300_001,
          data_registrazione: '2021-02-30',
          mensilita_arretrate: 'tre',
          extra: 1,
        },
      }),
      RENT,
      { today: TODAY },
    );
    expect(errors).toEqual([
      { field: 'fields.canone_mensile', reason: 'al massimo € 3.000,00' },
      { field: 'fields.data_registrazione', reason: 'data non valida: usare il formato AAAA-MM-GG' },
      { field: 'fields.mensilita_arretrate', reason: 'atteso un numero' },
      { field: 'fields.extra', reason: 'campo non previsto dal bando' },
    ]);
    const missing = checkApplicant(
      rentApplicant({ fields: { canone_mensile: 12.5, data_registrazione: ' ' } }),
      RENT,
      {
        today: TODAY,
      },
    );
    expect(missing).toEqual([
      { field: 'fields.canone_mensile', reason: 'importo in centesimi: un numero intero non negativo' },
      { field: 'fields.data_registrazione', reason: 'campo obbligatorio' },
    ]);
  });

  it('checks select options and text length', () => {
    const base = { disability: ['l104_art3_c3' as const], requestedCents: undefined };
    const ddn = (percorso: unknown) =>
      checkApplicant(
        rentApplicant({
          ...base,
          isee: { ...rentApplicant().isee, type: 'sociosanitario' },
          conditions: { senza_sostegno_familiare: true },
          fields: { percorso: percorso as string },
        }),
        DDN,
        { today: TODAY },
      );
    expect(ddn('residenzialita')).toEqual([]);
    expect(ddn('vacanza')).toEqual([
      {
        field: 'fields.percorso',
        reason: 'scegliere tra: accompagnamento_autonomia, residenzialita, pronto_intervento',
      },
    ]);
    expect(ddn(null)).toEqual([{ field: 'fields.percorso', reason: 'campo obbligatorio' }]);
    const long = checkApplicant(
      rentApplicant({
        ...base,
        isee: { ...rentApplicant().isee, type: 'sociosanitario' },
        conditions: { domicilio: true },
        fields: { sostegno: 'buono_caregiver', caregiver: 'x'.repeat(201) },
      }),
      B2,
      { today: TODAY },
    );
    expect(long).toEqual([{ field: 'fields.caregiver', reason: 'al massimo 200 caratteri' }]);
  });

  it('requires the required declarations and refuses unknown ones', () => {
    const errors = checkApplicant(
      rentApplicant({
        conditions: { contratto_registrato: true, non_alloggio_pubblico: false, inventata: true },
      }),
      RENT,
      { today: TODAY },
    );
    expect(errors).toEqual([
      {
        field: 'conditions.non_alloggio_pubblico',
        reason:
          'dichiarazione obbligatoria: non assegnatario di un alloggio dei servizi abitativi pubblici (SAP)',
      },
      { field: 'conditions.inventata', reason: 'condizione non prevista dal bando' },
    ]);
  });

  it('requires the requested amount within the maximum when the call pays what is asked', () => {
    const reason = (requestedCents: number | undefined) =>
      checkApplicant(rentApplicant({ requestedCents }), RENT, { today: TODAY })[0];
    expect(reason(360_000)).toBeUndefined();
    expect(reason(360_001)).toEqual({ field: 'requestedCents', reason: 'al massimo € 3.600,00' });
    expect(reason(undefined)).toEqual({ field: 'requestedCents', reason: 'indicare l’importo richiesto' });
    expect(reason(0)?.reason).toBe('l’importo richiesto deve essere maggiore di zero');
  });

  it('refuses a birth date in the future and lists every error at once', () => {
    const errors = checkApplicant(
      rentApplicant({ birthDate: '2025-06-16', iban: 'IT00', requestedCents: undefined }),
      RENT,
      { today: TODAY },
    );
    expect(fieldsOf(errors)).toEqual(['codiceFiscale', 'birthDate', 'iban', 'requestedCents']);
  });
});
