import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { errorsOf, FinanceForm, type OnDone, useFields } from '../../finance/forms/FinanceForm';
import { useReview } from '../api';
import type { ReviewInput } from '../types';

const DECISIONS: ReviewInput['decision'][] = ['admissible', 'excluded', 'integration_requested'];
const r = () => t.calls.review;

/**
 * The office's decision on an application: admissible; excluded, saying why; or a request to
 * complete it by a date. The reason is what the applicant reads, so it is required when not admitted.
 */
export function ReviewForm({
  callId,
  applicationId,
  onDone,
}: {
  callId: string;
  applicationId: string;
  onDone: OnDone;
}) {
  const f = useFields({ decision: 'admissible', reason: '', integrationDue: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const review = useReview(callId, applicationId);
  const errors = errorsOf(review.error, local);
  const field = f.fieldsOf('review', errors);
  const decision = f.values.decision as ReviewInput['decision'];

  const onSubmit = () => {
    const v = f.values;
    const next: Record<string, string> = {};
    if (decision !== 'admissible' && v.reason.trim().length < 5) next.reason = r().reasonRequired;
    if (decision === 'integration_requested' && !v.integrationDue) next.integrationDue = r().dueRequired;
    setLocal(next);
    if (Object.keys(next).length) return;
    review.reset();
    review.mutate(
      {
        decision,
        ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
        ...(decision === 'integration_requested' ? { integrationDue: v.integrationDue } : {}),
      },
      {
        onSuccess: () => {
          onDone(r().done(t.calls.statuses[decision]));
          f.reset();
        },
      },
    );
  };

  return (
    <FinanceForm
      id="review-form"
      title={r().title}
      className="review-form"
      error={review.error}
      localErrors={local}
      pending={review.isPending}
      submit={r().submit}
      onSubmit={onSubmit}
    >
      <fieldset className="col-12 mb-3">
        <legend className="h6">{r().decision}</legend>
        {DECISIONS.map((d) => (
          <div key={d} className="form-check">
            <input
              type="radio"
              id={`review-decision-${d}`}
              name="review-decision"
              value={d}
              checked={decision === d}
              onChange={() => f.setValues((s) => ({ ...s, decision: d }))}
            />
            <label htmlFor={`review-decision-${d}`}>{r().decisions[d]}</label>
          </div>
        ))}
      </fieldset>
      <TextField
        label={decision === 'admissible' ? r().noteOptional : r().reason}
        hint={r().reasonHint}
        className="col-md-8"
        {...field('reason')}
      />
      {decision === 'integration_requested' ? (
        <TextField type="date" label={r().due} className="col-md-4" {...field('integrationDue')} />
      ) : null}
    </FinanceForm>
  );
}
