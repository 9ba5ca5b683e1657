import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from './format';

describe('formatMoney', () => {
  it('puts the euro sign first with Italian separators', () => {
    expect(formatMoney(123456)).toBe('€ 1.234,56');
    expect(formatMoney(0)).toBe('€ 0,00');
    expect(formatMoney(5)).toBe('€ 0,05');
    expect(formatMoney(123456789012)).toBe('€ 1.234.567.890,12');
  });

  it('keeps the sign of negative amounts', () => {
    expect(formatMoney(-123456)).toBe('-€ 1.234,56');
  });

  it('rejects non-integer cents', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
  });
});

describe('formatNumber', () => {
  it('groups thousands with dots, four-digit numbers included', () => {
    expect(formatNumber(1234)).toBe('1.234');
    expect(formatNumber(123456)).toBe('123.456');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(1234.5)).toBe('1.234,5');
  });
});

describe('formatPercent', () => {
  it('uses a decimal comma', () => {
    expect(formatPercent(0.1234)).toBe('12,3%');
  });
});

describe('formatDate', () => {
  it('formats calendar dates as dd/mm/yyyy regardless of time zone', () => {
    expect(formatDate('2024-01-05')).toBe('05/01/2024');
    expect(formatDate('2023-12-31T23:30:00Z')).toBe('31/12/2023');
  });

  it('returns unparseable input unchanged', () => {
    expect(formatDate('ieri')).toBe('ieri');
  });
});

describe('formatDateTime', () => {
  it('formats instants as dd/mm/yyyy HH:mm:ss in Italian time', () => {
    expect(formatDateTime('2024-01-05T08:04:03Z')).toBe('05/01/2024 09:04:03');
    expect(formatDateTime('2024-07-31T22:30:00Z')).toBe('01/08/2024 00:30:00');
  });

  it('returns unparseable input unchanged', () => {
    expect(formatDateTime('ieri')).toBe('ieri');
  });
});
