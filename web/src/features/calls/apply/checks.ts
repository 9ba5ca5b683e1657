import { CodiceFiscale } from 'codice-fiscale-js';
import { t } from '../../../i18n';

export { ibanError } from '../iban';

/**
 * The checks the form runs while the applicant types: the same the server runs (applicant.ts),
 * so a mistake shows at once and not after sending. The server stays the judge.
 */

const CF_LAYOUT = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const DSU_PROTOCOL = /^INPS-ISEE-\d{4}-\d{9}-\d{2}$/;
const BELFIORE = /^[A-Z][0-9]{3}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Accents do not count in the codice fiscale (NICOLÒ is NCL): stripped as the server does. */
const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

export interface Person {
  firstName: string;
  lastName: string;
  birthDate: string;
  gender: string;
  birthPlace: string;
}

/** What in the personal data (those filled in) the codice fiscale does not match. */
function mismatches(cf: string, p: Person): string[] {
  const got = CodiceFiscale.fromOmocodiaToOriginal(cf);
  const m = t.calls.form.cfParts;
  const out: string[] = [];
  if (p.lastName.trim() && got.slice(0, 3) !== CodiceFiscale.surnameCode(plain(p.lastName.trim())))
    out.push(m.lastName);
  if (p.firstName.trim() && got.slice(3, 6) !== CodiceFiscale.nameCode(plain(p.firstName.trim())))
    out.push(m.firstName);
  const gender = p.gender === 'M' || p.gender === 'F' ? p.gender : null;
  if (ISO_DATE.test(p.birthDate)) {
    const [year, month, day] = p.birthDate.split('-').map(Number) as [number, number, number];
    const date = CodiceFiscale.dateCode(day, month, year, gender ?? 'M');
    if (got.slice(6, 9) !== date.slice(0, 3) || Number(got.slice(9, 11)) % 40 !== day) out.push(m.birthDate);
  }
  if (gender && Number(got.slice(9, 11)) > 40 !== (gender === 'F')) out.push(m.gender);
  const place = p.birthPlace.trim().toUpperCase();
  if (BELFIORE.test(place) && got.slice(11, 15) !== place) out.push(m.birthPlace);
  return out;
}

/** The codice fiscale: layout, check character, then agreement with the data typed so far. */
export function codiceFiscaleError(text: string, person: Person): string | undefined {
  const cf = text.trim().toUpperCase();
  if (!cf) return t.calls.form.required;
  if (cf.length !== 16) return t.calls.form.cfLength(cf.length);
  if (!CF_LAYOUT.test(cf)) return t.calls.form.cfLayout;
  if (!CodiceFiscale.check(cf)) return t.calls.form.cfCheck;
  const wrong = mismatches(cf, person);
  return wrong.length > 0 ? t.calls.form.cfMismatch(wrong.join(', ')) : undefined;
}

/** INPS-ISEE-AAAA-NNNNNNNNN-NN, the protocol INPS gives a DSU. */
export function dsuProtocolError(text: string): string | undefined {
  const value = text.trim().toUpperCase();
  if (!value) return t.calls.form.required;
  return DSU_PROTOCOL.test(value) ? undefined : t.calls.form.dsuFormat;
}

export function birthPlaceError(text: string): string | undefined {
  const value = text.trim().toUpperCase();
  if (!value) return t.calls.form.required;
  return BELFIORE.test(value) ? undefined : t.calls.form.birthPlaceFormat;
}

/**
 * The cadastral code of a Comune (or foreign State) of birth, from the library's list, which
 * also holds Comuni that no longer exist. `province` tells apart Comuni with the same name.
 */
export function findBelfiore(
  name: string,
  province: string,
): { code: string } | { error: 'unknown' | 'unknownOrAmbiguous' } {
  try {
    return { code: CodiceFiscale.findLocationCode(name.trim(), province.trim() || undefined) };
  } catch {
    // Without a province the library says "more than one province" for unknown names too.
    return { error: province.trim() ? 'unknown' : 'unknownOrAmbiguous' };
  }
}

/** A PDF the call accepts: by type and, before reading it, by size. */
export function fileError(file: File, maxBytes: number): string | undefined {
  const isPdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
  if (!isPdf) return t.calls.form.pdfOnly;
  if (file.size > maxBytes) return t.calls.form.fileTooBig(Math.ceil(maxBytes / 1024 / 1024));
  if (file.size === 0) return t.calls.form.fileEmpty;
  return undefined;
}

/** The file's bytes as base64 (without the data: prefix), read with a FileReader. */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
