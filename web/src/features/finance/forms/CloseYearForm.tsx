import { Button } from 'design-react-kit';
import { useState } from 'react';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useCloseYear } from '../api';
import {
  ChoiceField,
  errorsOf,
  FinanceForm,
  NoActsHint,
  type OnDone,
  useActOptions,
  useFields,
} from './FinanceForm';

/**
 * Closes the financial year: nothing more can be budgeted or committed on it and the uncommitted
 * remainders pass to the next year. Irreversible, so a second step asks for confirmation.
 */
export function CloseYearForm({
  ambitoId,
  year,
  onDone,
}: {
  ambitoId: string;
  year: number;
  onDone: OnDone;
}) {
  const f = useFields({ actId: '' });
  const [confirming, setConfirming] = useState(false);
  const acts = useActOptions(ambitoId);
  const close = useCloseYear(ambitoId);
  const errors = errorsOf(close.error, {});
  const field = f.fieldsOf('close', errors);

  const onSubmit = () => {
    if (!confirming) {
      setConfirming(true);
      return;
    }
    close.mutate(
      { year, actId: f.values.actId },
      {
        onSuccess: (r) => {
          setConfirming(false);
          const carried = r.carried.map((c) => `${c.fund} ${formatMoney(c.amountCents)}`).join(', ');
          onDone(t.finance.yearClosedDone(year, carried));
        },
        onError: () => setConfirming(false),
      },
    );
  };

  return (
    <FinanceForm
      id="close-year-form"
      title={t.finance.closeYear(year)}
      className="close-year-form"
      error={close.error}
      pending={close.isPending}
      submit={confirming ? t.finance.closeYearConfirm : t.finance.closeYearSubmit}
      color="danger"
      onSubmit={onSubmit}
    >
      <p className="col-12">{t.finance.closeYearLead}</p>
      <ChoiceField
        label={t.finance.act}
        className="col-12"
        options={acts}
        {...field('actId', 'act')}
        error={errors.actId ?? errors.year}
      />
      <NoActsHint show={acts.length === 0} />
      {confirming ? (
        <div className="col-12 mb-3" role="alert">
          <p className="fw-semibold mb-2">{t.finance.closeYearAsk(year)}</p>
          <Button type="button" color="secondary" outline size="sm" onClick={() => setConfirming(false)}>
            {t.plan.cancel}
          </Button>
        </div>
      ) : null}
    </FinanceForm>
  );
}
