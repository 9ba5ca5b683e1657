import { describe, expect, it } from 'vitest';
import { iseeBand, maskIban, pseudonymiseScore, pseudonymOf } from './pseudonym.js';

describe('pseudonymised views', () => {
  it('puts an ISEE in its 5,000 € band, with one open band from 50,000 €', () => {
    expect(iseeBand(0)).toEqual({ fromCents: 0, toCents: 5_000_00 });
    expect(iseeBand(4_999_99)).toEqual({ fromCents: 0, toCents: 5_000_00 });
    expect(iseeBand(5_000_00)).toEqual({ fromCents: 5_000_00, toCents: 10_000_00 });
    expect(iseeBand(49_999_99)).toEqual({ fromCents: 45_000_00, toCents: 50_000_00 });
    expect(iseeBand(80_000_00)).toEqual({ fromCents: 50_000_00, toCents: null });
  });

  it('masks an IBAN to its country and last four characters', () => {
    expect(maskIban('IT60 X054 2811 1010 0000 0123 456')).toBe(`IT${'*'.repeat(21)}3456`);
    expect(maskIban('IT60')).toBe('****');
  });

  it('gives one person one pseudonym in an Ambito, another elsewhere or under another key', () => {
    const cf = 'RSSMRA30A01F704X';
    const a = pseudonymOf('chiave', 'ambito-1', cf);
    expect(pseudonymOf('chiave', 'ambito-1', cf.toLowerCase())).toBe(a);
    expect(pseudonymOf('chiave', 'ambito-2', cf)).not.toBe(a);
    expect(pseudonymOf('altra', 'ambito-1', cf)).not.toBe(a);
    expect(a).toMatch(/^P-[0-9A-F]{10}$/);
    expect(a).not.toContain(cf.slice(0, 6));
  });

  it('says a disability scored without saying which', () => {
    expect(
      pseudonymiseScore([
        { criterion: 'disability.l104_art3_c3', points: 10 },
        { criterion: 'isee', points: 5 },
      ]),
    ).toEqual([
      { criterion: 'disability', points: 10 },
      { criterion: 'isee', points: 5 },
    ]);
  });
});
