/**
 * Amounts typed the Italian way, turned into integers by reading the digits: never through a
 * binary float, so "0,29" is 29 cents and not 28.999…
 */

/** Up to 100 billion euro, as the server accepts; well inside Number.MAX_SAFE_INTEGER in cents. */
const MAX_CENTS = 100_000_000_000_00;

/**
 * Digits with an optional fraction, in Italian notation: "1.234,56", "1234,5", "1 234,56", "€ 12",
 * "0,29". A dot groups thousands ("1.234" is one thousand two hundred and thirty-four); a single dot
 * followed by one or two digits ("12.50"), which cannot be a grouping, is read as the decimal point.
 */
function splitDecimal(text: string, maxDecimals: number): { whole: string; fraction: string } | null {
  const s = text.replace(/[€\s\u00a0\u202f]/g, '');
  if (!s) return null;
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(s) ?? /^(\d+)\.(\d{1,2})$/.exec(s);
  if (!m) return null;
  const whole = (m[1] ?? '').replace(/\./g, '');
  const fraction = m[2] ?? '';
  if (fraction.length > maxDecimals) return null;
  return { whole, fraction: fraction.padEnd(maxDecimals, '0') };
}

function toSafeInteger(digits: string, max: number): number | null {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  // Compared as strings first: a string of 30 digits must not be parsed into an approximate float.
  if (trimmed.length > String(max).length) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

/** "1.234,56" → 123456; "12" → 1200; "0,5" → 50. Null when it is not an amount in euro. */
export function parseEuro(text: string): number | null {
  const parts = splitDecimal(text, 2);
  if (!parts) return null;
  return toSafeInteger(parts.whole + parts.fraction, MAX_CENTS);
}

/** 123456 → "1234,56": an amount ready to be typed back into a field. */
export function centsToInput(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** Full-time equivalents: "2,5" → 250 hundredths; "3" → 300. Null when not a figure. */
export function parseFte(text: string): number | null {
  const parts = splitDecimal(text, 2);
  if (!parts) return null;
  return toSafeInteger(parts.whole + parts.fraction, 100_000);
}

/** 250 → "2,5"; 300 → "3"; 1234 → "12,34". */
export function formatHundredths(value: number): string {
  const whole = Math.trunc(value / 100);
  const fraction = String(value % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return fraction ? `${grouped},${fraction}` : grouped;
}

/**
 * The exact share of a split, in cents with six decimals ("123456.789012"), as euro:
 * "€ 1.234,56789012". Kept a string: it is the figure before rounding, shown as it is.
 */
export function formatExactCents(exact: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(exact);
  if (!m) return exact;
  const digits = (m[2] ?? '0').padStart(3, '0');
  const euros = digits.slice(0, -2).replace(/^0+(?=\d)/, '');
  const cents = digits.slice(-2);
  const decimals = `${cents}${m[3] ?? ''}`.replace(/0+$/, '').padEnd(2, '0');
  const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${m[1] ? '-' : ''}€ ${grouped},${decimals}`;
}
