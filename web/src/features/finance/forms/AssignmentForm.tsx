import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useCreateAssignment, useFunds } from '../api';
import { parseEuro } from '../money';
import {
  ChoiceField,
  errorsOf,
  FinanceForm,
  NoActsHint,
  type OnDone,
  useActOptions,
  useFields,
} from './FinanceForm';

/** A fund assigned to the Ambito for a year, with the act that assigns it. */
export function AssignmentForm({
  ambitoId,
  year,
  onDone,
}: {
  ambitoId: string;
  year: number;
  onDone: OnDone;
}) {
  const f = useFields({ fundCode: '', year: String(year), amount: '', actId: '', note: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const funds = useFunds(ambitoId);
  const acts = useActOptions(ambitoId);
  const create = useCreateAssignment(ambitoId);
  const errors = errorsOf(create.error, local);
  const field = f.fieldsOf('asg', errors);

  const onSubmit = () => {
    const v = f.values;
    const amountCents = parseEuro(v.amount);
    const found: Record<string, string> = {};
    if (amountCents === null) found.amountCents = t.finance.amountInvalid;
    if (!/^\d{4}$/.test(v.year)) found.year = t.finance.yearInvalid;
    setLocal(found);
    if (amountCents === null || found.year) return;
    create.reset();
    create.mutate(
      {
        fundCode: v.fundCode,
        year: Number(v.year),
        amountCents,
        actId: v.actId,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      },
      {
        onSuccess: () => {
          onDone(t.finance.assignmentAdded(v.fundCode, formatMoney(amountCents), v.year));
          f.reset();
        },
      },
    );
  };

  return (
    <FinanceForm
      id="assignment-form"
      title={t.finance.addAssignment}
      className="assignment-form"
      error={create.error}
      localErrors={local}
      pending={create.isPending}
      submit={t.finance.addAssignmentSubmit}
      onSubmit={onSubmit}
    >
      <ChoiceField
        label={t.finance.fund}
        className="col-md-6"
        options={(funds.data ?? []).map((x) => ({ value: x.code, label: `${x.code} — ${x.name}` }))}
        {...field('fundCode', 'fund')}
      />
      <TextField label={t.finance.year} inputMode="numeric" className="col-md-2" {...field('year')} />
      <TextField
        label={t.finance.amount}
        hint={t.finance.amountHint}
        inputMode="decimal"
        className="col-md-4"
        {...field('amount')}
        error={errors.amountCents}
      />
      <ChoiceField label={t.finance.act} className="col-12" options={acts} {...field('actId', 'act')} />
      <NoActsHint show={acts.length === 0} />
      <TextField label={t.finance.note} className="col-12" {...field('note')} />
    </FinanceForm>
  );
}
