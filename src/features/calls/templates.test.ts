import { describe, expect, it } from 'vitest';
import { validateCallRules } from './rules.schemas.js';
import { CALL_TEMPLATES, type TemplateCode, templateFor } from './templates.js';

const CODES = Object.keys(CALL_TEMPLATES) as TemplateCode[];

describe('call templates', () => {
  it.each(CODES)('%s is a valid call once its year is filled', (code) => {
    for (const year of [2024, 2025, 2030]) {
      const t = templateFor(code, year);
      expect(validateCallRules(t.rules)).toEqual(t.rules);
      expect(t.rules.eligibility.residenceOn).toBe(`${year}-01-01`);
      if (t.rules.eligibility.age) expect(t.rules.eligibility.age.on).toBe(`${year}-01-01`);
    }
  });

  it('keeps the placeholder in the catalogue and never mutates it', () => {
    templateFor('dopo_di_noi', 2025);
    expect(CALL_TEMPLATES.dopo_di_noi.rules.eligibility.residenceOn).toBe('AAAA-01-01');
    expect(CALL_TEMPLATES.dopo_di_noi.rules.eligibility.age?.on).toBe('AAAA-01-01');
    expect(() => validateCallRules(CALL_TEMPLATES.dopo_di_noi.rules)).toThrow();
  });

  it('refuses a year out of range', () => {
    expect(() => templateFor('misura_b2', 1999)).toThrow(RangeError);
    expect(() => templateFor('misura_b2', 2025.5)).toThrow(RangeError);
  });

  it('carries the values of the rules in DOMAIN (editable every year)', () => {
    const b2 = templateFor('misura_b2', 2025);
    expect([b2.fundCode, b2.rules.onDoesNotFit, b2.rules.ties]).toEqual([
      'FNA',
      'skip',
      ['isee_asc', 'received_asc'],
    ]);
    expect(b2.rules.eligibility.isee).toEqual({
      type: 'sociosanitario',
      maxCents: 2_500_000,
      alternatives: [
        { when: 'minore', type: 'ordinario', maxCents: 4_000_000 },
        { when: 'minore', type: 'minorenni', maxCents: 4_000_000 },
        { when: 'progetto_vita_indipendente', type: 'sociosanitario', maxCents: 3_000_000 },
      ],
    });
    expect(b2.rules.eligibility.disability?.anyOf).toEqual(['l104_art3_c3', 'indennita_accompagnamento']);
    // € 400 × 12 = € 4.800 in the first band
    expect(b2.rules.amount).toMatchObject({ kind: 'bands', bands: [{ cents: 400_00 * 12 }, {}, {}] });

    const ddn = templateFor('dopo_di_noi', 2025);
    expect([ddn.fundCode, ddn.rules.onDoesNotFit, ddn.rules.amount]).toEqual([
      'DOPO_DI_NOI',
      'stop',
      { kind: 'fixed', cents: 480_000 },
    ]);
    expect(ddn.rules.eligibility.age).toEqual({ min: 18, max: 64, on: '2025-01-01' });
    expect(ddn.rules.eligibility.conditions.find((c) => c.required)?.code).toBe('senza_sostegno_familiare');

    const rent = templateFor('sostegno_affitto', 2025);
    expect([rent.fundCode, rent.rules.onDoesNotFit, rent.rules.amount]).toEqual([
      'FSR',
      'partial',
      { kind: 'requested', maxCents: 360_000 },
    ]);
    expect(rent.rules.eligibility.isee?.maxCents).toBe(2_600_000);
    expect(rent.rules.eligibility.isee?.alternatives?.every((a) => a.maxCents === 3_500_000)).toBe(true);
  });
});
