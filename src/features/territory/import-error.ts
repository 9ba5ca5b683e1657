import { isUtf8 } from 'node:buffer';

/**
 * Error raised by the territory importers (ISTAT comuni list, POSAS population), plus the few
 * text helpers both importers share.
 *
 * Imports are all-or-nothing: the first problem found aborts the whole import and is reported
 * with the physical (1-based) line of the file it refers to, so that an Ufficio di Piano operator
 * can open the file and find it. `reason` is in Italian because it is shown to end users as is;
 * `field` is the English identifier of the offending field (e.g. `istatCode`), when there is one.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    public readonly line: number,
    public readonly reason: string,
    public readonly field?: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** 1-based line of the character at `index` in `text` (lines separated by `\n`). */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Header cell normalisation: case-, accent-, whitespace- and newline-insensitive, typographic
 * apostrophes folded to `'`. `"Denominazione dell'Unità territoriale \r\n(valida …)"` becomes
 * `"denominazione dell'unita territoriale (valida …)"`.
 */
export function normalizeHeader(cell: string): string {
  return cell
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u0060\u00B4]/g, "'")
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * 1-based line of the first byte sequence that is not valid UTF-8, or `null` if `buf` is valid
 * UTF-8. A multi-byte sequence never contains a line feed (continuation bytes are >= 0x80), so
 * checking line by line finds exactly the line of the first invalid sequence.
 */
export function firstInvalidUtf8Line(buf: Uint8Array): number | null {
  if (isUtf8(buf)) return null;
  for (let start = 0, line = 1; ; line++) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    if (nl === -1 || !isUtf8(buf.subarray(start, end))) return line;
    start = nl + 1;
  }
}

/**
 * UTF-8 text that was decoded as Latin-1 / windows-1252 ("mojibake"): the lead byte of a Latin
 * letter (0xC2-0xC5, rendered `Â Ã Ä Å`) followed by a continuation byte (0x80-0xBF, rendered
 * either as the Latin-1 character or as its windows-1252 replacement such as `€` or `™`) — e.g.
 * `Ã¨` for `è`, `Å¾` for `ž` — or a punctuation sequence like `â€™` for `’`. Legitimate Italian,
 * German, French or Slovenian names never contain these pairs; leads such as `È` or `Ü` are left
 * out on purpose to avoid false positives.
 */
const CONT =
  '\\u0080-\\u00BF\\u20AC\\u201A\\u0192\\u201E\\u2026\\u2020\\u2021\\u02C6\\u2030\\u0160\\u2039\\u0152\\u017D\\u2018\\u2019\\u201C\\u201D\\u2022\\u2013\\u2014\\u02DC\\u2122\\u0161\\u203A\\u0153\\u017E\\u0178';
export const MOJIBAKE_RE = new RegExp(`[\\u00C2-\\u00C5][${CONT}]|\\u00E2[${CONT}]{2}`);

/** Control characters that never occur in a well-encoded CSV text (NUL, C0 except tab/CR/LF, C1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
