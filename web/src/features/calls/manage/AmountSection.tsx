import { Button } from 'design-react-kit';
import { SelectField } from '../../../components/FormField';
import { t } from '../../../i18n';
import type { AmountRule, AwardMode } from '../types';
import { EuroInput, IntInput, pathId, type RulesApi } from './inputs';

const e = () => t.calls.editor;
const KINDS: AmountRule['kind'][] = ['fixed', 'bands', 'requested'];
const MODES: AwardMode[] = ['stop', 'skip', 'partial'];

/** A sensible starting point when the office switches to another kind of amount. */
function amountOf(kind: AmountRule['kind'], ceiling: number): AmountRule {
  if (kind === 'fixed') return { kind, cents: 100_000 };
  if (kind === 'requested') return { kind, maxCents: 360_000 };
  return { kind, bands: [{ upToIseeCents: ceiling, cents: 100_000 }] };
}

/** The benefit: a fixed amount, amounts by ISEE band, or what is asked up to a maximum. */
export function AmountSection({ api }: { api: RulesApi }) {
  const a = api.rules.amount;
  const ceiling = api.rules.eligibility.isee?.maxCents ?? 1_000_000;
  const v = api.version;
  return (
    <fieldset className="row">
      <legend>{e().amountTitle}</legend>
      <SelectField
        id={pathId('rules.amount.kind')}
        label={e().amountKind}
        className="col-md-4"
        value={a.kind}
        error={api.error('rules.amount.kind')}
        onChange={(ev) =>
          api.reshape((r) => {
            r.amount = amountOf(ev.target.value as AmountRule['kind'], ceiling);
          })
        }
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {e().amountKinds[k]}
          </option>
        ))}
      </SelectField>
      {a.kind === 'fixed' ? (
        <EuroInput
          key={`fixed-${v}`}
          api={api}
          path="rules.amount.cents"
          label={e().amountFixed}
          cents={a.cents}
          onCents={(c) =>
            api.update((r) => {
              if (r.amount.kind === 'fixed') r.amount.cents = c;
            })
          }
        />
      ) : null}
      {a.kind === 'requested' ? (
        <EuroInput
          key={`requested-${v}`}
          api={api}
          path="rules.amount.maxCents"
          label={e().amountMax}
          cents={a.maxCents}
          onCents={(c) =>
            api.update((r) => {
              if (r.amount.kind === 'requested') r.amount.maxCents = c;
            })
          }
        />
      ) : null}
      {a.kind === 'bands' ? (
        <div className="col-12 row mx-0 px-0">
          {a.bands.map((b, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: bands are positions (paths name them by index); a reshape bumps `v`
            <div key={`band-${v}-${i}`} className="col-12 row mx-0 px-0 align-items-start">
              <EuroInput
                api={api}
                path={`rules.amount.bands.${i}.upToIseeCents`}
                label={e().bandUpTo(i + 1)}
                cents={b.upToIseeCents}
                onCents={(c) =>
                  api.update((r) => {
                    const band = r.amount.kind === 'bands' ? r.amount.bands[i] : undefined;
                    if (band) band.upToIseeCents = c;
                  })
                }
              />
              <EuroInput
                api={api}
                path={`rules.amount.bands.${i}.cents`}
                label={e().bandAmount(i + 1)}
                cents={b.cents}
                onCents={(c) =>
                  api.update((r) => {
                    const band = r.amount.kind === 'bands' ? r.amount.bands[i] : undefined;
                    if (band) band.cents = c;
                  })
                }
              />
              {a.bands.length > 1 ? (
                <div className="col-md-4 pt-md-4">
                  <Button
                    color="danger"
                    outline
                    size="sm"
                    onClick={() =>
                      api.reshape((r) => {
                        if (r.amount.kind === 'bands') r.amount.bands.splice(i, 1);
                      })
                    }
                  >
                    {e().removeBand(i + 1)}
                  </Button>
                </div>
              ) : null}
            </div>
          ))}
          <div className="col-12 mb-4">
            <Button
              color="primary"
              outline
              size="sm"
              onClick={() =>
                api.reshape((r) => {
                  if (r.amount.kind !== 'bands') return;
                  const last = r.amount.bands.at(-1);
                  r.amount.bands.push({
                    upToIseeCents: (last?.upToIseeCents ?? 0) + 500_000,
                    cents: last?.cents ?? 100_000,
                  });
                })
              }
            >
              {e().addBand}
            </Button>
          </div>
        </div>
      ) : null}
      <SelectField
        id={pathId('rules.onDoesNotFit')}
        label={e().onDoesNotFit}
        className="col-md-8"
        value={api.rules.onDoesNotFit}
        error={api.error('rules.onDoesNotFit')}
        onChange={(ev) =>
          api.update((r) => {
            r.onDoesNotFit = ev.target.value as AwardMode;
          })
        }
      >
        {MODES.map((m) => (
          <option key={m} value={m}>
            {t.calls.awardModes[m]}
          </option>
        ))}
      </SelectField>
      <IntInput
        key={`appeal-${v}`}
        api={api}
        path="rules.appealDays"
        label={e().appealDays}
        value={api.rules.appealDays}
        max={90}
        onValue={(n) =>
          api.update((r) => {
            r.appealDays = n ?? 0;
          })
        }
      />
    </fieldset>
  );
}
