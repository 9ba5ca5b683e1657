/**
 * Amounts written the Italian way ("€ 1.234,56") read into integer cents, strictly and without
 * ever going through a float. A CSV cell or a form field that could mean two different amounts is
 * refused with the reason, rather than guessed: "1.234" is one thousand two hundred and thirty-four
 * euro (a thousands dot), never 1 euro and 23.4 cents.
 */

/** An amount that cannot be read; the message (in Italian) says why. */
export class AmountError extends Error {
  override readonly name = 'AmountError';
}

const MIXED_SEPARATORS = 'separatori misti o punto usato come decimale: usare la virgola per i decimali';
const BAD_GROUPS = 'punti delle migliaia in posizione errata: i gruppi dopo il punto devono avere tre cifre';

/**
 * Integer cents from "1.234.567,89", "1234567,89", "12,5", "€ 12", "12 €". Spaces around the
 * amount and around the euro sign are ignored (including the non-breaking ones spreadsheets use).
 */
export function parseEuroAmount(text: string): number {
  let s = text.trim();
  if (s.startsWith('€')) s = s.slice(1).trim();
  else if (s.endsWith('€')) s = s.slice(0, -1).trim();

  if (s === '') throw new AmountError('importo vuoto');
  if (/^[-−–]/.test(s) || /^\(.*\)$/.test(s)) throw new AmountError('importo negativo: non ammesso');
  if (!/^[0-9.,]+$/.test(s)) {
    throw new AmountError(
      'non è un importo: sono ammesse solo cifre, il punto per le migliaia e la virgola per i decimali',
    );
  }

  const comma = s.indexOf(',');
  const hasComma = comma >= 0;
  const integer = hasComma ? s.slice(0, comma) : s;
  const decimals = hasComma ? s.slice(comma + 1) : '';
  if (decimals.includes('.')) throw new AmountError(MIXED_SEPARATORS);
  if (decimals.includes(',')) throw new AmountError('più di una virgola');
  if (hasComma && decimals === '') throw new AmountError('mancano i decimali dopo la virgola');
  if (decimals.length > 2) throw new AmountError('più di due decimali');
  if (integer === '') throw new AmountError('manca la parte intera: scrivere ad esempio 0,50');

  const cents = BigInt(euroDigits(integer, hasComma)) * 100n + BigInt(decimals.padEnd(2, '0'));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountError('importo troppo grande');
  return Number(cents);
}

/** The digits of the integer part, once its thousands dots are proven to be thousands dots. */
function euroDigits(integer: string, hasComma: boolean): string {
  if (!integer.includes('.')) return integer;
  const groups = integer.split('.');
  const head = groups.slice(0, -1);
  const last = groups.at(-1) ?? '';
  if (isThousandsGrouping(groups)) return groups.join('');

  // Tell the likely slip apart from plain bad grouping, so the message points at the fix:
  // "1234.56" or "0.500" use the dot as a decimal point; "1.234.56,7" has well-placed thousands
  // dots and then one more where the decimals start; "12.34,00" is just badly grouped.
  const dotAsDecimal = hasComma
    ? head.length >= 2 && isThousandsGrouping(head) && /^\d{1,2}$/.test(last)
    : last.length !== 3 || (groups[0] ?? '').startsWith('0');
  throw new AmountError(dotAsDecimal ? MIXED_SEPARATORS : BAD_GROUPS);
}

/** "1", "234", "567": a first group of one to three digits not starting with 0, then groups of three. */
function isThousandsGrouping(groups: readonly string[]): boolean {
  return /^[1-9]\d{0,2}$/.test(groups[0] ?? '') && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}
