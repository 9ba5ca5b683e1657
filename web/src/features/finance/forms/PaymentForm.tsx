import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useCreatePayment } from '../api';
import { parseEuro } from '../money';
import type { CommitmentView } from '../types';
import {
  ChoiceField,
  errorsOf,
  FinanceForm,
  NoActsHint,
  type OnDone,
  useActOptions,
  useFields,
} from './FinanceForm';

/** A payment (liquidazione) on one of the line's commitments, never beyond what is left on it. */
export function PaymentForm({
  ambitoId,
  commitments,
  onDone,
}: {
  ambitoId: string;
  commitments: CommitmentView[];
  onDone: OnDone;
}) {
  const f = useFields({ commitmentId: '', number: '', actId: '', date: '', amount: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const acts = useActOptions(ambitoId);
  const create = useCreatePayment(ambitoId);
  const errors = errorsOf(create.error, local);
  const field = f.fieldsOf('pay', errors);

  const onSubmit = () => {
    const v = f.values;
    const amountCents = parseEuro(v.amount);
    setLocal(amountCents === null ? { amountCents: t.finance.amountInvalid } : {});
    if (amountCents === null) return;
    create.reset();
    create.mutate(
      { commitmentId: v.commitmentId, number: v.number.trim(), actId: v.actId, date: v.date, amountCents },
      {
        onSuccess: () => {
          onDone(t.finance.paymentAdded(v.number.trim(), formatMoney(amountCents)));
          f.reset();
        },
      },
    );
  };

  return (
    <FinanceForm
      id="payment-form"
      title={t.finance.addPayment}
      className="payment-form"
      error={create.error}
      localErrors={local}
      pending={create.isPending}
      submit={t.finance.addPaymentSubmit}
      onSubmit={onSubmit}
    >
      <ChoiceField
        label={t.finance.commitment}
        className="col-12"
        options={commitments.map((c) => ({
          value: c.id,
          label: t.finance.commitmentOption(c.number, c.payeeName, formatMoney(c.amountCents - c.paidCents)),
        }))}
        {...field('commitmentId', 'commitment')}
      />
      <TextField label={t.finance.number} className="col-md-4" {...field('number')} />
      <TextField type="date" label={t.finance.date} className="col-md-4" {...field('date')} />
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
    </FinanceForm>
  );
}
