import { describe, expect, it } from 'vitest';
import { formatMillis, formatMinute, fromLocalInput, toLocalInput } from './when';

describe('instants of calls in Italian time', () => {
  it('shows receipts to the millisecond and windows to the minute, in Europe/Rome', () => {
    expect(formatMillis('2026-03-01T08:00:00.007Z')).toBe('01/03/2026 09:00:00.007');
    expect(formatMillis('2026-07-01T21:59:59.999Z')).toBe('01/07/2026 23:59:59.999');
    expect(formatMinute('2026-12-31T23:30:00Z')).toBe('01/01/2027 00:30');
  });

  it('reads a datetime-local value as Rome wall time, with the offset of that day', () => {
    expect(fromLocalInput('2026-01-15T09:00')).toBe('2026-01-15T09:00:00+01:00');
    expect(fromLocalInput('2026-07-15T09:00')).toBe('2026-07-15T09:00:00+02:00');
    // The night summer time starts (29/03/2026, 02:00 → 03:00) and ends (25/10/2026).
    expect(fromLocalInput('2026-03-29T12:00')).toBe('2026-03-29T12:00:00+02:00');
    expect(fromLocalInput('2026-10-25T12:00')).toBe('2026-10-25T12:00:00+01:00');
    expect(fromLocalInput('not a date')).toBeNull();
    expect(toLocalInput('2026-07-15T07:00:00Z')).toBe('2026-07-15T09:00');
  });
});
