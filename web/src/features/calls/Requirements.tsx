import { formatDate, formatMoney } from '../../format';
import { t } from '../../i18n';
import type { CallRules, CallView } from './types';
import { formatMinute } from './when';

const c = () => t.calls.req;

/** The label of a condition code, as the call words it. */
export function conditionLabel(rules: CallRules, code: string): string {
  return rules.eligibility.conditions.find((x) => x.code === code)?.label ?? code;
}

function ageText(age: NonNullable<CallRules['eligibility']['age']>): string {
  const on = formatDate(age.on);
  if (age.min !== undefined && age.max !== undefined) return c().ageBetween(age.min, age.max, on);
  if (age.min !== undefined) return c().ageMin(age.min, on);
  return c().ageMax(age.max ?? 0, on);
}

/** Who may apply: every requirement of the call in a sentence. */
function Eligibility({ rules }: { rules: CallRules }) {
  const e = rules.eligibility;
  const required = e.conditions.filter((x) => x.required);
  return (
    <ul className="call-requirements">
      <li>{c().residence(formatDate(e.residenceOn))}</li>
      {e.age ? <li>{ageText(e.age)}</li> : null}
      {e.isee ? (
        <li>
          {c().isee(t.calls.iseeTypes[e.isee.type], formatMoney(e.isee.maxCents))}
          {e.isee.alternatives?.length ? (
            <ul>
              {e.isee.alternatives.map((a) => (
                <li key={`${a.when}-${a.type}`}>
                  {c().iseeAlternative(
                    conditionLabel(rules, a.when),
                    t.calls.iseeTypes[a.type],
                    formatMoney(a.maxCents),
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ) : null}
      {e.disability ? (
        <li>{c().disability(e.disability.anyOf.map((d) => t.calls.disabilities[d]).join('; '))}</li>
      ) : null}
      {required.map((x) => (
        <li key={x.code}>{c().condition(x.label)}</li>
      ))}
    </ul>
  );
}

function Amount({ rules }: { rules: CallRules }) {
  const a = rules.amount;
  if (a.kind === 'fixed') return <p>{c().amountFixed(formatMoney(a.cents))}</p>;
  if (a.kind === 'requested') return <p>{c().amountRequested(formatMoney(a.maxCents))}</p>;
  return (
    <>
      <p>{c().amountBands}</p>
      <ul>
        {a.bands.map((b) => (
          <li key={b.upToIseeCents}>{c().amountBand(formatMoney(b.upToIseeCents), formatMoney(b.cents))}</li>
        ))}
      </ul>
    </>
  );
}

/** The scoring, criterion by criterion, then how ties are broken. */
function Scoring({ rules }: { rules: CallRules }) {
  const s = rules.scoring;
  const lines: string[] = [
    ...s.isee.map((b) => c().scoreIsee(formatMoney(b.upToCents), b.points)),
    ...(s.household ?? []).map((b) => c().scoreHousehold(b.minMembers, b.points)),
    ...(s.age ?? []).map((b) => c().scoreAge(b.from, b.to, b.points)),
    ...(s.disability ?? []).map((b) => c().scoreFor(t.calls.disabilities[b.code], b.points)),
    ...(s.conditions ?? []).map((b) => c().scoreFor(conditionLabel(rules, b.code), b.points)),
  ];
  return (
    <>
      {lines.length ? (
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : (
        <p>{c().noScoring}</p>
      )}
      <p>{c().ties(rules.ties.map((x) => t.calls.ties[x]).join(', poi '))}</p>
      <p>{t.calls.awardModes[rules.onDoesNotFit]}</p>
    </>
  );
}

/** The requirements and benefits of a call in plain language, from its rules as data. */
export function Requirements({ call }: { call: CallView }) {
  const { rules } = call;
  const optional = rules.eligibility.conditions.filter((x) => !x.required);
  return (
    <div className="call-rules">
      <section aria-labelledby="req-window-title" className="mb-4">
        <h2 id="req-window-title" className="h4">
          {c().windowTitle}
        </h2>
        <p>{c().window(formatMinute(call.opensAt), formatMinute(call.closesAt))}</p>
      </section>
      <section aria-labelledby="req-who-title" className="mb-4">
        <h2 id="req-who-title" className="h4">
          {c().whoTitle}
        </h2>
        <Eligibility rules={rules} />
        {optional.length ? (
          <>
            <p className="mb-1">{c().optionalConditions}</p>
            <ul>
              {optional.map((x) => (
                <li key={x.code}>{x.label}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section aria-labelledby="req-what-title" className="mb-4">
        <h2 id="req-what-title" className="h4">
          {c().amountTitle}
        </h2>
        <Amount rules={rules} />
        <p>{c().budget(formatMoney(call.budgetCents))}</p>
      </section>
      <section aria-labelledby="req-docs-title" className="mb-4">
        <h2 id="req-docs-title" className="h4">
          {c().docsTitle}
        </h2>
        {rules.fields.length ? <p>{c().fields(rules.fields.map((f) => f.label).join('; '))}</p> : null}
        {rules.attachments.length ? (
          <ul>
            {rules.attachments.map((a) => (
              <li key={a.code}>{c().attachment(a.label, a.required, Math.ceil(a.maxBytes / 1024 / 1024))}</li>
            ))}
          </ul>
        ) : (
          <p>{c().noAttachments}</p>
        )}
        <p>{c().alwaysAsked}</p>
      </section>
      <section aria-labelledby="req-score-title" className="mb-4">
        <h2 id="req-score-title" className="h4">
          {c().scoringTitle}
        </h2>
        <Scoring rules={rules} />
        {rules.appealDays > 0 ? <p>{c().appeal(rules.appealDays)}</p> : null}
      </section>
    </div>
  );
}
