import type { FormEvent } from 'react';
import { fieldErrors } from '../../../api/client';
import { TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useAddIndicatorValue } from '../api';
import type { IndicatorView, PlanTree } from '../types';
import { useFields } from './fields';
import { ChoiceField, FormButtons, FormCard, FormError, type OnDone, onAdded } from './shared';

function allIndicators(plan: PlanTree): IndicatorView[] {
  return plan.objectives.flatMap((o) => [
    ...o.indicators,
    ...o.specific.flatMap((s) => [...s.indicators, ...s.actions.flatMap((a) => a.indicators)]),
  ]);
}

/** A measured value of an indicator, always in the indicator's own unit. */
export function IndicatorValueForm({ plan, onDone }: { plan: PlanTree; onDone: OnDone }) {
  const indicators = allIndicators(plan);
  const f = useFields({ indicatorId: '', measuredOn: '', value: '', source: '' });
  const add = useAddIndicatorValue(plan.id);
  const errors = fieldErrors(add.error);
  const field = f.fieldsOf('val', errors);
  if (indicators.length === 0)
    return (
      <FormCard id="value-form" title={t.plan.addValue}>
        <p className="mb-0">{t.plan.noIndicators}</p>
      </FormCard>
    );
  const selected = indicators.find((i) => i.id === f.values.indicatorId);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    add.mutate(
      {
        indicatorId: v.indicatorId,
        measuredOn: v.measuredOn,
        value: v.value.trim(),
        // The value is always in the indicator's own unit.
        unit: selected?.unit ?? 'numero',
        source: v.source.trim(),
      },
      onAdded(onDone, t.plan.valueAdded, f.reset),
    );
  };
  return (
    <FormCard id="value-form" title={t.plan.addValue}>
      <form className="row value-form" onSubmit={onSubmit} noValidate>
        <ChoiceField
          label={t.plan.indicator}
          className="col-12"
          options={indicators.map((i) => ({
            value: i.id,
            label: `${i.code} — ${i.name} (${t.plan.units[i.unit]})`,
          }))}
          {...field('indicatorId', 'indicator')}
          error={errors.itemId}
        />
        <TextField
          type="date"
          label={t.plan.measuredOn}
          className="col-md-4"
          {...field('measuredOn', 'date')}
        />
        <TextField
          label={selected ? `${t.plan.value} (${t.plan.units[selected.unit]})` : t.plan.value}
          hint={t.plan.decimalHint}
          inputMode="decimal"
          className="col-md-4"
          {...field('value')}
          error={errors.value ?? errors.unit}
        />
        <TextField label={t.plan.source} className="col-md-4" {...field('source')} />
        <FormError error={add.error} />
        <FormButtons pending={add.isPending} submit={t.plan.addValueSubmit} className="col-12" />
      </form>
    </FormCard>
  );
}
