import { useState } from 'react';
import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useAddAction, useUpdateItem } from '../api';
import { ACTION_STATUSES, type ActionStatus, type ActionView, type PlanTree } from '../types';
import { centsToEuro, euroToCents, reasonOf, useFields } from './fields';
import { ItemFormShell, useItemSave } from './ItemFormShell';
import { ChoiceField, type Editing, type OnDone } from './shared';

export function ActionForm({
  plan,
  onDone,
  edit,
}: {
  plan: PlanTree;
  onDone: OnDone;
  edit?: Editing<ActionView & { objectiveId: string }>;
}) {
  const item = edit?.item;
  const p = item ? 'edit-act' : 'act';
  // The form edits the first resource; any others are sent back unchanged.
  const [first, ...otherResources] = item?.resources ?? [];
  const f = useFields({
    objectiveId: item?.objectiveId ?? '',
    code: item?.code ?? '',
    title: item?.title ?? '',
    responsible: item?.responsible ?? '',
    startDate: item?.startDate ?? plan.startDate,
    endDate: item?.endDate ?? plan.extendedTo ?? plan.endDate,
    status: item?.status ?? 'planned',
    fund: first?.fund ?? '',
    amount: first ? centsToEuro(first.amountCents) : '',
    changeReason: '',
  });
  const [amountError, setAmountError] = useState('');
  const add = useAddAction(plan.id);
  const s = useItemSave(plan, onDone, edit, t.plan.itemKinds.action, add, useUpdateItem(plan.id, 'actions'));
  const field = f.fieldsOf(p, s.errors);
  const specifics = plan.objectives.flatMap((o) => o.specific);

  const onSubmit = () => {
    const v = f.values;
    const cents = v.amount.trim() ? euroToCents(v.amount) : 0;
    if (cents === null) {
      setAmountError(t.plan.amountInvalid);
      return;
    }
    setAmountError('');
    const edited = v.fund.trim() ? [{ fund: v.fund.trim(), amountCents: cents }] : [];
    const body = {
      objectiveId: v.objectiveId,
      code: v.code.trim(),
      title: v.title.trim(),
      responsible: v.responsible.trim(),
      startDate: v.startDate,
      endDate: v.endDate,
      status: v.status as ActionStatus,
      resources: [...edited, ...otherResources],
      ...(item ? { partners: item.partners, staffHours: item.staffHours } : {}),
      ...reasonOf(plan, v.changeReason),
    };
    s.save(body, t.plan.actionAdded(body.code), f.reset);
  };

  return (
    <ItemFormShell
      s={s}
      cardId={item ? 'edit-act-form' : 'action-form'}
      prefix={p}
      addTitle={t.plan.addAction}
      className="action-form"
      submit={t.plan.addActionSubmit}
      reason={f.bind('changeReason')}
      onSubmit={onSubmit}
    >
      <ChoiceField
        label={t.plan.actionObjective}
        className="col-12"
        options={specifics.map((o) => ({ value: o.id, label: `${o.code} — ${o.title}` }))}
        {...field('objectiveId', 'objective')}
      />
      <TextField label={t.plan.code} className="col-md-3" {...field('code')} />
      <TextField label={t.plan.title} className="col-md-9" {...field('title')} />
      <TextField label={t.plan.responsible} className="col-md-6" {...field('responsible')} />
      <SelectField id={`${p}-status`} label={t.plan.status} className="col-md-6" {...f.bind('status')}>
        {ACTION_STATUSES.map((st) => (
          <option key={st} value={st}>
            {t.plan.actionStatuses[st]}
          </option>
        ))}
      </SelectField>
      <TextField type="date" label={t.plan.startDate} className="col-md-6" {...field('startDate', 'start')} />
      <TextField type="date" label={t.plan.endDate} className="col-md-6" {...field('endDate', 'end')} />
      <TextField
        label={t.plan.fund}
        hint={t.plan.fundHint}
        className="col-md-6"
        {...field('fund')}
        error={s.errors.fund ?? s.errors.resources}
      />
      <TextField
        label={t.plan.amount}
        hint={t.plan.amountHint}
        inputMode="decimal"
        className="col-md-6"
        {...field('amount')}
        error={amountError || s.errors.amountCents}
      />
      {otherResources.length ? (
        <p className="col-12 small text-secondary">
          {t.plan.otherResources(otherResources.map((r) => r.fund).join(', '))}
        </p>
      ) : null}
    </ItemFormShell>
  );
}
