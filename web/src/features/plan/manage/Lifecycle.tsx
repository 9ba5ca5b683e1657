import { Button } from 'design-react-kit';
import { SelectField, TextField } from '../../../components/FormField';
import { formatDate } from '../../../format';
import { t } from '../../../i18n';
import { useActs, useTransition } from '../api';
import { actText } from '../parts';
import type { ActKind, PlanTree, TransitionBody } from '../types';
import { useFields } from './fields';
import { ConflictOrError, FormCard, type OnDone, useMutationStatus } from './shared';

/** Approve, put in force, extend, close: only the steps the current status allows are offered. */
export function Lifecycle({ plan, etag, onDone }: { plan: PlanTree; etag: string; onDone: OnDone }) {
  const acts = useActs(plan.ambitoId);
  const transition = useTransition(plan.id);
  const status = useMutationStatus(plan.id, transition);
  const { errors } = status;
  const f = useFields({ approveAct: '', extendAct: '', extendedTo: '' });
  const run = (body: TransitionBody) =>
    transition.mutate(
      { ...body, etag },
      {
        onSuccess: (r) =>
          onDone(t.plan.transitionDone(t.plan.statuses[r.status as PlanTree['status']] ?? r.status)),
      },
    );
  const actOptions = (filter: (k: ActKind) => boolean) => (
    <>
      <option value="">{t.plan.actNone}</option>
      {(acts.data ?? [])
        .filter((a) => filter(a.kind))
        .map((a) => (
          <option key={a.id} value={a.id}>
            {actText(a)}
          </option>
        ))}
    </>
  );
  const planStatus = plan.status;

  return (
    <FormCard id="lifecycle" title={t.plan.lifecycle}>
      <ConflictOrError
        status={status}
        error={transition.error}
        onReload={status.reloadThen(() => onDone(''))}
      />
      {acts.data && acts.data.length === 0 && planStatus !== 'approved' ? <p>{t.plan.noActs}</p> : null}
      {planStatus === 'draft' ? (
        <form
          className="row align-items-end"
          onSubmit={(e) => {
            e.preventDefault();
            run({ action: 'approve', actId: f.values.approveAct });
          }}
        >
          <SelectField
            id="approve-act"
            label={t.plan.act}
            hint={t.plan.actHintApprove}
            className="col-md-8"
            error={errors.actId}
            {...f.bind('approveAct')}
          >
            {actOptions((k) => k === 'delibera_assemblea')}
          </SelectField>
          <div className="col-md-4 mb-4">
            <Button
              type="submit"
              color="primary"
              size="sm"
              disabled={transition.isPending || !f.values.approveAct}
            >
              {t.plan.approve}
            </Button>
          </div>
        </form>
      ) : null}
      {planStatus === 'approved' ? (
        <Button
          color="primary"
          size="sm"
          disabled={transition.isPending}
          onClick={() => run({ action: 'enforce' })}
        >
          {t.plan.enforce}
        </Button>
      ) : null}
      {planStatus === 'in_force' || planStatus === 'extended' ? (
        <>
          <form
            className="row align-items-end"
            onSubmit={(e) => {
              e.preventDefault();
              run({ action: 'extend', actId: f.values.extendAct, extendedTo: f.values.extendedTo });
            }}
          >
            <SelectField
              id="extend-act"
              label={t.plan.act}
              className="col-md-5"
              error={errors.actId}
              {...f.bind('extendAct')}
            >
              {actOptions((k) => k !== 'altro')}
            </SelectField>
            <TextField
              id="extend-to"
              type="date"
              label={t.plan.newEnd}
              hint={formatDate(plan.extendedTo ?? plan.endDate)}
              className="col-md-4"
              error={errors.extendedTo}
              {...f.bind('extendedTo')}
            />
            <div className="col-md-3 mb-4">
              <Button
                type="submit"
                color="primary"
                size="sm"
                disabled={transition.isPending || !f.values.extendAct || !f.values.extendedTo}
              >
                {t.plan.extend}
              </Button>
            </div>
          </form>
          <Button
            color="danger"
            outline
            size="sm"
            disabled={transition.isPending}
            onClick={() => run({ action: 'close' })}
          >
            {t.plan.close}
          </Button>
        </>
      ) : null}
    </FormCard>
  );
}
