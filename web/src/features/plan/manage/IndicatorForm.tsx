import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useAddIndicator, useUpdateItem } from '../api';
import { type IndicatorView, type PlanTree, UNITS, type Unit } from '../types';
import { reasonOf, useFields } from './fields';
import { ItemFormShell, useItemSave } from './ItemFormShell';
import { ChoiceField, type Editing, type OnDone } from './shared';

/** Everything an indicator may refer to: general and specific objectives (o:) and actions (a:). */
function indicatorTargets(plan: PlanTree) {
  const out: Array<{ value: string; label: string }> = [];
  for (const o of plan.objectives) {
    out.push({ value: `o:${o.id}`, label: `${t.plan.general} ${o.code} — ${o.title}` });
    for (const s of o.specific) {
      out.push({ value: `o:${s.id}`, label: `${t.plan.specific} ${s.code} — ${s.title}` });
      for (const a of s.actions)
        out.push({ value: `a:${a.id}`, label: `${t.plan.action} ${a.code} — ${a.title}` });
    }
  }
  return out;
}

export function IndicatorForm({
  plan,
  onDone,
  edit,
}: {
  plan: PlanTree;
  onDone: OnDone;
  /** `ref` is what the indicator refers to, as in indicatorTargets ("o:<id>" or "a:<id>"). */
  edit?: Editing<IndicatorView & { ref: string }>;
}) {
  const item = edit?.item;
  const p = item ? 'edit-ind' : 'ind';
  const firstYear = Number(plan.startDate.slice(0, 4));
  // The form edits one target (the earliest); the others are sent back unchanged.
  const firstTarget = item ? [...item.targets].sort((a, b) => a.year - b.year)[0] : undefined;
  const f = useFields({
    ref: item?.ref ?? '',
    code: item?.code ?? '',
    name: item?.name ?? '',
    kind: item?.kind ?? 'output',
    unit: item?.unit ?? 'numero',
    baseline: item?.baseline ?? '',
    targetYear: String(firstTarget?.year ?? firstYear),
    target: firstTarget?.target ?? '',
    changeReason: '',
  });
  const add = useAddIndicator(plan.id);
  const update = useUpdateItem(plan.id, 'indicators');
  const s = useItemSave(plan, onDone, edit, t.plan.itemKinds.indicator, add, update);
  const field = f.fieldsOf(p, s.errors);
  const lastYear = Number((plan.extendedTo ?? plan.endDate).slice(0, 4));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  if (firstTarget && !years.includes(firstTarget.year)) years.push(firstTarget.year);

  const onSubmit = () => {
    const v = f.values;
    const [kind, id] = v.ref.split(':');
    const year = Number(v.targetYear);
    const kept = (item?.targets ?? []).filter((x) => x.year !== firstTarget?.year && x.year !== year);
    const targets = [...kept, ...(v.target.trim() ? [{ year, target: v.target.trim() }] : [])].sort(
      (a, b) => a.year - b.year,
    );
    const body = {
      objectiveId: kind === 'o' ? (id ?? null) : null,
      actionId: kind === 'a' ? (id ?? null) : null,
      code: v.code.trim(),
      name: v.name.trim(),
      kind: v.kind as 'output' | 'outcome',
      unit: v.unit as Unit,
      baseline: v.baseline.trim() || null,
      targets,
      ...(item
        ? {
            baselineDate: item.baselineDate,
            evaluationTool: item.evaluationTool,
            lowerIsBetter: item.lowerIsBetter,
          }
        : {}),
      ...reasonOf(plan, v.changeReason),
    };
    s.save(body, t.plan.indicatorAdded(body.code), f.reset);
  };

  return (
    <ItemFormShell
      s={s}
      cardId={item ? 'edit-ind-form' : 'indicator-form'}
      prefix={p}
      addTitle={t.plan.addIndicator}
      className="indicator-form"
      submit={t.plan.addIndicatorSubmit}
      reason={f.bind('changeReason')}
      onSubmit={onSubmit}
    >
      <ChoiceField
        label={t.plan.indicatorOf}
        className="col-12"
        options={indicatorTargets(plan)}
        {...field('ref')}
        error={s.errors.objectiveId ?? s.errors.actionId}
      />
      <TextField label={t.plan.code} className="col-md-3" {...field('code')} />
      <TextField label={t.plan.name} className="col-md-9" {...field('name')} />
      <SelectField id={`${p}-kind`} label={t.plan.indicatorKind} className="col-md-6" {...f.bind('kind')}>
        <option value="output">{t.plan.indicatorKinds.output}</option>
        <option value="outcome">{t.plan.indicatorKinds.outcome}</option>
      </SelectField>
      <SelectField label={t.plan.unit} className="col-md-6" {...field('unit')}>
        {UNITS.map((u) => (
          <option key={u} value={u}>
            {t.plan.units[u]}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t.plan.baseline}
        hint={t.plan.decimalHint}
        inputMode="decimal"
        className="col-md-4"
        {...field('baseline')}
      />
      <SelectField
        label={t.plan.targetYearLabel}
        className="col-md-4"
        {...field('targetYear', 'year')}
        error={s.errors.year}
      >
        {years.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t.plan.targetValue}
        inputMode="decimal"
        className="col-md-4"
        {...field('target')}
        error={s.errors.target ?? s.errors.targets}
      />
    </ItemFormShell>
  );
}
