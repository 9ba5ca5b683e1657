import { Alert, Button } from 'design-react-kit';
import { type ChangeEvent, type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage, fieldErrors } from '../../api/client';
import { SelectField, TextField } from '../../components/FormField';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import {
  useActs,
  useAddAction,
  useAddIndicator,
  useAddIndicatorValue,
  useAddObjective,
  useCreateAct,
  useReloadPlan,
  useTransition,
  useUpdatePlan,
} from './api';
import { actText } from './parts';
import {
  ACT_KINDS,
  ACTION_STATUSES,
  type ActionStatus,
  type ActKind,
  type IndicatorView,
  MACRO_AREAS,
  OBJECTIVE_KINDS,
  type ObjectiveKind,
  type PlanTree,
  type TransitionBody,
  UNITS,
  type Unit,
} from './types';

type Values = Record<string, string>;

/** Plain controlled fields: `bind('code')` gives value and onChange for that key. */
function useFields<T extends Values>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const bind = (name: keyof T & string) => ({
    value: values[name] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
      setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  return { values, bind, reset: () => setValues(initial), setValues };
}

/** "12.500,50" or "12500.5" → 1250050 cents; null when it is not an amount. */
export function euroToCents(text: string): number | null {
  let s = text.replace(/[€\s]/g, '');
  if (!s) return null;
  if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  return Math.round(Number(s) * 100);
}

const needsReason = (plan: PlanTree) => plan.status !== 'draft';

function ReasonField({
  id,
  plan,
  error,
  ...input
}: { id: string; plan: PlanTree; error?: string | undefined } & {
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
}) {
  if (!needsReason(plan)) return null;
  return (
    <TextField
      id={id}
      label={t.plan.changeReason}
      hint={t.plan.changeReasonHint}
      error={error}
      required
      minLength={5}
      className="col-12"
      {...input}
    />
  );
}

function FormCard({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="plan-form border rounded p-4 mb-4" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="h5">
        {title}
      </h3>
      {children}
    </section>
  );
}

function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="text-danger small form-error" role="alert">
      {Object.keys(fieldErrors(error)).length
        ? `${errorMessage(error)} ${t.plan.formErrors}`
        : errorMessage(error)}
    </p>
  );
}

/** Governance and methodology, sent with If-Match; a 412 means someone saved in between. */
function TextsEditor({ plan, etag, onDone }: { plan: PlanTree; etag: string; onDone: (m: string) => void }) {
  const [open, setOpen] = useState(false);
  // The revision the form's texts were read from: a refetch while editing must not move it,
  // or a colleague's save in between would be overwritten without a conflict.
  const [baseEtag, setBaseEtag] = useState(etag);
  const f = useFields({ governance: plan.governance, methodology: plan.methodology, changeReason: '' });
  const update = useUpdatePlan(plan.id);
  const reload = useReloadPlan(plan.id);
  const errors = fieldErrors(update.error);
  const conflict = update.error instanceof ApiError && update.error.isConflict;

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
        ...(needsReason(plan) ? { changeReason: f.values.changeReason } : {}),
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
        <Alert color="warning" className="plan-conflict">
          <p className="mb-2">{t.plan.conflict}</p>
          <Button
            color="primary"
            size="sm"
            onClick={() => {
              // Reloading shows the other user's text: the form starts again from it.
              update.reset();
              setOpen(false);
              onDone('');
              void reload();
            }}
          >
            {t.plan.reload}
          </Button>
        </Alert>
      ) : null}
      <form className="row" onSubmit={onSubmit}>
        <div className="form-group col-12">
          <label htmlFor="edit-governance" className="active">
            {t.plan.governance}
          </label>
          <textarea
            id="edit-governance"
            className={`form-control${errors.governance ? ' is-invalid' : ''}`}
            rows={6}
            {...f.bind('governance')}
          />
        </div>
        <div className="form-group col-12">
          <label htmlFor="edit-methodology" className="active">
            {t.plan.methodology}
          </label>
          <textarea
            id="edit-methodology"
            className={`form-control${errors.methodology ? ' is-invalid' : ''}`}
            rows={6}
            {...f.bind('methodology')}
          />
        </div>
        <ReasonField id="edit-reason" plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        {conflict ? null : <FormError error={update.error} />}
        <div className="col-12 d-flex gap-2">
          <Button type="submit" color="primary" size="sm" disabled={update.isPending}>
            {t.plan.save}
          </Button>
          <Button type="button" color="secondary" outline size="sm" onClick={() => setOpen(false)}>
            {t.plan.cancel}
          </Button>
        </div>
      </form>
    </FormCard>
  );
}

function ObjectiveForm({ plan, onDone }: { plan: PlanTree; onDone: (m: string) => void }) {
  const f = useFields({
    level: 'general',
    parentId: '',
    code: '',
    title: '',
    kind: '',
    macroAreaCode: '',
    needs: '',
    changeReason: '',
  });
  const add = useAddObjective(plan.id);
  const errors = fieldErrors(add.error);
  const general = f.values.level === 'general';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    add.mutate(
      {
        parentId: general ? null : v.parentId || null,
        code: v.code.trim(),
        title: v.title.trim(),
        kind: general ? ((v.kind || null) as ObjectiveKind | null) : null,
        macroAreaCode: general ? v.macroAreaCode || null : null,
        needs: v.needs,
        ...(needsReason(plan) ? { changeReason: v.changeReason } : {}),
      },
      {
        onSuccess: () => {
          onDone(t.plan.objectiveAdded(v.code.trim()));
          f.reset();
        },
      },
    );
  };

  return (
    <FormCard id="objective-form" title={t.plan.addObjective}>
      <form className="row objective-form" onSubmit={onSubmit} noValidate>
        <SelectField id="obj-level" label={t.plan.objectiveLevel} className="col-md-6" {...f.bind('level')}>
          <option value="general">{t.plan.general}</option>
          <option value="specific">{t.plan.specific}</option>
        </SelectField>
        {general ? (
          <>
            <SelectField
              id="obj-kind"
              label={t.plan.kind}
              className="col-md-6"
              error={errors.kind}
              {...f.bind('kind')}
            >
              <option value="">{t.plan.select}</option>
              {OBJECTIVE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t.plan.kinds[k]}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="obj-area"
              label={t.plan.macroArea}
              className="col-12"
              error={errors.macroAreaCode}
              {...f.bind('macroAreaCode')}
            >
              <option value="">{t.plan.select}</option>
              {MACRO_AREAS.map((code) => (
                <option key={code} value={code}>
                  {code} — {t.plan.macroAreas[code]}
                </option>
              ))}
            </SelectField>
          </>
        ) : (
          <SelectField
            id="obj-parent"
            label={t.plan.parent}
            className="col-md-6"
            error={errors.parentId}
            {...f.bind('parentId')}
          >
            <option value="">{t.plan.select}</option>
            {plan.objectives.map((o) => (
              <option key={o.id} value={o.id}>
                {o.code} — {o.title}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          id="obj-code"
          label={t.plan.code}
          className="col-md-3"
          error={errors.code}
          {...f.bind('code')}
        />
        <TextField
          id="obj-title"
          label={t.plan.title}
          className="col-md-9"
          error={errors.title}
          {...f.bind('title')}
        />
        <TextField
          id="obj-needs"
          label={t.plan.needs}
          className="col-12"
          error={errors.needs}
          {...f.bind('needs')}
        />
        <ReasonField id="obj-reason" plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        <FormError error={add.error} />
        <div className="col-12">
          <Button type="submit" color="primary" size="sm" disabled={add.isPending}>
            {t.plan.addObjectiveSubmit}
          </Button>
        </div>
      </form>
    </FormCard>
  );
}

function ActionForm({ plan, onDone }: { plan: PlanTree; onDone: (m: string) => void }) {
  const f = useFields({
    objectiveId: '',
    code: '',
    title: '',
    responsible: '',
    startDate: plan.startDate,
    endDate: plan.extendedTo ?? plan.endDate,
    status: 'planned',
    fund: '',
    amount: '',
    changeReason: '',
  });
  const [amountError, setAmountError] = useState('');
  const add = useAddAction(plan.id);
  const errors = fieldErrors(add.error);
  const specifics = plan.objectives.flatMap((o) => o.specific);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    const cents = v.amount.trim() ? euroToCents(v.amount) : 0;
    if (cents === null) {
      setAmountError(t.plan.amountInvalid);
      return;
    }
    setAmountError('');
    add.mutate(
      {
        objectiveId: v.objectiveId,
        code: v.code.trim(),
        title: v.title.trim(),
        responsible: v.responsible.trim(),
        startDate: v.startDate,
        endDate: v.endDate,
        status: v.status as ActionStatus,
        resources: v.fund.trim() ? [{ fund: v.fund.trim(), amountCents: cents }] : [],
        ...(needsReason(plan) ? { changeReason: v.changeReason } : {}),
      },
      {
        onSuccess: () => {
          onDone(t.plan.actionAdded(v.code.trim()));
          f.reset();
        },
      },
    );
  };

  return (
    <FormCard id="action-form" title={t.plan.addAction}>
      <form className="row action-form" onSubmit={onSubmit} noValidate>
        <SelectField
          id="act-objective"
          label={t.plan.actionObjective}
          className="col-12"
          error={errors.objectiveId}
          {...f.bind('objectiveId')}
        >
          <option value="">{t.plan.select}</option>
          {specifics.map((s) => (
            <option key={s.id} value={s.id}>
              {s.code} — {s.title}
            </option>
          ))}
        </SelectField>
        <TextField
          id="act-code"
          label={t.plan.code}
          className="col-md-3"
          error={errors.code}
          {...f.bind('code')}
        />
        <TextField
          id="act-title"
          label={t.plan.title}
          className="col-md-9"
          error={errors.title}
          {...f.bind('title')}
        />
        <TextField
          id="act-responsible"
          label={t.plan.responsible}
          className="col-md-6"
          error={errors.responsible}
          {...f.bind('responsible')}
        />
        <SelectField id="act-status" label={t.plan.status} className="col-md-6" {...f.bind('status')}>
          {ACTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.plan.actionStatuses[s]}
            </option>
          ))}
        </SelectField>
        <TextField
          id="act-start"
          type="date"
          label={t.plan.startDate}
          className="col-md-6"
          error={errors.startDate}
          {...f.bind('startDate')}
        />
        <TextField
          id="act-end"
          type="date"
          label={t.plan.endDate}
          className="col-md-6"
          error={errors.endDate}
          {...f.bind('endDate')}
        />
        <TextField
          id="act-fund"
          label={t.plan.fund}
          hint={t.plan.fundHint}
          className="col-md-6"
          error={errors.fund ?? errors.resources}
          {...f.bind('fund')}
        />
        <TextField
          id="act-amount"
          label={t.plan.amount}
          hint={t.plan.amountHint}
          inputMode="decimal"
          className="col-md-6"
          error={amountError || errors.amountCents}
          {...f.bind('amount')}
        />
        <ReasonField id="act-reason" plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        <FormError error={add.error} />
        <div className="col-12">
          <Button type="submit" color="primary" size="sm" disabled={add.isPending}>
            {t.plan.addActionSubmit}
          </Button>
        </div>
      </form>
    </FormCard>
  );
}

/** Everything an indicator may refer to: general and specific objectives (o:) and actions (a:). */
function indicatorTargets(plan: PlanTree) {
  const out: Array<{ value: string; label: string }> = [];
  for (const o of plan.objectives) {
    out.push({ value: `o:${o.id}`, label: `${t.plan.general} ${o.code} — ${o.title}` });
    for (const s of o.specific) {
      out.push({ value: `o:${s.id}`, label: `${t.plan.specific} ${s.code} — ${s.title}` });
      for (const a of s.actions)
        out.push({ value: `a:${a.id}`, label: `${t.plan.action} ${a.code} — ${a.title}` });
    }
  }
  return out;
}

function allIndicators(plan: PlanTree): IndicatorView[] {
  return plan.objectives.flatMap((o) => [
    ...o.indicators,
    ...o.specific.flatMap((s) => [...s.indicators, ...s.actions.flatMap((a) => a.indicators)]),
  ]);
}

function IndicatorForm({ plan, onDone }: { plan: PlanTree; onDone: (m: string) => void }) {
  const firstYear = Number(plan.startDate.slice(0, 4));
  const f = useFields({
    ref: '',
    code: '',
    name: '',
    kind: 'output',
    unit: 'numero',
    baseline: '',
    targetYear: String(firstYear),
    target: '',
    changeReason: '',
  });
  const add = useAddIndicator(plan.id);
  const errors = fieldErrors(add.error);
  const lastYear = Number((plan.extendedTo ?? plan.endDate).slice(0, 4));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    const [kind, id] = v.ref.split(':');
    add.mutate(
      {
        objectiveId: kind === 'o' ? (id ?? null) : null,
        actionId: kind === 'a' ? (id ?? null) : null,
        code: v.code.trim(),
        name: v.name.trim(),
        kind: v.kind as 'output' | 'outcome',
        unit: v.unit as Unit,
        baseline: v.baseline.trim() || null,
        targets: v.target.trim() ? [{ year: Number(v.targetYear), target: v.target.trim() }] : [],
        ...(needsReason(plan) ? { changeReason: v.changeReason } : {}),
      },
      {
        onSuccess: () => {
          onDone(t.plan.indicatorAdded(v.code.trim()));
          f.reset();
        },
      },
    );
  };

  return (
    <FormCard id="indicator-form" title={t.plan.addIndicator}>
      <form className="row indicator-form" onSubmit={onSubmit} noValidate>
        <SelectField
          id="ind-ref"
          label={t.plan.indicatorOf}
          className="col-12"
          error={errors.objectiveId ?? errors.actionId}
          {...f.bind('ref')}
        >
          <option value="">{t.plan.select}</option>
          {indicatorTargets(plan).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <TextField
          id="ind-code"
          label={t.plan.code}
          className="col-md-3"
          error={errors.code}
          {...f.bind('code')}
        />
        <TextField
          id="ind-name"
          label={t.plan.name}
          className="col-md-9"
          error={errors.name}
          {...f.bind('name')}
        />
        <SelectField id="ind-kind" label={t.plan.indicatorKind} className="col-md-6" {...f.bind('kind')}>
          <option value="output">{t.plan.indicatorKinds.output}</option>
          <option value="outcome">{t.plan.indicatorKinds.outcome}</option>
        </SelectField>
        <SelectField
          id="ind-unit"
          label={t.plan.unit}
          className="col-md-6"
          error={errors.unit}
          {...f.bind('unit')}
        >
          {UNITS.map((u) => (
            <option key={u} value={u}>
              {t.plan.units[u]}
            </option>
          ))}
        </SelectField>
        <TextField
          id="ind-baseline"
          label={t.plan.baseline}
          hint={t.plan.decimalHint}
          inputMode="decimal"
          className="col-md-4"
          error={errors.baseline}
          {...f.bind('baseline')}
        />
        <SelectField
          id="ind-year"
          label={t.plan.targetYearLabel}
          className="col-md-4"
          error={errors.year}
          {...f.bind('targetYear')}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <TextField
          id="ind-target"
          label={t.plan.targetValue}
          inputMode="decimal"
          className="col-md-4"
          error={errors.target ?? errors.targets}
          {...f.bind('target')}
        />
        <ReasonField id="ind-reason" plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        <FormError error={add.error} />
        <div className="col-12">
          <Button type="submit" color="primary" size="sm" disabled={add.isPending}>
            {t.plan.addIndicatorSubmit}
          </Button>
        </div>
      </form>
    </FormCard>
  );
}

function ValueForm({ plan, onDone }: { plan: PlanTree; onDone: (m: string) => void }) {
  const indicators = allIndicators(plan);
  const f = useFields({ indicatorId: '', measuredOn: '', value: '', source: '' });
  const add = useAddIndicatorValue(plan.id);
  const errors = fieldErrors(add.error);
  if (indicators.length === 0)
    return (
      <FormCard id="value-form" title={t.plan.addValue}>
        <p className="mb-0">{t.plan.noIndicators}</p>
      </FormCard>
    );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    const indicator = indicators.find((i) => i.id === v.indicatorId);
    add.mutate(
      {
        indicatorId: v.indicatorId,
        measuredOn: v.measuredOn,
        value: v.value.trim(),
        // The value is always in the indicator's own unit.
        unit: indicator?.unit ?? 'numero',
        source: v.source.trim(),
      },
      {
        onSuccess: () => {
          onDone(t.plan.valueAdded);
          f.reset();
        },
      },
    );
  };
  const selected = indicators.find((i) => i.id === f.values.indicatorId);
  return (
    <FormCard id="value-form" title={t.plan.addValue}>
      <form className="row value-form" onSubmit={onSubmit} noValidate>
        <SelectField
          id="val-indicator"
          label={t.plan.indicator}
          className="col-12"
          error={errors.itemId}
          {...f.bind('indicatorId')}
        >
          <option value="">{t.plan.select}</option>
          {indicators.map((i) => (
            <option key={i.id} value={i.id}>
              {i.code} — {i.name} ({t.plan.units[i.unit]})
            </option>
          ))}
        </SelectField>
        <TextField
          id="val-date"
          type="date"
          label={t.plan.measuredOn}
          className="col-md-4"
          error={errors.measuredOn}
          {...f.bind('measuredOn')}
        />
        <TextField
          id="val-value"
          label={selected ? `${t.plan.value} (${t.plan.units[selected.unit]})` : t.plan.value}
          hint={t.plan.decimalHint}
          inputMode="decimal"
          className="col-md-4"
          error={errors.value ?? errors.unit}
          {...f.bind('value')}
        />
        <TextField
          id="val-source"
          label={t.plan.source}
          className="col-md-4"
          error={errors.source}
          {...f.bind('source')}
        />
        <FormError error={add.error} />
        <div className="col-12">
          <Button type="submit" color="primary" size="sm" disabled={add.isPending}>
            {t.plan.addValueSubmit}
          </Button>
        </div>
      </form>
    </FormCard>
  );
}

function ActForm({ ambitoId, onDone }: { ambitoId: string; onDone: (m: string) => void }) {
  const f = useFields({ kind: 'delibera_assemblea', body: '', number: '', date: '', subject: '' });
  const create = useCreateAct(ambitoId);
  const errors = fieldErrors(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    create.mutate(
      {
        kind: v.kind as ActKind,
        body: v.body.trim(),
        number: v.number.trim(),
        date: v.date,
        subject: v.subject.trim(),
      },
      {
        onSuccess: () => {
          onDone(t.plan.actAdded);
          f.reset();
        },
      },
    );
  };
  return (
    <FormCard id="act-form" title={t.plan.acts}>
      <form className="row act-form" onSubmit={onSubmit} noValidate>
        <SelectField id="new-act-kind" label={t.plan.actKind} className="col-md-6" {...f.bind('kind')}>
          {ACT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t.plan.actKinds[k]}
            </option>
          ))}
        </SelectField>
        <TextField
          id="new-act-body"
          label={t.plan.actBody}
          className="col-md-6"
          error={errors.body}
          {...f.bind('body')}
        />
        <TextField
          id="new-act-number"
          label={t.plan.actNumber}
          className="col-md-6"
          error={errors.number}
          {...f.bind('number')}
        />
        <TextField
          id="new-act-date"
          type="date"
          label={t.plan.actDate}
          className="col-md-6"
          error={errors.date}
          {...f.bind('date')}
        />
        <TextField
          id="new-act-subject"
          label={t.plan.actSubject}
          className="col-12"
          error={errors.subject}
          {...f.bind('subject')}
        />
        <FormError error={create.error} />
        <div className="col-12">
          <Button type="submit" color="primary" size="sm" disabled={create.isPending}>
            {t.plan.actSubmit}
          </Button>
        </div>
      </form>
    </FormCard>
  );
}

/** Approve, put in force, extend, close: only the steps the current status allows are offered. */
function Lifecycle({ plan, etag, onDone }: { plan: PlanTree; etag: string; onDone: (m: string) => void }) {
  const acts = useActs(plan.ambitoId);
  const transition = useTransition(plan.id);
  const reload = useReloadPlan(plan.id);
  const f = useFields({ approveAct: '', extendAct: '', extendedTo: '' });
  const errors = fieldErrors(transition.error);
  const conflict = transition.error instanceof ApiError && transition.error.isConflict;
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
  const { status } = plan;

  return (
    <FormCard id="lifecycle" title={t.plan.lifecycle}>
      {conflict ? (
        <Alert color="warning" className="plan-conflict">
          <p className="mb-2">{t.plan.conflict}</p>
          <Button
            color="primary"
            size="sm"
            onClick={() => {
              transition.reset();
              onDone('');
              void reload();
            }}
          >
            {t.plan.reload}
          </Button>
        </Alert>
      ) : (
        <FormError error={transition.error} />
      )}
      {acts.data && acts.data.length === 0 && status !== 'approved' ? <p>{t.plan.noActs}</p> : null}
      {status === 'draft' ? (
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
      {status === 'approved' ? (
        <Button
          color="primary"
          size="sm"
          disabled={transition.isPending}
          onClick={() => run({ action: 'enforce' })}
        >
          {t.plan.enforce}
        </Button>
      ) : null}
      {status === 'in_force' || status === 'extended' ? (
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

export function PlanManagement({ plan, etag }: { plan: PlanTree; etag: string }) {
  const [notice, setNotice] = useState('');
  return (
    <section className="plan-manage mb-5" aria-labelledby="manage-title">
      <h2 id="manage-title" className="h3">
        {t.plan.manage}
      </h2>
      <p>{t.plan.manageLead}</p>
      <p className="plan-notice fw-semibold" role="status">
        {notice}
      </p>
      {plan.status === 'closed' ? (
        <p>{t.plan.closedNote}</p>
      ) : (
        <>
          <TextsEditor plan={plan} etag={etag} onDone={setNotice} />
          <ObjectiveForm plan={plan} onDone={setNotice} />
          <ActionForm plan={plan} onDone={setNotice} />
          <IndicatorForm plan={plan} onDone={setNotice} />
          <ValueForm plan={plan} onDone={setNotice} />
          <Lifecycle plan={plan} etag={etag} onDone={setNotice} />
          <ActForm ambitoId={plan.ambitoId} onDone={setNotice} />
        </>
      )}
    </section>
  );
}
