import { SelectField, TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { type CallRules, DISABILITY_CODES, type FieldRule } from '../types';
import { controlId } from './model';
import type { ApplicationFormApi } from './useApplicationForm';

const f = () => t.calls.form;

/** "buono_caregiver" → "Buono caregiver": the options of a call are codes, shown as words. */
export const optionLabel = (code: string) => {
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A checkbox with its error tied to it, as the text fields do. */
function Check({
  id,
  label,
  checked,
  onChange,
  error,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  error?: string | undefined;
}) {
  return (
    <div className="form-check col-12">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {error ? (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
    </div>
  );
}

function ExtraField({ rule, form }: { rule: FieldRule; form: ApplicationFormApi }) {
  const key = `fields.${rule.code}`;
  const label = rule.required ? capital(rule.label) : f().optional(capital(rule.label));
  const props = {
    id: controlId(key),
    label,
    className: 'col-md-6',
    value: form.values.fields[rule.code] ?? '',
    error: form.error(key),
    onChange: (e: { target: { value: string } }) => form.setField(rule.code, e.target.value),
    onBlur: () => form.touch(key),
  };
  switch (rule.kind) {
    case 'select':
      return (
        <SelectField {...props}>
          <option value="">{f().select}</option>
          {(rule.options ?? []).map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
        </SelectField>
      );
    case 'boolean':
      return (
        <SelectField {...props}>
          <option value="">{f().select}</option>
          <option value="true">{f().yes}</option>
          <option value="false">{f().no}</option>
        </SelectField>
      );
    case 'date':
      return <TextField type="date" {...props} />;
    case 'cents':
      return (
        <TextField
          inputMode="decimal"
          hint={rule.max !== undefined ? f().euroMaxHint(formatMoney(rule.max)) : f().euroHint}
          {...props}
        />
      );
    case 'number':
      return (
        <TextField
          inputMode="numeric"
          hint={rule.max !== undefined ? f().atMost(String(rule.max)) : undefined}
          {...props}
        />
      );
    default:
      return <TextField maxLength={rule.max} {...props} />;
  }
}

/** Disability, the conditions the call asks to declare, and the call's own questions. */
export function DeclarationFields({ form, rules }: { form: ApplicationFormApi; rules: CallRules }) {
  const e = rules.eligibility;
  const asksDisability = !!e.disability || !!rules.scoring.disability?.length;
  const toggleDisability = (code: (typeof DISABILITY_CODES)[number], on: boolean) =>
    form.setValues((v) => ({
      ...v,
      disability: on ? [...v.disability, code] : v.disability.filter((d) => d !== code),
    }));
  return (
    <>
      {asksDisability ? (
        <fieldset className="row">
          <legend>{f().disabilityTitle}</legend>
          <p className="small text-secondary col-12">{f().disabilityHint}</p>
          {DISABILITY_CODES.map((code) => (
            <Check
              key={code}
              id={`app-disability-${code}`}
              label={capital(t.calls.disabilities[code])}
              checked={form.values.disability.includes(code)}
              onChange={(on) => toggleDisability(code, on)}
            />
          ))}
        </fieldset>
      ) : null}
      {e.conditions.length ? (
        <fieldset className="row">
          <legend>{f().conditionsTitle}</legend>
          <p className="small text-secondary col-12">{f().conditionsHint}</p>
          {e.conditions.map((c) => (
            <Check
              key={c.code}
              id={controlId(`conditions.${c.code}`)}
              label={c.required ? f().requiredDeclaration(capital(c.label)) : capital(c.label)}
              checked={!!form.values.conditions[c.code]}
              onChange={(on) => form.setCondition(c.code, on)}
              error={form.error(`conditions.${c.code}`)}
            />
          ))}
        </fieldset>
      ) : null}
      {rules.fields.length ? (
        <fieldset className="row">
          <legend>{f().fieldsTitle}</legend>
          {rules.fields.map((rule) => (
            <ExtraField key={rule.code} rule={rule} form={form} />
          ))}
        </fieldset>
      ) : null}
    </>
  );
}
