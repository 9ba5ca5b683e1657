import { useState } from 'react';
import { SelectField, TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import {
  ChoiceField,
  errorsOf,
  FinanceForm,
  NoActsHint,
  type OnDone,
  useActOptions,
  useFields,
} from '../../finance/forms/FinanceForm';
import { parseEuro } from '../../finance/money';
import { useComputeRanking, useIncreaseBudget } from '../api';
import type { CallView, RankingPhase } from '../types';

const g = () => t.calls.rankingManage;

/** Computes the ranking: provisional, or final once the appeals are settled, each by a determina. */
export function ComputeRankingForm({ call, onDone }: { call: CallView; onDone: OnDone }) {
  const f = useFields({ phase: call.status === 'ranked' ? 'final' : 'provisional', actId: '' });
  const acts = useActOptions(call.ambitoId, ['determina_udp']);
  const compute = useComputeRanking(call.id);
  const field = f.fieldsOf('rank', errorsOf(compute.error, {}));
  const onSubmit = () => {
    compute.reset();
    const phase = f.values.phase as RankingPhase;
    // Not mutate's onSuccess: the approval moves the call on, and this form is remounted for the
    // next phase before it would run. The promise still resolves.
    compute.mutateAsync({ phase, actId: f.values.actId }).then(
      (r) =>
        onDone(
          `${phase === 'final' ? g().doneFinal : g().doneProvisional} ${g().doneCounts(r.counts.funded + r.counts.partiallyFunded, formatMoney(r.awardedCents))}`,
        ),
      () => undefined,
    );
  };
  return (
    <FinanceForm
      id="ranking-form"
      title={g().computeTitle}
      className="ranking-form"
      error={compute.error}
      pending={compute.isPending}
      submit={g().computeSubmit}
      onSubmit={onSubmit}
    >
      <SelectField label={g().kind} className="col-md-4" {...field('phase')}>
        <option value="provisional">{g().kinds.provisional}</option>
        <option value="final">{g().kinds.final}</option>
      </SelectField>
      <ChoiceField
        label={g().act}
        hint={g().actHint}
        className="col-md-8"
        options={acts}
        {...field('actId', 'act')}
      />
      <NoActsHint show={acts.length === 0} />
    </FinanceForm>
  );
}

/** More money for the call (a new act): the award runs again and the changes are recorded. */
export function BudgetIncreaseForm({ call, onDone }: { call: CallView; onDone: OnDone }) {
  const f = useFields({ budget: '', actId: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const acts = useActOptions(call.ambitoId);
  const increase = useIncreaseBudget(call.id);
  const errors = errorsOf(increase.error, local);
  const field = f.fieldsOf('budget', errors);
  const onSubmit = () => {
    const budgetCents = parseEuro(f.values.budget);
    const problem =
      budgetCents === null
        ? t.finance.amountInvalid
        : budgetCents <= call.budgetCents
          ? g().budgetNotMore(formatMoney(call.budgetCents))
          : null;
    setLocal(problem ? { budgetCents: problem } : {});
    if (problem || budgetCents === null) return;
    increase.reset();
    increase.mutate(
      { budgetCents, actId: f.values.actId },
      {
        onSuccess: (r) => {
          onDone(g().budgetDone(formatMoney(budgetCents), r.changes));
          f.reset();
        },
      },
    );
  };
  return (
    <FinanceForm
      id="budget-form"
      title={g().budgetTitle}
      className="budget-increase-form"
      error={increase.error}
      localErrors={local}
      pending={increase.isPending}
      submit={g().budgetSubmit}
      onSubmit={onSubmit}
    >
      <p className="col-12 small">{g().budgetNow(formatMoney(call.budgetCents))}</p>
      <TextField
        label={g().budgetAmount}
        hint={t.finance.amountHint}
        inputMode="decimal"
        className="col-md-4"
        {...field('budget')}
        error={errors.budgetCents}
      />
      <ChoiceField label={g().act} className="col-md-8" options={acts} {...field('actId', 'act')} />
      <NoActsHint show={acts.length === 0} />
    </FinanceForm>
  );
}
