import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { conditionLabel } from '../Requirements';
import { ISEE_TYPES, type IseeType } from '../types';
import { EuroInput, IntInput, pathId, type RulesApi } from './inputs';

const e = () => t.calls.editor;

function IseeTypeSelect({
  api,
  path,
  label,
  value,
  onType,
}: {
  api: RulesApi;
  path: string;
  label: string;
  value: IseeType;
  onType: (v: IseeType) => void;
}) {
  return (
    <SelectField
      id={pathId(path)}
      label={label}
      className="col-md-4"
      value={value}
      error={api.error(path)}
      onChange={(ev) => onType(ev.target.value as IseeType)}
    >
      {ISEE_TYPES.map((x) => (
        <option key={x} value={x}>
          {t.calls.iseeTypes[x]}
        </option>
      ))}
    </SelectField>
  );
}

/** Residence date, age limits and ISEE ceilings (with the alternatives some conditions open). */
export function EligibilitySection({ api }: { api: RulesApi }) {
  const el = api.rules.eligibility;
  const isee = el.isee;
  return (
    <fieldset className="row">
      <legend>{e().eligibilityTitle}</legend>
      <TextField
        id={pathId('rules.eligibility.residenceOn')}
        type="date"
        label={e().residenceOn}
        hint={e().residenceOnHint}
        className="col-md-4"
        value={el.residenceOn}
        error={api.error('rules.eligibility.residenceOn')}
        onChange={(ev) =>
          api.update((r) => {
            r.eligibility.residenceOn = ev.target.value;
          })
        }
      />
      {el.age ? (
        <>
          <IntInput
            api={api}
            path="rules.eligibility.age.min"
            label={e().ageMin}
            value={el.age.min}
            max={120}
            onValue={(n) =>
              api.update((r) => {
                if (r.eligibility.age) r.eligibility.age.min = n;
              })
            }
          />
          <IntInput
            api={api}
            path="rules.eligibility.age.max"
            label={e().ageMax}
            value={el.age.max}
            max={120}
            onValue={(n) =>
              api.update((r) => {
                if (r.eligibility.age) r.eligibility.age.max = n;
              })
            }
          />
        </>
      ) : null}
      {isee ? (
        <>
          <IseeTypeSelect
            api={api}
            path="rules.eligibility.isee.type"
            label={e().iseeType}
            value={isee.type}
            onType={(v) =>
              api.update((r) => {
                if (r.eligibility.isee) r.eligibility.isee.type = v;
              })
            }
          />
          <EuroInput
            api={api}
            path="rules.eligibility.isee.maxCents"
            label={e().iseeMax}
            cents={isee.maxCents}
            onCents={(c) =>
              api.update((r) => {
                if (r.eligibility.isee) r.eligibility.isee.maxCents = c;
              })
            }
          />
          {(isee.alternatives ?? []).map((a, i) => {
            const base = `rules.eligibility.isee.alternatives.${i}`;
            const when = conditionLabel(api.rules, a.when);
            return (
              <div key={`${a.when}-${a.type}`} className="col-12 row mx-0 px-0">
                <p className="col-12 small fw-semibold mt-2 mb-4">{e().alternative(i + 1, when)}</p>
                <IseeTypeSelect
                  api={api}
                  path={`${base}.type`}
                  label={e().alternativeType(i + 1)}
                  value={a.type}
                  onType={(v) =>
                    api.update((r) => {
                      const alt = r.eligibility.isee?.alternatives?.[i];
                      if (alt) alt.type = v;
                    })
                  }
                />
                <EuroInput
                  api={api}
                  path={`${base}.maxCents`}
                  label={e().alternativeMax(i + 1)}
                  cents={a.maxCents}
                  onCents={(c) =>
                    api.update((r) => {
                      const alt = r.eligibility.isee?.alternatives?.[i];
                      if (alt) alt.maxCents = c;
                    })
                  }
                />
              </div>
            );
          })}
        </>
      ) : null}
    </fieldset>
  );
}
