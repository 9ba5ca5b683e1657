/**
 * Italian formatting for dates, money and counts. Grouping is forced to "always" because
 * CLDR's Italian locale leaves four-digit numbers ungrouped (1234), while Italian public
 * administration documents write 1.234.
 */

const LOCALE = 'it-IT';

const integerFormat = new Intl.NumberFormat(LOCALE, { useGrouping: 'always', maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat(LOCALE, { useGrouping: 'always', maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const currencyFormat = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'EUR',
  useGrouping: 'always',
});
// Dates are calendar days without a time zone; formatting them in UTC keeps the day stable
// whatever the browser's zone is.
const dateFormat = new Intl.DateTimeFormat(LOCALE, {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'UTC',
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** 1234567 → "1.234.567"; fractional input keeps up to two decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? integerFormat.format(value) : decimalFormat.format(value);
}

/** 0.1234 → "12,3%". */
export function formatPercent(ratio: number): string {
  return percentFormat.format(ratio);
}

/**
 * Integer euro cents → "€ 1.234,56". Intl puts the symbol after the amount for it-IT;
 * the symbol-first form is the one used on Italian invoices and budget tables.
 */
export function formatMoney(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Importo non valido: ${cents}`);
  const parts = currencyFormat.formatToParts(cents / 100);
  const negative = parts.some((p) => p.type === 'minusSign');
  const amount = parts
    .filter(
      (p) => p.type === 'integer' || p.type === 'group' || p.type === 'decimal' || p.type === 'fraction',
    )
    .map((p) => p.value)
    .join('');
  return `${negative ? '-' : ''}€ ${amount}`;
}

/** "2024-03-01" (or a full ISO timestamp) → "01/03/2024". Unparseable input is returned unchanged. */
export function formatDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

// Timestamps are instants: shown in Italian civil time whatever the browser's zone is.
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Rome',
});

/** "2024-03-01T09:05:07Z" → "01/03/2024 10:05:07" (Europe/Rome). Unparseable input is returned unchanged. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = Object.fromEntries(dateTimeFormat.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}
