import { type ChangeEvent, useState } from 'react';
import { formatNumber } from '../../../format';
import { t } from '../../../i18n';
import type { AttachmentRule } from '../types';
import { fileError, readBase64 } from './checks';
import { controlId } from './model';
import type { ApplicationFormApi } from './useApplicationForm';

const f = () => t.calls.form;

const sizeText = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${formatNumber(Math.ceil(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;

/**
 * One PDF: its type and size are checked before it is read, so a 40 MB scan is refused at once
 * and not after a long upload; then it is read as base64, as the server takes it.
 */
function AttachmentField({ rule, form }: { rule: AttachmentRule; form: ApplicationFormApi }) {
  const key = `attachments.${rule.code}`;
  const id = controlId(key);
  const error = form.error(key);
  const chosen = form.files[rule.code];
  const [reading, setReading] = useState(false);
  const maxMb = Math.ceil(rule.maxBytes / 1024 / 1024);
  const onChange = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return form.setFile(rule.code, undefined);
    const problem = fileError(file, rule.maxBytes);
    if (problem) return form.setFile(rule.code, undefined, problem);
    setReading(true);
    try {
      form.setFile(rule.code, { file, base64: await readBase64(file) });
    } catch {
      form.setFile(rule.code, undefined, f().fileUnreadable);
    } finally {
      setReading(false);
    }
  };
  const hintId = `${id}-hint`;
  const label = rule.label.charAt(0).toUpperCase() + rule.label.slice(1);
  return (
    <div className="col-12 mb-4 attachment-field">
      <label htmlFor={id} className="d-block fw-semibold mb-1">
        {rule.required ? label : f().optional(label)}
      </label>
      <input
        id={id}
        type="file"
        accept="application/pdf,.pdf"
        className={`form-control${error ? ' is-invalid' : ''}`}
        onChange={onChange}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
      />
      <small id={hintId} className="form-text d-block">
        {f().pdfHint(maxMb)}
      </small>
      <p className="small mb-0 attachment-chosen" aria-live="polite">
        {reading ? f().reading : chosen ? f().chosen(chosen.file.name, sizeText(chosen.file.size)) : ''}
      </p>
      {error ? (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function AttachmentFields({ form, rules }: { form: ApplicationFormApi; rules: AttachmentRule[] }) {
  if (rules.length === 0) return null;
  return (
    <fieldset className="row">
      <legend>{f().attachmentsTitle}</legend>
      {rules.map((r) => (
        <AttachmentField key={r.code} rule={r} form={form} />
      ))}
    </fieldset>
  );
}
