import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { parseEuro } from '../../finance/money';
import type {
  ApplicantData,
  AttachmentUpload,
  CallRules,
  DisabilityCode,
  FieldValue,
  IseeType,
} from '../types';
import { birthPlaceError, codiceFiscaleError, dsuProtocolError, ibanError } from './checks';

/**
 * The application form's values as typed (strings, as the fields hold them), the checks on them,
 * and the body they become. Error keys are the server's paths without `applicant.`
 * (`codiceFiscale`, `isee.dsuProtocol`, `fields.sostegno`), plus `attachments.<code>`.
 */

export interface FormValues {
  firstName: string;
  lastName: string;
  codiceFiscale: string;
  birthDate: string;
  gender: string;
  birthPlace: string;
  residenceIstat: string;
  address: string;
  email: string;
  phone: string;
  iseeType: string;
  iseeValue: string;
  dsuProtocol: string;
  dsuDate: string;
  household: string;
  requested: string;
  iban: string;
  disability: DisabilityCode[];
  conditions: Record<string, boolean>;
  fields: Record<string, string>;
}

export type TextKey = Exclude<keyof FormValues, 'disability' | 'conditions' | 'fields'>;

/** Where each text value's error goes: the server's name for it. */
export const ERROR_KEY: Record<TextKey, string> = {
  firstName: 'firstName',
  lastName: 'lastName',
  codiceFiscale: 'codiceFiscale',
  birthDate: 'birthDate',
  gender: 'gender',
  birthPlace: 'birthPlace',
  residenceIstat: 'residenceIstat',
  address: 'address',
  email: 'email',
  phone: 'phone',
  iseeType: 'isee.type',
  iseeValue: 'isee.valueCents',
  dsuProtocol: 'isee.dsuProtocol',
  dsuDate: 'isee.dsuDate',
  household: 'householdMembers',
  requested: 'requestedCents',
  iban: 'iban',
};

/** The id of the control an error key belongs to: `isee.dsuProtocol` → `app-isee-dsuProtocol`. */
export const controlId = (key: string) => `app-${key.replace(/[.[\]]+/g, '-').replace(/-$/, '')}`;

export interface ChosenFile {
  file: File;
  base64: string;
}

export function initialValues(rules: CallRules): FormValues {
  return {
    firstName: '',
    lastName: '',
    codiceFiscale: '',
    birthDate: '',
    gender: '',
    birthPlace: '',
    residenceIstat: '',
    address: '',
    email: '',
    phone: '',
    iseeType: rules.eligibility.isee?.type ?? 'ordinario',
    iseeValue: '',
    dsuProtocol: '',
    dsuDate: '',
    household: '1',
    requested: '',
    iban: '',
    disability: [],
    conditions: Object.fromEntries(rules.eligibility.conditions.map((c) => [c.code, false])),
    fields: Object.fromEntries(rules.fields.map((f) => [f.code, ''])),
  };
}

/** The ISEE types this applicant may use, given the conditions declared so far. */
export function allowedIseeTypes(rules: CallRules, conditions: Record<string, boolean>): IseeType[] {
  const isee = rules.eligibility.isee;
  if (!isee) return [];
  const alt = (isee.alternatives ?? []).filter((a) => conditions[a.when]).map((a) => a.type);
  return [...new Set([isee.type, ...alt])];
}

const f = () => t.calls.form;
const today = () => new Date().toISOString().slice(0, 10);
const INT = /^\d+$/;

/** An extra field's value as the server wants it, or an error. */
function fieldValue(
  rule: CallRules['fields'][number],
  text: string,
): { value: FieldValue } | { error: string } {
  const s = text.trim();
  if (!s) return rule.required ? { error: f().required } : { value: null };
  switch (rule.kind) {
    case 'number': {
      const n = Number(s.replace(',', '.'));
      if (!Number.isFinite(n)) return { error: f().numberInvalid };
      if (rule.max !== undefined && n > rule.max) return { error: f().atMost(String(rule.max)) };
      return { value: n };
    }
    case 'cents': {
      const cents = parseEuro(s);
      if (cents === null) return { error: f().amountInvalid };
      if (rule.max !== undefined && cents > rule.max) return { error: f().atMost(formatMoney(rule.max)) };
      return { value: cents };
    }
    case 'boolean':
      return { value: s === 'true' };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) ? { value: s } : { error: f().dateInvalid };
    case 'select':
      return rule.options?.includes(s) ? { value: s } : { error: f().choose };
    default:
      if (rule.max !== undefined && s.length > rule.max) return { error: f().maxChars(rule.max) };
      return { value: s };
  }
}

/**
 * Every check of the form, with the body when there is nothing to correct. Whether the applicant
 * meets the requirements (ceiling, disability) is the office's review, not an error of the form.
 */
export function check(
  v: FormValues,
  rules: CallRules,
  files: Record<string, ChosenFile | undefined>,
): { errors: Record<string, string>; applicant: ApplicantData | null; attachments: AttachmentUpload[] } {
  const e: Record<string, string> = {};
  const need = (key: string, value: string) => {
    if (!value.trim()) e[key] = f().required;
  };
  need('firstName', v.firstName);
  need('lastName', v.lastName);
  const cf = codiceFiscaleError(v.codiceFiscale, v);
  if (cf) e.codiceFiscale = cf;
  if (!v.birthDate) e.birthDate = f().required;
  else if (v.birthDate > today()) e.birthDate = f().birthFuture;
  if (v.gender !== 'M' && v.gender !== 'F') e.gender = f().choose;
  const place = birthPlaceError(v.birthPlace);
  if (place) e.birthPlace = place;
  if (!v.residenceIstat) e.residenceIstat = f().choose;
  if (!v.address.trim()) e.address = f().required;
  else if (v.address.trim().length < 3) e.address = f().addressShort;
  if (v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) e.email = f().emailInvalid;
  if (v.phone.trim() && !/^\+?[0-9 ]{6,20}$/.test(v.phone.trim())) e.phone = f().phoneInvalid;

  const types = allowedIseeTypes(rules, v.conditions);
  if (types.length > 0 && !types.includes(v.iseeType as IseeType))
    e['isee.type'] = f().iseeTypeWanted(types.map((x) => t.calls.iseeTypes[x]).join(' o '));
  const iseeCents = parseEuro(v.iseeValue);
  if (iseeCents === null) e['isee.valueCents'] = v.iseeValue.trim() ? f().amountInvalid : f().required;
  const dsu = dsuProtocolError(v.dsuProtocol);
  if (dsu) e['isee.dsuProtocol'] = dsu;
  if (!v.dsuDate) e['isee.dsuDate'] = f().required;
  else if (v.dsuDate > today()) e['isee.dsuDate'] = f().dsuFuture;
  const household = INT.test(v.household.trim()) ? Number(v.household) : Number.NaN;
  if (!(household >= 1 && household <= 20)) e.householdMembers = f().householdInvalid;

  for (const c of rules.eligibility.conditions)
    if (c.required && !v.conditions[c.code]) e[`conditions.${c.code}`] = f().mustDeclare;
  const fields: Record<string, FieldValue> = {};
  for (const rule of rules.fields) {
    const got = fieldValue(rule, v.fields[rule.code] ?? '');
    if ('error' in got) e[`fields.${rule.code}`] = got.error;
    else if (got.value !== null) fields[rule.code] = got.value;
  }
  let requestedCents: number | undefined;
  if (rules.amount.kind === 'requested') {
    const cents = parseEuro(v.requested);
    if (cents === null || cents <= 0)
      e.requestedCents = v.requested.trim() ? f().amountInvalid : f().required;
    else if (cents > rules.amount.maxCents) e.requestedCents = f().atMost(formatMoney(rules.amount.maxCents));
    else requestedCents = cents;
  }
  const iban = ibanError(v.iban);
  if (iban) e.iban = iban;

  const attachments: AttachmentUpload[] = [];
  for (const a of rules.attachments) {
    const chosen = files[a.code];
    if (!chosen) {
      if (a.required) e[`attachments.${a.code}`] = f().attachmentMissing;
      continue;
    }
    attachments.push({
      code: a.code,
      filename: chosen.file.name,
      contentType: 'application/pdf',
      contentBase64: chosen.base64,
    });
  }
  if (Object.keys(e).length > 0 || iseeCents === null) return { errors: e, applicant: null, attachments };
  const applicant: ApplicantData = {
    codiceFiscale: v.codiceFiscale.trim().toUpperCase(),
    firstName: v.firstName.trim(),
    lastName: v.lastName.trim(),
    birthDate: v.birthDate,
    birthPlace: v.birthPlace.trim().toUpperCase(),
    gender: v.gender as 'M' | 'F',
    residenceIstat: v.residenceIstat,
    address: v.address.trim(),
    isee: {
      type: v.iseeType as IseeType,
      valueCents: iseeCents,
      dsuProtocol: v.dsuProtocol.trim().toUpperCase(),
      dsuDate: v.dsuDate,
    },
    householdMembers: household,
    disability: v.disability,
    conditions: v.conditions,
    fields,
    ...(requestedCents !== undefined ? { requestedCents } : {}),
    iban: v.iban.trim(),
    ...(v.email.trim() ? { email: v.email.trim() } : {}),
    ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
  };
  return { errors: e, applicant, attachments };
}

/**
 * The server's field errors on the form's keys: `applicant.isee.dsuProtocol` → `isee.dsuProtocol`,
 * `attachments[0].contentBase64` → `attachments.<code of the first file sent>`. What names no
 * field (the call is closed, already applied) is returned apart, to show at the top.
 */
export function serverErrors(
  errors: Array<{ field: string; reason: string }>,
  sent: AttachmentUpload[],
  known: (key: string) => boolean,
): { byKey: Record<string, string>; general: string[] } {
  const byKey: Record<string, string> = {};
  const general: string[] = [];
  for (const { field, reason } of errors) {
    const path = field.replace(/^body\./, '');
    let key = path.replace(/^applicant\./, '');
    // attachments[0].contentBase64 (the service) or attachments.0.contentBase64 (the schema).
    const m = /^attachments(?:\[(\d+)\]|\.(\d+))/.exec(path);
    if (m) key = `attachments.${sent[Number(m[1] ?? m[2])]?.code ?? ''}`;
    if (known(key)) byKey[key] ??= reason;
    else general.push(reason);
  }
  return { byKey, general };
}
