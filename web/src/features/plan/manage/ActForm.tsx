import type { FormEvent } from 'react';
import { fieldErrors } from '../../../api/client';
import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useCreateAct } from '../api';
import { ACT_KINDS, type ActKind } from '../types';
import { useFields } from './fields';
import { FormButtons, FormCard, FormError, type OnDone, onAdded } from './shared';

/** A new act of the Ambito (a resolution, an agreement...), to cite in the plan's transitions. */
export function ActForm({ ambitoId, onDone }: { ambitoId: string; onDone: OnDone }) {
  const f = useFields({ kind: 'delibera_assemblea', body: '', number: '', date: '', subject: '' });
  const create = useCreateAct(ambitoId);
  const field = f.fieldsOf('new-act', fieldErrors(create.error));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    create.mutate(
      {
        kind: v.kind as ActKind,
        body: v.body.trim(),
        number: v.number.trim(),
        date: v.date,
        subject: v.subject.trim(),
      },
      onAdded(onDone, t.plan.actAdded, f.reset),
    );
  };
  return (
    <FormCard id="act-form" title={t.plan.acts}>
      <form className="row act-form" onSubmit={onSubmit} noValidate>
        <SelectField id="new-act-kind" label={t.plan.actKind} className="col-md-6" {...f.bind('kind')}>
          {ACT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t.plan.actKinds[k]}
            </option>
          ))}
        </SelectField>
        <TextField label={t.plan.actBody} className="col-md-6" {...field('body')} />
        <TextField label={t.plan.actNumber} className="col-md-6" {...field('number')} />
        <TextField type="date" label={t.plan.actDate} className="col-md-6" {...field('date')} />
        <TextField label={t.plan.actSubject} className="col-12" {...field('subject')} />
        <FormError error={create.error} />
        <FormButtons pending={create.isPending} submit={t.plan.actSubmit} className="col-12" />
      </form>
    </FormCard>
  );
}
