import { Button } from 'design-react-kit';
import { type FormEvent, useState } from 'react';
import { t } from '../../../i18n';
import { useUpdatePlan } from '../api';
import type { PlanTree } from '../types';
import { type Bound, reasonOf, useFields } from './fields';
import {
  ConflictNotice,
  FormButtons,
  FormCard,
  FormError,
  type OnDone,
  ReasonField,
  useMutationStatus,
} from './shared';

function TextArea({ id, label, invalid, ...bound }: { id: string; label: string; invalid: boolean } & Bound) {
  return (
    <div className="form-group col-12">
      <label htmlFor={id} className="active">
        {label}
      </label>
      <textarea id={id} className={`form-control${invalid ? ' is-invalid' : ''}`} rows={6} {...bound} />
    </div>
  );
}

/** Governance and methodology, sent with If-Match; a 412 means someone saved in between. */
export function TextsEditor({ plan, etag, onDone }: { plan: PlanTree; etag: string; onDone: OnDone }) {
  const [open, setOpen] = useState(false);
  // The revision the form's texts were read from: a refetch while editing must not move it,
  // or a colleague's save in between would be overwritten without a conflict.
  const [baseEtag, setBaseEtag] = useState(etag);
  const f = useFields({ governance: plan.governance, methodology: plan.methodology, changeReason: '' });
  const update = useUpdatePlan(plan.id);
  const { errors, conflict, reloadThen } = useMutationStatus(plan.id, update);

  if (!open)
    return (
      <Button
        color="primary"
        outline
        size="sm"
        className="mb-4"
        onClick={() => {
          f.setValues({ governance: plan.governance, methodology: plan.methodology, changeReason: '' });
          setBaseEtag(etag);
          update.reset();
          setOpen(true);
        }}
      >
        {t.plan.editTexts}
      </Button>
    );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      {
        etag: baseEtag,
        governance: f.values.governance,
        methodology: f.values.methodology,
        ...reasonOf(plan, f.values.changeReason),
      },
      {
        onSuccess: () => {
          setOpen(false);
          onDone(t.plan.saved);
        },
      },
    );
  };

  return (
    <FormCard id="texts" title={t.plan.editTexts}>
      {conflict ? (
        // Reloading shows the other user's text: the form starts again from it.
        <ConflictNotice
          onReload={reloadThen(() => {
            setOpen(false);
            onDone('');
          })}
        />
      ) : null}
      <form className="row" onSubmit={onSubmit}>
        <TextArea
          id="edit-governance"
          label={t.plan.governance}
          invalid={!!errors.governance}
          {...f.bind('governance')}
        />
        <TextArea
          id="edit-methodology"
          label={t.plan.methodology}
          invalid={!!errors.methodology}
          {...f.bind('methodology')}
        />
        <ReasonField id="edit-reason" plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        {conflict ? null : <FormError error={update.error} />}
        <FormButtons pending={update.isPending} submit={t.plan.save} onCancel={() => setOpen(false)} />
      </form>
    </FormCard>
  );
}
