import { CodiceFiscale } from 'codice-fiscale-js';
import { isValidIBAN, ValidationErrorsIBAN, validateIBAN } from 'ibantools';
import { formatEuro } from '../../format.js';
import type { FieldError } from '../../http/errors.js';
import { IsoDate } from '../plan/plan.schemas.js';
import { iseeOptions } from './eligibility.js';
import type { ApplicantData, CallRules, FieldRule } from './rules.schemas.js';

/**
 * The form-level check of an application against its call: every value well formed and
 * consistent, named by its path so the web form can put the message next to the field.
 * Whether the applicant then meets the requirements is checkEligibility's job.
 */

// The codice fiscale layout: letters where omocodia may replace a digit are in [0-9LMNPQRSTUV].
const CF_LAYOUT = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const DSU_PROTOCOL = /^INPS-ISEE-\d{4}-\d{9}-\d{2}$/;

const compactIban = (text: string) => text.replace(/[\s-]/g, '').toUpperCase();

/**
 * The IBAN in electronic format (no spaces, upper case) when its check digits are right, else
 * null: "it60 x054 2811 1010 0000 0123 456" → "IT60X0542811101000000123456".
 */
export function normaliseIban(text: string): string | null {
  const iban = compactIban(text);
  return isValidIBAN(iban) ? iban : null;
}

/** INPS-ISEE-YYYY-NNNNNNNNN-NN, the protocol INPS gives a DSU (spaces and case forgiven). */
export function isDsuProtocol(text: string): boolean {
  return DSU_PROTOCOL.test(text.trim().toUpperCase());
}

/** Accents do not count in the codice fiscale (NICOLÒ is NCL, ZOË is ZOE): strip them first. */
const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

/** What in the personal data the codice fiscale does not match; empty when it matches. */
function codiceFiscaleMismatches(a: ApplicantData, cf: string): string[] {
  // Omocodia (letters replacing digits, for codes that would collide) does not change the meaning.
  const got = CodiceFiscale.fromOmocodiaToOriginal(cf);
  const [year, month, day] = a.birthDate.split('-').map(Number) as [number, number, number];
  const date = CodiceFiscale.dateCode(day, month, year, a.gender);
  const dayCode = Number(got.slice(9, 11));
  const out: string[] = [];
  if (got.slice(0, 3) !== CodiceFiscale.surnameCode(plain(a.lastName))) out.push('cognome');
  if (got.slice(3, 6) !== CodiceFiscale.nameCode(plain(a.firstName))) out.push('nome');
  if (got.slice(6, 9) !== date.slice(0, 3) || dayCode % 40 !== day) out.push('data di nascita');
  if (dayCode > 40 !== (a.gender === 'F')) out.push('sesso');
  if (got.slice(11, 15) !== a.birthPlace.toUpperCase()) out.push('luogo di nascita');
  return out;
}

function codiceFiscaleError(a: ApplicantData): string | undefined {
  const cf = a.codiceFiscale.trim().toUpperCase();
  if (!CF_LAYOUT.test(cf))
    return 'codice fiscale non valido: 6 lettere, 2 cifre, 1 lettera, 2 cifre, 1 lettera, 3 cifre, 1 lettera';
  if (!CodiceFiscale.check(cf)) return 'codice fiscale non valido: il carattere di controllo non corrisponde';
  const mismatches = codiceFiscaleMismatches(a, cf);
  if (mismatches.length > 0) return `il codice fiscale non corrisponde a: ${mismatches.join(', ')}`;
}

function ibanError(text: string): string | undefined {
  const iban = compactIban(text);
  if (!iban.startsWith('IT')) return 'serve un conto italiano: l’IBAN inizia con IT';
  const { valid, errorCodes } = validateIBAN(iban);
  if (valid) return;
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength))
    return 'IBAN di lunghezza errata: un IBAN italiano ha 27 caratteri';
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat))
    return 'IBAN non valido: caratteri non ammessi nelle posizioni del conto';
  return 'IBAN non valido: le cifre di controllo non corrispondono, ricontrollarlo';
}

function fieldError(rule: FieldRule, value: string | number | boolean): string | undefined {
  switch (rule.kind) {
    case 'text':
      if (typeof value !== 'string') return 'atteso un testo';
      if (rule.max !== undefined && value.trim().length > rule.max) return `al massimo ${rule.max} caratteri`;
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'atteso un numero';
      if (rule.max !== undefined && value > rule.max) return `al massimo ${rule.max}`;
      return;
    case 'cents':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
        return 'importo in centesimi: un numero intero non negativo';
      if (rule.max !== undefined && value > rule.max) return `al massimo ${formatEuro(rule.max)}`;
      return;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'atteso sì o no';
    case 'date':
      return IsoDate.safeParse(value).success ? undefined : 'data non valida: usare il formato AAAA-MM-GG';
    case 'select':
      return typeof value === 'string' && rule.options?.includes(value)
        ? undefined
        : `scegliere tra: ${(rule.options ?? []).join(', ')}`;
  }
}

function iseeErrors(a: ApplicantData, rules: CallRules, today: string, add: (f: string, r: string) => void) {
  if (!isDsuProtocol(a.isee.dsuProtocol))
    add('isee.dsuProtocol', 'protocollo DSU non valido: formato INPS-ISEE-AAAA-NNNNNNNNN-NN');
  const dsuYear = a.isee.dsuDate.slice(0, 4);
  if (a.isee.dsuDate > today) add('isee.dsuDate', 'la data di presentazione della DSU è nel futuro');
  // An ISEE is valid until 31 December of the year its DSU was filed (DPCM 159/2013 as amended).
  else if (today > `${dsuYear}-12-31`)
    add('isee.dsuDate', `ISEE scaduto il 31/12/${dsuYear}: serve una DSU presentata quest’anno`);
  const options = iseeOptions(rules, a.conditions);
  if (options.length > 0 && !options.some((o) => o.type === a.isee.type)) {
    const label = (code: string) => rules.eligibility.conditions.find((c) => c.code === code)?.label ?? code;
    const wanted = options.map((o) => (o.when ? `${o.type} (${label(o.when)})` : o.type));
    add('isee.type', `tipo di ISEE richiesto dal bando: ${[...new Set(wanted)].join(' o ')}`);
  }
}

export function checkApplicant(a: ApplicantData, rules: CallRules, ctx: { today: string }): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, reason: string) => errors.push({ field, reason });

  const cf = codiceFiscaleError(a);
  if (cf) add('codiceFiscale', cf);
  if (a.birthDate > ctx.today) add('birthDate', 'la data di nascita è nel futuro');
  const iban = ibanError(a.iban);
  if (iban) add('iban', iban);
  iseeErrors(a, rules, ctx.today, add);

  const known = new Map(rules.fields.map((f) => [f.code, f]));
  for (const rule of rules.fields) {
    const value = a.fields[rule.code];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (rule.required) add(`fields.${rule.code}`, 'campo obbligatorio');
      continue;
    }
    const reason = fieldError(rule, value);
    if (reason) add(`fields.${rule.code}`, reason);
  }
  for (const code of Object.keys(a.fields))
    if (!known.has(code)) add(`fields.${code}`, 'campo non previsto dal bando');

  const conditions = new Set(rules.eligibility.conditions.map((c) => c.code));
  for (const c of rules.eligibility.conditions)
    if (c.required && a.conditions[c.code] !== true)
      add(`conditions.${c.code}`, `dichiarazione obbligatoria: ${c.label}`);
  for (const code of Object.keys(a.conditions))
    if (!conditions.has(code)) add(`conditions.${code}`, 'condizione non prevista dal bando');

  if (rules.amount.kind === 'requested') {
    const max = rules.amount.maxCents;
    if (a.requestedCents === undefined) add('requestedCents', 'indicare l’importo richiesto');
    else if (a.requestedCents <= 0) add('requestedCents', 'l’importo richiesto deve essere maggiore di zero');
    else if (a.requestedCents > max) add('requestedCents', `al massimo ${formatEuro(max)}`);
  }
  return errors;
}
