/**
 * Italian formats for what the server itself writes for people (documents, messages):
 * the web UI has its own twin in web/src/format.ts.
 */

/** Integer cents as "€ 1.234,56" — integer arithmetic only, money never becomes a float. */
export function formatEuro(cents: number): string {
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${cents < 0 ? '-' : ''}€ ${euros},${String(abs % 100).padStart(2, '0')}`;
}

/** An ISO date (yyyy-mm-dd) as dd/mm/yyyy. */
export const formatDate = (iso: string) => iso.split('-').reverse().join('/');
