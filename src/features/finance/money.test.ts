import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountError, parseEuroAmount } from './money.js';

function refusal(text: string): string {
  try {
    parseEuroAmount(text);
  } catch (error) {
    if (error instanceof AmountError) return error.message;
    throw error;
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe('parseEuroAmount: accepted', () => {
  it.each([
    ['1.234.567,89', 123_456_789],
    ['1234567,89', 123_456_789],
    ['12,5', 1250],
    ['12,50', 1250],
    ['0,05', 5],
    ['0', 0],
    ['1.234', 123_400],
    ['1.000.000', 100_000_000],
    ['999', 99_900],
    ['007,10', 710],
    ['€ 1.234,56', 123_456],
    ['€1.234,56', 123_456],
    ['  €  12 ', 1200],
    ['1.234,56 €', 123_456],
    ['1.234,56\u00a0€', 123_456],
    ['90.071.992.547.409,91', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseEuroAmount(text)).toBe(cents);
  });
});

describe('parseEuroAmount: refused, with the reason', () => {
  const mixed = 'separatori misti o punto usato come decimale: usare la virgola per i decimali';

  it.each([
    ['', 'importo vuoto'],
    ['   ', 'importo vuoto'],
    ['€', 'importo vuoto'],
    ['-5', 'importo negativo'],
    ['−5', 'importo negativo'],
    ['€ -5,00', 'importo negativo'],
    ['(5)', 'importo negativo'],
    ['(1.234,56)', 'importo negativo'],
    ['abc', 'non è un importo'],
    ['12a', 'non è un importo'],
    ['1 234,56', 'non è un importo'],
    ['+5', 'non è un importo'],
    ['1e3', 'non è un importo'],
    ['€ € 5', 'non è un importo'],
    ['1,234', 'più di due decimali'],
    ['0,001', 'più di due decimali'],
    ['1234.56', mixed],
    ['1,234.56', mixed],
    ['1.234.56,7', mixed],
    ['12.5', mixed],
    ['0.500', mixed],
    ['.5', mixed],
    ['5.', mixed],
    ['12.34,00', 'punti delle migliaia in posizione errata'],
    ['1234.567', 'punti delle migliaia in posizione errata'],
    ['1..234', 'punti delle migliaia in posizione errata'],
    ['1,2,3', 'più di una virgola'],
    ['12,', 'mancano i decimali'],
    [',50', 'manca la parte intera'],
    ['90.071.992.547.409,92', 'importo troppo grande'],
    ['99999999999999999999', 'importo troppo grande'],
  ])('refuses %j', (text, reason) => {
    expect(refusal(text)).toContain(reason);
  });
});

/** Cents the Italian way, by string operations only: "1.234,5" style with optional thousands dots. */
function formatItalian(
  cents: number,
  opts: { dots: boolean; euro: boolean; shortDecimals: boolean },
): string {
  const digits = String(cents).padStart(3, '0');
  let euros = digits.slice(0, -2).replace(/^0+(?=\d)/, '');
  let decimals = digits.slice(-2);
  if (opts.dots) euros = euros.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  if (opts.shortDecimals) decimals = decimals.replace(/0$/, '').replace(/^0$/, '');
  const amount = decimals === '' ? euros : `${euros},${decimals}`;
  return opts.euro ? `€ ${amount}` : amount;
}

describe('parseEuroAmount: properties', () => {
  const options = fc.record({ dots: fc.boolean(), euro: fc.boolean(), shortDecimals: fc.boolean() });

  it('reads back what the Italian formatting wrote', () => {
    const cents = fc.oneof(fc.nat(1_000), fc.nat(100_000_000), fc.maxSafeNat());
    fc.assert(
      fc.property(cents, options, (c, opts) => {
        expect(parseEuroAmount(formatItalian(c, opts))).toBe(c);
      }),
    );
  });

  it('on any text either answers safe non-negative cents or an AmountError', () => {
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[€ (-]?[0-9.,]{0,12}[ )€]?$/));
    fc.assert(
      fc.property(text, (t) => {
        try {
          const c = parseEuroAmount(t);
          expect(Number.isSafeInteger(c) && c >= 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(AmountError);
        }
      }),
    );
  });
});
