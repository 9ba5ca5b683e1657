import { z } from 'zod';

/**
 * What no text field of the contract may hold: control characters other than tab, newline and
 * carriage return (PostgreSQL refuses NUL outright; the rest only corrupts CSV, PDF and logs),
 * and lone UTF-16 surrogates, which cannot be encoded as UTF-8.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSAFE_TEXT_REASON = 'contiene caratteri di controllo o non validi';

export function isSafeText(value: string): boolean {
  return !UNSAFE.test(value);
}

/**
 * The first path (dot-separated, array indexes as numbers) inside `value` whose string holds an
 * unsafe character, object keys included; `undefined` when everything is clean.
 */
export function findUnsafeText(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return isSafeText(value) ? undefined : path.join('.') || '(valore)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, String(i)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [key, inner] of Object.entries(value)) {
      if (!isSafeText(key)) return [...path, key].join('.') || '(chiave)';
      const found = findUnsafeText(inner, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The one string schema of the contract: any text a person types or a file carries. */
export const Text = () => z.string().refine(isSafeText, UNSAFE_TEXT_REASON);
