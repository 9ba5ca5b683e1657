import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useAssignments, useCreateBudgetLine, usePlanActions } from '../api';
import { parseEuro } from '../money';
import { INTERVENTIONS, type Intervention, USER_AREAS, type UserArea } from '../types';
import { ChoiceField, errorsOf, FinanceForm, type OnDone, useFields } from './FinanceForm';

/** Programs part of an assignment on an action of the Piano di Zona, by area and intervention. */
export function BudgetLineForm({
  ambitoId,
  year,
  fund,
  onDone,
}: {
  ambitoId: string;
  year: number;
  /** When the page shows one fund, only its assignments are offered. */
  fund?: string | undefined;
  onDone: OnDone;
}) {
  const f = useFields({
    assignmentId: '',
    code: '',
    actionId: '',
    area: '',
    intervention: '',
    amount: '',
    description: '',
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const assignments = useAssignments(ambitoId, year);
  const actions = usePlanActions(ambitoId);
  const create = useCreateBudgetLine(ambitoId);
  const errors = errorsOf(create.error, local);
  const field = f.fieldsOf('line', errors);
  const assignmentOptions = (assignments.data ?? [])
    .filter((a) => !fund || a.fundCode === fund)
    .map((a) => ({
      value: a.id,
      label: t.finance.assignmentOption(
        a.fundCode,
        formatMoney(a.amountCents),
        formatMoney(a.amountCents - a.budgetedCents),
      ),
    }));

  const onSubmit = () => {
    const v = f.values;
    const amountCents = parseEuro(v.amount);
    setLocal(amountCents === null ? { amountCents: t.finance.amountInvalid } : {});
    if (amountCents === null) return;
    create.reset();
    create.mutate(
      {
        assignmentId: v.assignmentId,
        code: v.code.trim(),
        actionId: v.actionId,
        area: v.area as UserArea,
        intervention: v.intervention as Intervention,
        amountCents,
        ...(v.description.trim() ? { description: v.description.trim() } : {}),
      },
      {
        onSuccess: () => {
          onDone(t.finance.lineAdded(v.code.trim(), formatMoney(amountCents)));
          f.reset();
        },
      },
    );
  };

  return (
    <FinanceForm
      id="line-form"
      title={t.finance.addLine}
      className="budget-line-form"
      error={create.error}
      localErrors={local}
      pending={create.isPending}
      submit={t.finance.addLineSubmit}
      onSubmit={onSubmit}
    >
      <ChoiceField
        label={t.finance.assignment}
        className="col-md-8"
        options={assignmentOptions}
        {...field('assignmentId', 'assignment')}
      />
      <TextField
        label={t.finance.lineCode}
        hint={t.finance.lineCodeHint}
        className="col-md-4"
        {...field('code')}
      />
      <ChoiceField
        label={t.finance.planAction}
        hint={actions.data?.length === 0 ? t.finance.noPlanActions : undefined}
        className="col-12"
        options={(actions.data ?? []).map((a) => ({ value: a.id, label: `${a.label} (${a.plan})` }))}
        {...field('actionId', 'action')}
      />
      <ChoiceField
        label={t.finance.area}
        className="col-md-6"
        options={USER_AREAS.map((a) => ({ value: a, label: t.finance.areas[a] }))}
        {...field('area')}
      />
      <ChoiceField
        label={t.finance.intervention}
        className="col-md-6"
        options={INTERVENTIONS.map((i) => ({ value: i, label: t.finance.interventions[i] }))}
        {...field('intervention')}
      />
      <TextField
        label={t.finance.amount}
        hint={t.finance.amountHint}
        inputMode="decimal"
        className="col-md-4"
        {...field('amount')}
        error={errors.amountCents}
      />
      <TextField label={t.finance.description} className="col-md-8" {...field('description')} />
    </FinanceForm>
  );
}
