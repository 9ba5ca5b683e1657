import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../format';
import { centsToInput, formatExactCents, formatHundredths, parseEuro, parseFte } from './money';

describe('parseEuro', () => {
  it('reads amounts typed the Italian way into integer cents', () => {
    expect(parseEuro('1.234,56')).toBe(123456);
    expect(parseEuro('1234,56')).toBe(123456);
    expect(parseEuro('€ 1.234.567,8')).toBe(123456780);
    expect(parseEuro('12')).toBe(1200);
    expect(parseEuro('0,5')).toBe(50);
    expect(parseEuro(' 1 234,00 ')).toBe(123400);
    expect(parseEuro('1.234')).toBe(123400);
  });

  it('never goes through a float: the classic 0,29 and 1,15 stay exact', () => {
    expect(parseEuro('0,29')).toBe(29);
    expect(parseEuro('1,15')).toBe(115);
    expect(parseEuro('4,35')).toBe(435);
    expect(parseEuro('1.000.000.000,07')).toBe(100000000007);
  });

  it('reads a single dot with one or two decimals as the decimal point', () => {
    expect(parseEuro('12.5')).toBe(1250);
    expect(parseEuro('12.50')).toBe(1250);
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', 'abc', '1,234,5', '1,234', '12.3456', '1.23.456', '-5', '1e3', ',5', '1.2345,00'])
      expect(parseEuro(text), text).toBeNull();
  });

  it('refuses amounts over 100 billion euro', () => {
    expect(parseEuro('100.000.000.000,00')).toBe(100_000_000_000_00);
    expect(parseEuro('100.000.000.000,01')).toBeNull();
    expect(parseEuro('99999999999999999999999')).toBeNull();
  });

  it('round-trips every amount through its display and input forms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000_00 }), (cents) => {
        expect(parseEuro(centsToInput(cents))).toBe(cents);
        expect(parseEuro(formatMoney(cents))).toBe(cents);
      }),
    );
  });
});

describe('parseFte and formatHundredths', () => {
  it('reads full-time equivalents in hundredths', () => {
    expect(parseFte('2,5')).toBe(250);
    expect(parseFte('3')).toBe(300);
    expect(parseFte('0,75')).toBe(75);
    expect(parseFte('2,555')).toBeNull();
    expect(parseFte('x')).toBeNull();
  });

  it('writes hundredths back without trailing zeros', () => {
    expect(formatHundredths(250)).toBe('2,5');
    expect(formatHundredths(300)).toBe('3');
    expect(formatHundredths(1234)).toBe('12,34');
    expect(formatHundredths(123456)).toBe('1.234,56');
    expect(formatHundredths(0)).toBe('0');
  });
});

describe('formatExactCents', () => {
  it('shows the exact share in euro with every decimal it has', () => {
    expect(formatExactCents('123456.789012')).toBe('€ 1.234,56789012');
    expect(formatExactCents('5.500000')).toBe('€ 0,055');
    expect(formatExactCents('100.000000')).toBe('€ 1,00');
    expect(formatExactCents('0')).toBe('€ 0,00');
  });
});
