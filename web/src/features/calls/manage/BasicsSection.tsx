import type { Dispatch, SetStateAction } from 'react';
import { TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useBudgetLines } from '../../finance/api';
import { ChoiceField, NoActsHint, useActOptions } from '../../finance/forms/FinanceForm';
import { parseEuro } from '../../finance/money';
import { ibanError } from '../iban';
import type { CallInput, CallTemplateView } from '../types';
import { fromLocalInput, toLocalInput } from '../when';
import { euroText, pathId } from './inputs';

const e = () => t.calls.editor;

export interface Basics {
  code: string;
  title: string;
  description: string;
  opensAt: string;
  closesAt: string;
  budget: string;
  budgetLineId: string;
  approvalActId: string;
  debtorName: string;
  debtorIban: string;
}

const PREFIX: Record<string, string> = { misura_b2: 'B2', dopo_di_noi: 'DDN', sostegno_affitto: 'AFFITTO' };

/** From tomorrow for a month in the current year; March for another year. Rome wall time. */
function defaultWindow(year: number): { opensAt: string; closesAt: string } {
  const day = 86_400_000;
  const now = Date.now();
  if (year !== new Date(now).getFullYear())
    return { opensAt: `${year}-03-01T09:00`, closesAt: `${year}-03-31T12:00` };
  return {
    opensAt: `${toLocalInput(new Date(now + day).toISOString()).slice(0, 10)}T09:00`,
    closesAt: `${toLocalInput(new Date(now + 31 * day).toISOString()).slice(0, 10)}T12:00`,
  };
}

export function initialBasics(template: CallTemplateView, year: number, capofila?: string): Basics {
  return {
    code: `${PREFIX[template.code] ?? 'BANDO'}-${year}`,
    title: template.title,
    description: template.description,
    ...defaultWindow(year),
    budget: '',
    budgetLineId: '',
    approvalActId: '',
    debtorName: capofila ? t.calls.editor.comuneOf(capofila) : '',
    debtorIban: '',
  };
}

const LABELS = (): Record<string, string> => ({
  code: e().code,
  title: e().titleField,
  description: e().description,
  opensAt: e().opensAt,
  closesAt: e().closesAt,
  budgetCents: e().budget,
  budgetLineId: e().budgetLine,
  approvalActId: e().approvalAct,
  debtorName: e().debtorName,
  debtorIban: e().debtorIban,
});

export const basicsLabel = (key: string) => LABELS()[key] ?? key;

/** The basics checked and turned into the request, or the errors by the server's field names. */
export function checkBasics(b: Basics): {
  errors: Record<string, string>;
  input: Omit<CallInput, 'rules' | 'template'> | null;
} {
  const errors: Record<string, string> = {};
  const required = t.calls.form.required;
  if (!b.code.trim()) errors.code = required;
  if (b.title.trim().length < 3) errors.title = e().titleShort;
  const opensAt = fromLocalInput(b.opensAt);
  const closesAt = fromLocalInput(b.closesAt);
  if (!opensAt) errors.opensAt = e().dateTimeInvalid;
  if (!closesAt) errors.closesAt = e().dateTimeInvalid;
  else if (opensAt && Date.parse(closesAt) <= Date.parse(opensAt)) errors.closesAt = e().closesBeforeOpens;
  const budgetCents = parseEuro(b.budget);
  if (budgetCents === null || budgetCents <= 0) errors.budgetCents = e().euroInvalid;
  if (!b.budgetLineId) errors.budgetLineId = t.calls.form.choose;
  if (!b.approvalActId) errors.approvalActId = t.calls.form.choose;
  if (b.debtorName.trim().length < 2) errors.debtorName = required;
  const iban = ibanError(b.debtorIban);
  if (iban) errors.debtorIban = iban;
  if (Object.keys(errors).length > 0 || !opensAt || !closesAt || budgetCents === null)
    return { errors, input: null };
  return {
    errors,
    input: {
      code: b.code.trim(),
      title: b.title.trim(),
      description: b.description.trim(),
      budgetLineId: b.budgetLineId,
      approvalActId: b.approvalActId,
      opensAt,
      closesAt,
      budgetCents,
      debtorName: b.debtorName.trim(),
      debtorIban: b.debtorIban.replace(/\s/g, '').toUpperCase(),
    },
  };
}

/** Code and title, the window, the money (budget, line, deliberation) and the paying account. */
export function BasicsSection({
  ambitoId,
  year,
  fundCode,
  basics,
  setBasics,
  error,
}: {
  ambitoId: string;
  year: number;
  fundCode: string;
  basics: Basics;
  setBasics: Dispatch<SetStateAction<Basics>>;
  error: (key: string) => string | undefined;
}) {
  const lines = useBudgetLines(ambitoId, year).data ?? [];
  const acts = useActOptions(ambitoId, ['delibera_assemblea']);
  // The template's fund first: its lines are the likely ones.
  const lineOptions = [...lines]
    .sort((a, b) => Number(b.fundCode === fundCode) - Number(a.fundCode === fundCode))
    .map((l) => ({
      value: l.id,
      label: e().lineOption(l.code, l.fundCode, l.action.title, formatMoney(l.availableCents)),
    }));
  const bind = (key: keyof Basics, errorKey: string = key) => ({
    id: pathId(errorKey),
    value: basics[key],
    error: error(errorKey),
    onChange: (ev: { target: { value: string } }) => setBasics((b) => ({ ...b, [key]: ev.target.value })),
  });
  const line = lines.find((l) => l.id === basics.budgetLineId);
  return (
    <>
      <fieldset className="row">
        <legend>{e().basicsTitle}</legend>
        <TextField label={e().code} hint={e().codeHint} className="col-md-4" {...bind('code')} />
        <TextField label={e().titleField} className="col-md-8" {...bind('title')} />
        <TextField
          label={e().description}
          hint={e().descriptionHint}
          className="col-12"
          {...bind('description')}
        />
        <TextField
          type="datetime-local"
          label={e().opensAt}
          hint={e().romeTime}
          className="col-md-6"
          {...bind('opensAt')}
        />
        <TextField
          type="datetime-local"
          label={e().closesAt}
          hint={e().romeTime}
          className="col-md-6"
          {...bind('closesAt')}
        />
      </fieldset>
      <fieldset className="row">
        <legend>{e().moneyTitle}</legend>
        <ChoiceField
          label={e().budgetLine}
          hint={e().budgetLineHint(year)}
          className="col-12"
          options={lineOptions}
          {...bind('budgetLineId')}
        />
        {lines.length === 0 ? <p className="col-12 small text-secondary">{e().noLines(year)}</p> : null}
        <TextField
          label={e().budget}
          hint={line ? e().budgetHint(euroText(line.availableCents)) : t.finance.amountHint}
          inputMode="decimal"
          className="col-md-4"
          {...bind('budget', 'budgetCents')}
        />
        <ChoiceField
          label={e().approvalAct}
          hint={e().approvalActHint}
          className="col-md-8"
          options={acts}
          {...bind('approvalActId')}
        />
        <NoActsHint show={acts.length === 0} />
        <TextField label={e().debtorName} className="col-md-6" {...bind('debtorName')} />
        <TextField
          label={e().debtorIban}
          hint={e().debtorIbanHint}
          className="col-md-6"
          {...bind('debtorIban')}
        />
      </fieldset>
    </>
  );
}
