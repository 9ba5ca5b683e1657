import { SelectField, TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { conditionLabel } from '../Requirements';
import { type CallRules, ISEE_TYPES } from '../types';
import type { ApplicationFormApi } from './useApplicationForm';

const f = () => t.calls.form;

/** Which ISEE the call asks for, in words, under the type select. */
function iseeHint(rules: CallRules): string | undefined {
  const isee = rules.eligibility.isee;
  if (!isee) return undefined;
  const alternatives = (isee.alternatives ?? []).map((a) =>
    f().iseeAlternative(t.calls.iseeTypes[a.type], conditionLabel(rules, a.when)),
  );
  return f().iseeTypeHint(t.calls.iseeTypes[isee.type], alternatives);
}

/** ISEE, household, the amount asked for (when the call lets one ask) and the account to pay into. */
export function MoneyFields({ form, rules }: { form: ApplicationFormApi; rules: CallRules }) {
  const amount = rules.amount;
  return (
    <>
      <fieldset className="row">
        <legend>{f().iseeTitle}</legend>
        <SelectField
          label={f().iseeType}
          hint={iseeHint(rules)}
          className="col-md-6"
          {...form.text('iseeType')}
        >
          {ISEE_TYPES.map((x) => (
            <option key={x} value={x}>
              {t.calls.iseeTypes[x]}
            </option>
          ))}
        </SelectField>
        <TextField
          label={f().iseeValue}
          hint={f().euroHint}
          inputMode="decimal"
          className="col-md-6"
          {...form.text('iseeValue')}
        />
        <TextField
          label={f().dsuProtocol}
          hint={f().dsuProtocolHint}
          className="col-md-6"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          {...form.text('dsuProtocol')}
        />
        <TextField type="date" label={f().dsuDate} className="col-md-6" {...form.text('dsuDate')} />
        <TextField
          type="number"
          min={1}
          max={20}
          label={f().household}
          hint={f().householdHint}
          className="col-md-6"
          {...form.text('household')}
        />
      </fieldset>
      <fieldset className="row">
        <legend>{f().paymentTitle}</legend>
        {amount.kind === 'requested' ? (
          <TextField
            label={f().requested}
            hint={f().requestedHint(formatMoney(amount.maxCents))}
            inputMode="decimal"
            className="col-md-6"
            {...form.text('requested')}
          />
        ) : null}
        <TextField
          label={f().iban}
          hint={f().ibanHint}
          className="col-md-6"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          {...form.text('iban')}
        />
      </fieldset>
    </>
  );
}
