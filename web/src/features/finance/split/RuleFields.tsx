import type { ChangeEvent } from 'react';
import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import type { FundView } from '../types';
import { RULE_KINDS, type RuleKind, type RuleValues } from './rule';

type Setter = (update: (v: RuleValues) => RuleValues) => void;

const s = () => t.finance.split;

/** The criteria of a split; what each needs is shown only when it is chosen. */
export function RuleFields({
  v,
  set,
  errors,
  comuni,
  funds,
}: {
  v: RuleValues;
  set: Setter;
  errors: Record<string, string>;
  comuni: Array<{ istatCode: string; name: string }>;
  funds: FundView[];
}) {
  const bind = (key: Exclude<keyof RuleValues, 'weights' | 'kind'>) => ({
    id: `split-${key}`,
    value: v[key],
    error: errors[key],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      set((x) => ({ ...x, [key]: e.target.value })),
  });
  const k = v.kind;
  const mix = k === 'mix';
  return (
    <>
      <fieldset className="col-12 mb-3 split-kinds">
        <legend className="h6">{s().kind}</legend>
        {RULE_KINDS.map((kind) => (
          <div key={kind} className="form-check form-check-inline">
            <input
              type="radio"
              id={`split-kind-${kind}`}
              name="split-kind"
              value={kind}
              checked={k === kind}
              onChange={() => set((x) => ({ ...x, kind: kind as RuleKind }))}
            />
            <label htmlFor={`split-kind-${kind}`}>{s().kinds[kind]}</label>
          </div>
        ))}
        <p className="small text-secondary mb-0">{s().kindHints[k]}</p>
      </fieldset>

      {mix ? (
        <fieldset className="col-12 row mb-2">
          <legend className="h6">{s().mixWeights}</legend>
          <TextField
            label={s().kinds.population}
            inputMode="numeric"
            className="col-md-4"
            {...bind('mixPopulation')}
          />
          <TextField
            label={s().kinds.historical}
            inputMode="numeric"
            className="col-md-4"
            {...bind('mixHistorical')}
          />
          <TextField label={s().kinds.fixed} inputMode="numeric" className="col-md-4" {...bind('mixFixed')} />
        </fieldset>
      ) : null}

      {k === 'population' || k === 'perHead' || mix ? (
        <TextField
          type="date"
          label={s().referenceDate}
          hint={s().referenceDateHint}
          className="col-md-4"
          {...bind('referenceDate')}
        />
      ) : null}
      {k === 'population' || mix ? (
        <>
          <TextField
            label={s().ageFrom}
            hint={s().ageHint}
            inputMode="numeric"
            className="col-md-4"
            {...bind('ageFrom')}
          />
          <TextField label={s().ageTo} inputMode="numeric" className="col-md-4" {...bind('ageTo')} />
        </>
      ) : null}
      {k === 'perHead' ? (
        <TextField
          label={s().perHead}
          hint={t.finance.amountHint}
          inputMode="decimal"
          className="col-md-4"
          {...bind('perHead')}
          error={errors.centsPerInhabitant}
        />
      ) : null}
      {k === 'historical' || mix ? (
        <>
          <TextField
            label={s().historicalYear}
            inputMode="numeric"
            className="col-md-4"
            {...bind('historicalYear')}
            error={errors.historicalYear ?? errors.year}
          />
          <SelectField label={s().historicalFund} className="col-md-4" {...bind('historicalFund')}>
            <option value="">{t.finance.allFunds}</option>
            {funds.map((f) => (
              <option key={f.id} value={f.code}>
                {f.code}
              </option>
            ))}
          </SelectField>
        </>
      ) : null}
      {k === 'fixed' || mix ? (
        <fieldset className="col-12 row mb-2 split-weights">
          <legend className="h6">{s().weights}</legend>
          <p className="small text-secondary col-12">{s().weightsHint}</p>
          {comuni.map((c) => (
            <TextField
              key={c.istatCode}
              id={`split-weight-${c.istatCode}`}
              label={c.name}
              inputMode="numeric"
              className="col-sm-6 col-lg-3"
              value={v.weights[c.istatCode] ?? ''}
              error={errors[`weight-${c.istatCode}`]}
              onChange={(e) => {
                const value = e.target.value;
                set((x) => ({ ...x, weights: { ...x.weights, [c.istatCode]: value } }));
              }}
            />
          ))}
        </fieldset>
      ) : null}
    </>
  );
}
