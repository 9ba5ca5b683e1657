import { Button } from 'design-react-kit';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { fieldErrors } from '../../api/client';
import { TextField } from '../../components/FormField';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { t } from '../../i18n';
import { useSession } from '../identity/api';
import { useCreatePlan, usePlans } from './api';
import { StatusBadge, validityText } from './parts';

function NewPlanForm({ ambitoId }: { ambitoId: string }) {
  const [open, setOpen] = useState(false);
  const year = new Date().getFullYear();
  const [v, setV] = useState({
    title: '',
    period: `${year}-${year + 2}`,
    edition: '1',
    startDate: `${year}-01-01`,
    endDate: `${year + 2}-12-31`,
  });
  const create = useCreatePlan();
  const navigate = useNavigate();
  const errors = fieldErrors(create.error);
  const bind = (name: keyof typeof v) => ({
    value: v[name],
    onChange: (e: { target: { value: string } }) => setV((s) => ({ ...s, [name]: e.target.value })),
  });
  if (!open)
    return (
      <Button color="primary" outline size="sm" onClick={() => setOpen(true)}>
        {t.plan.newPlan}
      </Button>
    );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        ambitoId,
        title: v.title.trim(),
        period: v.period.trim(),
        edition: Number(v.edition),
        startDate: v.startDate,
        endDate: v.endDate,
        governance: '',
        methodology: '',
      },
      { onSuccess: (r) => navigate(`/piani/${r.id}`) },
    );
  };
  return (
    <form
      className="row border rounded p-3 mt-3 new-plan-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="new-plan-title"
    >
      <h3 id="new-plan-title" className="h5 col-12">
        {t.plan.newPlan}
      </h3>
      <TextField
        id="plan-title"
        label={t.plan.title}
        className="col-12"
        error={errors.title}
        {...bind('title')}
      />
      <TextField
        id="plan-period"
        label={t.plan.period}
        hint={t.plan.periodHint}
        className="col-md-4"
        error={errors.period}
        {...bind('period')}
      />
      <TextField
        id="plan-edition"
        type="number"
        min={1}
        max={99}
        label={t.plan.edition}
        className="col-md-2"
        error={errors.edition}
        {...bind('edition')}
      />
      <TextField
        id="plan-start"
        type="date"
        label={t.plan.startDate}
        className="col-md-3"
        error={errors.startDate}
        {...bind('startDate')}
      />
      <TextField
        id="plan-end"
        type="date"
        label={t.plan.endDate}
        className="col-md-3"
        error={errors.endDate}
        {...bind('endDate')}
      />
      {create.isError && Object.keys(errors).length === 0 ? (
        <p className="text-danger small col-12" role="alert">
          {create.error.message}
        </p>
      ) : null}
      <div className="col-12 d-flex gap-2">
        <Button type="submit" color="primary" size="sm" disabled={create.isPending}>
          {t.plan.newPlanSubmit}
        </Button>
        <Button type="button" color="secondary" outline size="sm" onClick={() => setOpen(false)}>
          {t.plan.cancel}
        </Button>
      </div>
    </form>
  );
}

/** The Ambito's Piani di Zona: public ones for everybody, drafts too for its Ufficio di Piano. */
export function AmbitoPlans({ ambitoId, ambitoName }: { ambitoId: string; ambitoName: string }) {
  const plans = usePlans(ambitoId);
  const session = useSession();
  const staff = !!session.data?.roles.some((r) => r.role === 'ufficio_di_piano' && r.ambitoId === ambitoId);
  return (
    <section className="my-5 ambito-plans" aria-labelledby="plans-title">
      <h2 id="plans-title" className="h3">
        {t.plan.listTitle}
      </h2>
      {plans.isPending ? (
        <Loading />
      ) : plans.isError ? (
        <ErrorState error={plans.error} title={t.plan.listTitle} onRetry={() => plans.refetch()} />
      ) : plans.data.length === 0 ? (
        <p className="plans-empty">{t.plan.listEmpty}</p>
      ) : (
        <ResponsiveTable captionId="plans-caption">
          <table className="table align-middle plans-table">
            <caption id="plans-caption">{t.plan.listCaption(ambitoName)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.plan.title}</th>
                <th scope="col">{t.plan.period}</th>
                <th scope="col">{t.plan.edition}</th>
                <th scope="col">{t.plan.status}</th>
              </tr>
            </thead>
            <tbody>
              {plans.data.map((p) => (
                <tr key={p.id}>
                  <th scope="row" className="fw-normal">
                    <Link to={`/piani/${p.id}`}>{p.title}</Link>
                  </th>
                  <td>
                    {p.period}
                    <div className="small text-secondary">{validityText(p)}</div>
                  </td>
                  <td className="num">{p.edition}</td>
                  <td>
                    <StatusBadge status={p.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
      {staff ? <NewPlanForm ambitoId={ambitoId} /> : null}
    </section>
  );
}
