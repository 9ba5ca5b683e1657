import { ValidationErrorsIBAN, validateIBAN } from 'ibantools';
import { t } from '../../i18n';

const compact = (text: string) => text.replace(/[\s-]/g, '').toUpperCase();

/** An Italian IBAN with its check digits right (spaces and case forgiven), as the server checks it. */
export function ibanError(text: string): string | undefined {
  const iban = compact(text);
  if (!iban) return t.calls.form.required;
  if (!iban.startsWith('IT')) return t.calls.form.ibanItalian;
  const { valid, errorCodes } = validateIBAN(iban);
  if (valid) return undefined;
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength)) return t.calls.form.ibanLength(iban.length);
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat)) return t.calls.form.ibanFormat;
  return t.calls.form.ibanChecksum;
}
