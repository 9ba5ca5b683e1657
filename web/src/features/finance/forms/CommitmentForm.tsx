import { type ChangeEvent, useState } from 'react';
import { SelectField, TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useAmbito } from '../../territory/api';
import { useCreateCommitment } from '../api';
import { parseEuro } from '../money';
import { PAYEE_KINDS, type PayeeKind } from '../types';
import {
  ChoiceField,
  errorsOf,
  FinanceForm,
  NoActsHint,
  type OnDone,
  useActOptions,
  useFields,
} from './FinanceForm';

/** A commitment (impegno) on a budget line, with the act that decides it and who receives it. */
export function CommitmentForm({
  ambitoId,
  lineId,
  onDone,
}: {
  ambitoId: string;
  lineId: string;
  onDone: OnDone;
}) {
  const f = useFields({
    number: '',
    actId: '',
    date: '',
    amount: '',
    payeeKind: 'ente',
    payeeName: '',
    comuneIstat: '',
    description: '',
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const acts = useActOptions(ambitoId);
  const comuni = useAmbito(ambitoId).data?.comuni ?? [];
  const create = useCreateCommitment(ambitoId);
  const errors = errorsOf(create.error, local);
  const field = f.fieldsOf('cmt', errors);

  const onSubmit = () => {
    const v = f.values;
    const amountCents = parseEuro(v.amount);
    setLocal(amountCents === null ? { amountCents: t.finance.amountInvalid } : {});
    if (amountCents === null) return;
    create.reset();
    create.mutate(
      {
        budgetLineId: lineId,
        number: v.number.trim(),
        actId: v.actId,
        date: v.date,
        amountCents,
        payeeKind: v.payeeKind as PayeeKind,
        payeeName: v.payeeName.trim(),
        comuneIstat: v.comuneIstat || null,
        ...(v.description.trim() ? { description: v.description.trim() } : {}),
      },
      {
        onSuccess: () => {
          onDone(t.finance.commitmentAdded(v.number.trim(), formatMoney(amountCents)));
          f.reset();
        },
      },
    );
  };

  // Choosing a Comune as the payee names it, unless a name was typed already.
  const comune = f.bind('comuneIstat');
  const onComune = (e: ChangeEvent<HTMLSelectElement>) => {
    comune.onChange(e);
    const name = comuni.find((c) => c.istatCode === e.target.value)?.name;
    if (name && f.values.payeeKind === 'comune' && !f.values.payeeName.trim())
      f.setValues((s) => ({ ...s, comuneIstat: e.target.value, payeeName: t.finance.comuneOf(name) }));
  };

  return (
    <FinanceForm
      id="commitment-form"
      title={t.finance.addCommitment}
      className="commitment-form"
      error={create.error}
      localErrors={local}
      pending={create.isPending}
      submit={t.finance.addCommitmentSubmit}
      onSubmit={onSubmit}
    >
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
      <SelectField label={t.finance.payeeKind} className="col-md-4" {...field('payeeKind')}>
        {PAYEE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t.finance.payeeKinds[k]}
          </option>
        ))}
      </SelectField>
      <ChoiceField
        label={t.finance.comune}
        hint={t.finance.comuneHint}
        className="col-md-4"
        options={comuni.map((c) => ({ value: c.istatCode, label: c.name }))}
        {...field('comuneIstat', 'comune')}
        onChange={onComune}
      />
      <TextField label={t.finance.payeeName} className="col-md-4" {...field('payeeName')} />
      <TextField label={t.finance.description} className="col-12" {...field('description')} />
    </FinanceForm>
  );
}
