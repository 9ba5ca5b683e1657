/**
 * Italian formats for what the server itself writes for people (documents, messages):
 * the web UI has its own twin in web/src/format.ts.
 */

/** The digits of |cents| as whole units and two decimals, without dividing: 123456 → "1234", "56". */
export function centsDigits(cents: number): { sign: string; units: string; decimals: string } {
  if (!Number.isSafeInteger(cents)) throw new Error(`importo non intero in centesimi: ${cents}`);
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return { sign: cents < 0 ? '-' : '', units: digits.slice(0, -2), decimals: digits.slice(-2) };
}

const group = (units: string) => units.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** Integer cents as "1.234,56": from the digits alone, money never becomes a float. */
export function formatCents(cents: number): string {
  const { sign, units, decimals } = centsDigits(cents);
  return `${sign}${group(units)},${decimals}`;
}

/** Integer cents as "€ 1.234,56". */
export function formatEuro(cents: number): string {
  const { sign, units, decimals } = centsDigits(cents);
  return `${sign}€ ${group(units)},${decimals}`;
}

/** Integer cents as "1234,56": no thousands dots, so an Italian spreadsheet reads a CSV cell as a number. */
export function csvCents(cents: number): string {
  const { sign, units, decimals } = centsDigits(cents);
  return `${sign}${units},${decimals}`;
}

/** An ISO date (yyyy-mm-dd) as dd/mm/yyyy. */
export const formatDate = (iso: string) => iso.split('-').reverse().join('/');
