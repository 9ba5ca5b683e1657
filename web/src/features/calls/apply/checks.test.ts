import { CodiceFiscale } from 'codice-fiscale-js';
import { describe, expect, it } from 'vitest';
import type { CallRules } from '../types';
import { codiceFiscaleError, dsuProtocolError, findBelfiore, ibanError } from './checks';
import { check, controlId, initialValues, serverErrors } from './model';

const person = {
  firstName: 'Mario',
  lastName: 'Rossi',
  birthDate: '1930-01-01',
  gender: 'M',
  birthPlace: 'F704',
};
const CF = CodiceFiscale.compute({
  name: 'Mario',
  surname: 'Rossi',
  gender: 'M',
  day: 1,
  month: 1,
  year: 1930,
  birthplace: 'F704',
});

describe('the checks run while typing', () => {
  it('accepts a codice fiscale that matches the person, and says what does not match', () => {
    expect(codiceFiscaleError(CF, person)).toBeUndefined();
    expect(codiceFiscaleError(CF.toLowerCase(), person)).toBeUndefined();
    expect(codiceFiscaleError(CF.slice(0, 10), person)).toContain('ne sono stati scritti 10');
    const wrongCheck = `${CF.slice(0, 15)}${CF.at(-1) === 'A' ? 'B' : 'A'}`;
    expect(codiceFiscaleError(wrongCheck, person)).toContain('di controllo');
    expect(codiceFiscaleError(CF, { ...person, firstName: 'Luca', gender: 'F' })).toBe(
      'Il codice fiscale non corrisponde a: nome, sesso.',
    );
    // Fields not filled in yet are not held against the code.
    expect(
      codiceFiscaleError(CF, { ...person, firstName: '', birthDate: '', birthPlace: '' }),
    ).toBeUndefined();
  });

  it('checks IBAN check digits and the DSU protocol format', () => {
    expect(ibanError('it60 x054 2811 1010 0000 0123 456')).toBeUndefined();
    expect(ibanError('IT61X0542811101000000123456')).toContain('cifre di controllo');
    expect(ibanError('DE89370400440532013000')).toContain('inizia con IT');
    expect(ibanError('IT60X054281110100000012345')).toContain('27 caratteri');
    expect(dsuProtocolError('inps-isee-2026-000000001-00')).toBeUndefined();
    expect(dsuProtocolError('INPS-ISEE-2026-1-00')).toContain('INPS-ISEE-AAAA-NNNNNNNNN-NN');
  });

  it('finds the cadastral code of a Comune or State by name, asking the province when ambiguous', () => {
    expect(findBelfiore('Monza', '')).toEqual({ code: 'F704' });
    expect(findBelfiore('francia', '')).toEqual({ code: 'Z110' });
    expect(findBelfiore('Castro', '')).toEqual({ error: 'unknownOrAmbiguous' });
    expect(findBelfiore('Castro', 'BG')).toEqual({ code: 'C337' });
    expect(findBelfiore('Atlantide', 'MI')).toEqual({ error: 'unknown' });
  });
});

const rules: CallRules = {
  eligibility: {
    residenceOn: '2026-01-01',
    isee: { type: 'ordinario', maxCents: 2_600_000 },
    conditions: [{ code: 'contratto', label: 'contratto registrato', required: true }],
  },
  fields: [{ code: 'canone', label: 'canone mensile', kind: 'cents', required: true, max: 300_000 }],
  attachments: [],
  scoring: { isee: [] },
  ties: ['received_asc'],
  amount: { kind: 'requested', maxCents: 360_000 },
  onDoesNotFit: 'partial',
  appealDays: 30,
};

describe('the application body', () => {
  it('turns what was typed into the request, amounts in integer cents', () => {
    const v = {
      ...initialValues(rules),
      ...person,
      codiceFiscale: CF,
      residenceIstat: '015209',
      address: 'via Roma 1',
      iseeValue: '12.345,67',
      dsuProtocol: 'INPS-ISEE-2026-000000001-00',
      dsuDate: '2026-01-15',
      household: '3',
      requested: '1.200',
      iban: 'IT60X0542811101000000123456',
      conditions: { contratto: true },
      fields: { canone: '450,5' },
    };
    const { errors, applicant } = check(v, rules, {});
    expect(errors).toEqual({});
    expect(applicant?.isee.valueCents).toBe(1_234_567);
    expect(applicant?.requestedCents).toBe(120_000);
    expect(applicant?.fields).toEqual({ canone: 45_050 });
    expect(applicant?.householdMembers).toBe(3);
  });

  it('names every problem by the server’s path', () => {
    const { errors, applicant } = check(
      { ...initialValues(rules), requested: '9.999,00', fields: { canone: '4.000,00' } },
      rules,
      {},
    );
    expect(applicant).toBeNull();
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining([
        'codiceFiscale',
        'isee.dsuProtocol',
        'conditions.contratto',
        'fields.canone',
        'requestedCents',
      ]),
    );
    expect(errors.requestedCents).toBe('Al massimo € 3.600,00.');
    expect(controlId('isee.dsuProtocol')).toBe('app-isee-dsuProtocol');
  });

  it('puts the server’s errors next to their fields, attachments by the code sent', () => {
    const sent = [{ code: 'verbale', filename: 'v.pdf', contentType: 'application/pdf', contentBase64: 'x' }];
    const known = (k: string) => ['codiceFiscale', 'isee.dsuProtocol', 'attachments.verbale'].includes(k);
    expect(
      serverErrors(
        [
          { field: 'applicant.codiceFiscale', reason: 'già presente' },
          { field: 'body.applicant.isee.dsuProtocol', reason: 'formato' },
          { field: 'attachments[0].contentBase64', reason: 'non è un PDF' },
          { field: 'callId', reason: 'bando chiuso' },
        ],
        sent,
        known,
      ),
    ).toEqual({
      byKey: {
        codiceFiscale: 'già presente',
        'isee.dsuProtocol': 'formato',
        'attachments.verbale': 'non è un PDF',
      },
      general: ['bando chiuso'],
    });
  });
});
