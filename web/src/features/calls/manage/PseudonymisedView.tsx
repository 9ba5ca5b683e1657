import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { FinanceForm } from '../../finance/forms/FinanceForm';
import type { ApplicantData, ApplicationDetail, PseudonymisedApplicant } from '../types';

const d = () => t.calls.detail;

export const isPseudonymised = (a: ApplicantData | PseudonymisedApplicant): a is PseudonymisedApplicant =>
  'pseudonym' in a;

/** What an auditor reads without a stated purpose: the pseudonym, the birth year, bands and masks. */
export function pseudonymisedRows(
  app: ApplicationDetail,
  p: PseudonymisedApplicant,
): Array<[string, string]> {
  const band = p.isee.band;
  const type = t.calls.iseeTypes[p.isee.type];
  return [
    [d().pseudonym, p.pseudonym],
    [d().birthYear, String(p.birthYear)],
    [d().residence, app.residence.comune ?? '—'],
    [
      d().isee,
      d().iseeBand(
        type,
        formatMoney(band.fromCents),
        band.toCents === null ? null : formatMoney(band.toCents),
      ),
    ],
    [d().household, String(p.householdMembers)],
    [d().ibanMasked, p.iban],
  ];
}

/**
 * The auditor states why the whole record is needed; the server records it with the read. The
 * purpose is kept only in the page: leaving it reads pseudonymised again.
 */
export function PurposeForm({ onPurpose }: { onPurpose: (purpose: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const onSubmit = () => {
    const text = value.trim();
    const problem =
      text.length < 10 ? d().purposeRequired : text.length > 500 ? d().purposeTooLong : undefined;
    setError(problem);
    if (!problem) onPurpose(text);
  };
  return (
    <FinanceForm
      id="purpose-form"
      title={d().purposeTitle}
      className="purpose-form"
      error={null}
      localErrors={error ? { purpose: error } : {}}
      pending={false}
      submit={d().purposeSubmit}
      onSubmit={onSubmit}
    >
      <TextField
        id="purpose-purpose"
        label={d().purpose}
        hint={d().purposeHint}
        className="col-12 mt-4"
        maxLength={500}
        value={value}
        error={error}
        onChange={(e) => setValue(e.target.value)}
      />
    </FinanceForm>
  );
}
