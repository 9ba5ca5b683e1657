import { Button } from 'design-react-kit';
import { t } from '../../../i18n';
import { conditionLabel } from '../Requirements';
import { EuroInput, IntInput, type RulesApi } from './inputs';

const e = () => t.calls.editor;

/** Points by ISEE band (bands can be added and removed), household, age and declared condition. */
export function ScoringSection({ api }: { api: RulesApi }) {
  const s = api.rules.scoring;
  const v = api.version;
  return (
    <fieldset className="row">
      <legend>{e().scoringTitle}</legend>
      <p className="col-12 small text-secondary">{e().scoringHint}</p>
      {s.isee.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: bands are positions (paths name them by index); a reshape bumps `v`
        <div key={`isee-${v}-${i}`} className="col-12 row mx-0 px-0 align-items-start">
          <EuroInput
            api={api}
            path={`rules.scoring.isee.${i}.upToCents`}
            label={e().scoreIseeUpTo(i + 1)}
            cents={b.upToCents}
            onCents={(c) =>
              api.update((r) => {
                const band = r.scoring.isee[i];
                if (band) band.upToCents = c;
              })
            }
          />
          <IntInput
            api={api}
            path={`rules.scoring.isee.${i}.points`}
            label={e().points(i + 1)}
            value={b.points}
            onValue={(n) =>
              api.update((r) => {
                const band = r.scoring.isee[i];
                if (band) band.points = n ?? 0;
              })
            }
          />
          <div className="col-md-4 pt-md-4">
            <Button
              color="danger"
              outline
              size="sm"
              onClick={() => api.reshape((r) => void r.scoring.isee.splice(i, 1))}
            >
              {e().removeBand(i + 1)}
            </Button>
          </div>
        </div>
      ))}
      <div className="col-12 mb-4">
        <Button
          color="primary"
          outline
          size="sm"
          onClick={() =>
            api.reshape((r) => {
              const last = r.scoring.isee.at(-1);
              r.scoring.isee.push({ upToCents: (last?.upToCents ?? 0) + 500_000, points: 0 });
            })
          }
        >
          {e().addScoreBand}
        </Button>
      </div>
      {(s.household ?? []).map((b, i) => (
        <IntInput
          key={`household-${v}-${b.minMembers}`}
          api={api}
          path={`rules.scoring.household.${i}.points`}
          label={e().householdPoints(b.minMembers)}
          value={b.points}
          className="col-md-4"
          onValue={(n) =>
            api.update((r) => {
              const band = r.scoring.household?.[i];
              if (band) band.points = n ?? 0;
            })
          }
        />
      ))}
      {(s.age ?? []).map((b, i) => (
        <IntInput
          key={`age-${v}-${b.from}`}
          api={api}
          path={`rules.scoring.age.${i}.points`}
          label={e().agePoints(b.from, b.to)}
          value={b.points}
          className="col-md-4"
          onValue={(n) =>
            api.update((r) => {
              const band = r.scoring.age?.[i];
              if (band) band.points = n ?? 0;
            })
          }
        />
      ))}
      {(s.conditions ?? []).map((c, i) => (
        <IntInput
          key={`cond-${v}-${c.code}`}
          api={api}
          path={`rules.scoring.conditions.${i}.points`}
          label={e().conditionPoints(conditionLabel(api.rules, c.code))}
          value={c.points}
          className="col-md-6"
          onValue={(n) =>
            api.update((r) => {
              const item = r.scoring.conditions?.[i];
              if (item) item.points = n ?? 0;
            })
          }
        />
      ))}
    </fieldset>
  );
}
