import { Alert, Button } from 'design-react-kit';
import { type ChangeEvent, type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, fieldErrors } from '../../api/client';
import { SelectField, TextField } from '../../components/FormField';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import {
  type ItemPath,
  useActs,
  useAddAction,
  useAddIndicator,
  useAddIndicatorValue,
  useAddObjective,
  useCreateAct,
  useDeleteItem,
  useReloadPlan,
  useTransition,
  useUpdateItem,
  useUpdatePlan,
} from './api';
import { actText } from './parts';
import {
  ACT_KINDS,
  ACTION_STATUSES,
  type ActionStatus,
  type ActionView,
  type ActKind,
  type IndicatorView,
  MACRO_AREAS,
  OBJECTIVE_KINDS,
  type ObjectiveKind,
  type ObjectiveView,
  type PlanTree,
  type SpecificObjectiveView,
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

/** 1234567 → "12345,67": the inverse of euroToCents, to prefill an edit form. */
export function centsToEuro(cents: number): string {
  return `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
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

function FormCard({
  id,
  title,
  children,
  level = 3,
  focusOnMount = false,
}: {
  id: string;
  title: string;
  children: ReactNode;
  level?: 3 | 4;
  focusOnMount?: boolean;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <section className="plan-form border rounded p-4 mb-4" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`} className="h5" ref={ref} tabIndex={focusOnMount ? -1 : undefined}>
        {title}
      </Heading>
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

/** A 412: someone changed the item after the form was opened; reloading shows their version. */
function ConflictNotice({ onReload }: { onReload: () => void }) {
  return (
    <Alert color="warning" className="plan-conflict">
      <p className="mb-2">{t.plan.conflict}</p>
      <Button color="primary" size="sm" onClick={onReload}>
        {t.plan.reload}
      </Button>
    </Alert>
  );
}

/** What an edit form starts from: the item, and its revision as it was when the form opened. */
interface Editing<T> {
  item: T;
  onCancel: () => void;
  /** After a save (message) or a conflict reload (''). */
  onClose: (message: string) => void;
}

/**
 * Runs `then` once the change is saved and the plan refetched. Not mutate's own onSuccess: that
 * is dropped when the form unmounts first, as it does when the refetched item has gone (a delete)
 * or moved under another parent. A failure needs nothing here: the form shows `error`.
 */
function afterSave(saved: Promise<unknown>, then: () => void): void {
  saved.then(then, () => undefined);
}

/** The item's ETag, read once when the form opens: a refetch meanwhile must not move it. */
function useBaseEtag(revision: number | undefined): string {
  const [base] = useState(`"${revision ?? 0}"`);
  return base;
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

/** An objective as its form sees it: a general one (parentId null) or a specific one. */
interface ObjectiveItem {
  id: string;
  code: string;
  title: string;
  needs: string;
  leps: string[];
  kind: ObjectiveKind | null;
  macroAreaCode: string | null;
  parentId: string | null;
  revision: number;
}

const generalItem = (o: ObjectiveView): ObjectiveItem => ({
  id: o.id,
  code: o.code,
  title: o.title,
  needs: o.needs,
  leps: o.leps,
  kind: o.kind,
  macroAreaCode: o.macroArea?.code ?? null,
  parentId: null,
  revision: o.revision,
});

const specificItem = (s: SpecificObjectiveView, parentId: string): ObjectiveItem => ({
  id: s.id,
  code: s.code,
  title: s.title,
  needs: s.needs,
  leps: [],
  kind: null,
  macroAreaCode: null,
  parentId,
  revision: s.revision,
});

/** The add form, or with `edit` the same form prefilled with the item, saved with PUT + If-Match. */
function ObjectiveForm({
  plan,
  onDone,
  edit,
}: {
  plan: PlanTree;
  onDone: (m: string) => void;
  edit?: Editing<ObjectiveItem>;
}) {
  const item = edit?.item;
  const p = item ? 'edit-obj' : 'obj';
  const f = useFields({
    level: item?.parentId ? 'specific' : 'general',
    parentId: item?.parentId ?? '',
    code: item?.code ?? '',
    title: item?.title ?? '',
    kind: item?.kind ?? '',
    macroAreaCode: item?.macroAreaCode ?? '',
    needs: item?.needs ?? '',
    changeReason: '',
  });
  const add = useAddObjective(plan.id);
  const update = useUpdateItem(plan.id, 'objectives');
  const baseEtag = useBaseEtag(item?.revision);
  const reload = useReloadPlan(plan.id);
  const mutation = item ? update : add;
  const errors = fieldErrors(mutation.error);
  const conflict = mutation.error instanceof ApiError && mutation.error.isConflict;
  const general = f.values.level === 'general';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    const body = {
      parentId: general ? null : v.parentId || null,
      code: v.code.trim(),
      title: v.title.trim(),
      kind: general ? ((v.kind || null) as ObjectiveKind | null) : null,
      macroAreaCode: general ? v.macroAreaCode || null : null,
      needs: v.needs,
      ...(item ? { leps: item.leps } : {}),
      ...(needsReason(plan) ? { changeReason: v.changeReason } : {}),
    };
    if (edit && item)
      afterSave(update.mutateAsync({ itemId: item.id, etag: baseEtag, body }), () =>
        edit.onClose(
          t.plan.itemSaved(item.parentId ? t.plan.itemKinds.specific : t.plan.itemKinds.objective, body.code),
        ),
      );
    else
      add.mutate(body, {
        onSuccess: () => {
          onDone(t.plan.objectiveAdded(v.code.trim()));
          f.reset();
        },
      });
  };

  const title = item
    ? t.plan.editItem(item.parentId ? t.plan.itemKinds.specific : t.plan.itemKinds.objective, item.code)
    : t.plan.addObjective;
  return (
    <FormCard
      id={item ? 'edit-obj-form' : 'objective-form'}
      title={title}
      level={item ? 4 : 3}
      focusOnMount={!!item}
    >
      {conflict && edit ? (
        <ConflictNotice
          onReload={() => {
            update.reset();
            edit.onClose('');
            void reload();
          }}
        />
      ) : null}
      <form className="row objective-form" onSubmit={onSubmit} noValidate>
        {item ? null : (
          <SelectField
            id={`${p}-level`}
            label={t.plan.objectiveLevel}
            className="col-md-6"
            {...f.bind('level')}
          >
            <option value="general">{t.plan.general}</option>
            <option value="specific">{t.plan.specific}</option>
          </SelectField>
        )}
        {general ? (
          <>
            <SelectField
              id={`${p}-kind`}
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
              id={`${p}-area`}
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
            id={`${p}-parent`}
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
          id={`${p}-code`}
          label={t.plan.code}
          className="col-md-3"
          error={errors.code}
          {...f.bind('code')}
        />
        <TextField
          id={`${p}-title`}
          label={t.plan.title}
          className="col-md-9"
          error={errors.title}
          {...f.bind('title')}
        />
        <TextField
          id={`${p}-needs`}
          label={t.plan.needs}
          className="col-12"
          error={errors.needs}
          {...f.bind('needs')}
        />
        <ReasonField id={`${p}-reason`} plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        {conflict && edit ? null : <FormError error={mutation.error} />}
        <FormButtons
          pending={mutation.isPending}
          submit={item ? t.plan.saveChanges : t.plan.addObjectiveSubmit}
          onCancel={edit?.onCancel}
        />
      </form>
    </FormCard>
  );
}

function FormButtons({
  pending,
  submit,
  onCancel,
}: {
  pending: boolean;
  submit: string;
  onCancel?: (() => void) | undefined;
}) {
  return (
    <div className="col-12 d-flex gap-2">
      <Button type="submit" color="primary" size="sm" disabled={pending}>
        {submit}
      </Button>
      {onCancel ? (
        <Button type="button" color="secondary" outline size="sm" onClick={onCancel}>
          {t.plan.cancel}
        </Button>
      ) : null}
    </div>
  );
}

function ActionForm({
  plan,
  onDone,
  edit,
}: {
  plan: PlanTree;
  onDone: (m: string) => void;
  edit?: Editing<ActionView & { objectiveId: string }>;
}) {
  const item = edit?.item;
  const p = item ? 'edit-act' : 'act';
  // The form edits the first resource; any others are sent back unchanged.
  const [first, ...otherResources] = item?.resources ?? [];
  const f = useFields({
    objectiveId: item?.objectiveId ?? '',
    code: item?.code ?? '',
    title: item?.title ?? '',
    responsible: item?.responsible ?? '',
    startDate: item?.startDate ?? plan.startDate,
    endDate: item?.endDate ?? plan.extendedTo ?? plan.endDate,
    status: item?.status ?? 'planned',
    fund: first?.fund ?? '',
    amount: first ? centsToEuro(first.amountCents) : '',
    changeReason: '',
  });
  const [amountError, setAmountError] = useState('');
  const add = useAddAction(plan.id);
  const update = useUpdateItem(plan.id, 'actions');
  const baseEtag = useBaseEtag(item?.revision);
  const reload = useReloadPlan(plan.id);
  const mutation = item ? update : add;
  const errors = fieldErrors(mutation.error);
  const conflict = mutation.error instanceof ApiError && mutation.error.isConflict;
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
    const edited = v.fund.trim() ? [{ fund: v.fund.trim(), amountCents: cents }] : [];
    const body = {
      objectiveId: v.objectiveId,
      code: v.code.trim(),
      title: v.title.trim(),
      responsible: v.responsible.trim(),
      startDate: v.startDate,
      endDate: v.endDate,
      status: v.status as ActionStatus,
      resources: [...edited, ...otherResources],
      ...(item ? { partners: item.partners, staffHours: item.staffHours } : {}),
      ...(needsReason(plan) ? { changeReason: v.changeReason } : {}),
    };
    if (edit && item)
      afterSave(update.mutateAsync({ itemId: item.id, etag: baseEtag, body }), () =>
        edit.onClose(t.plan.itemSaved(t.plan.itemKinds.action, body.code)),
      );
    else
      add.mutate(body, {
        onSuccess: () => {
          onDone(t.plan.actionAdded(v.code.trim()));
          f.reset();
        },
      });
  };

  return (
    <FormCard
      id={item ? 'edit-act-form' : 'action-form'}
      title={item ? t.plan.editItem(t.plan.itemKinds.action, item.code) : t.plan.addAction}
      level={item ? 4 : 3}
      focusOnMount={!!item}
    >
      {conflict && edit ? (
        <ConflictNotice
          onReload={() => {
            update.reset();
            edit.onClose('');
            void reload();
          }}
        />
      ) : null}
      <form className="row action-form" onSubmit={onSubmit} noValidate>
        <SelectField
          id={`${p}-objective`}
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
          id={`${p}-code`}
          label={t.plan.code}
          className="col-md-3"
          error={errors.code}
          {...f.bind('code')}
        />
        <TextField
          id={`${p}-title`}
          label={t.plan.title}
          className="col-md-9"
          error={errors.title}
          {...f.bind('title')}
        />
        <TextField
          id={`${p}-responsible`}
          label={t.plan.responsible}
          className="col-md-6"
          error={errors.responsible}
          {...f.bind('responsible')}
        />
        <SelectField id={`${p}-status`} label={t.plan.status} className="col-md-6" {...f.bind('status')}>
          {ACTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.plan.actionStatuses[s]}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${p}-start`}
          type="date"
          label={t.plan.startDate}
          className="col-md-6"
          error={errors.startDate}
          {...f.bind('startDate')}
        />
        <TextField
          id={`${p}-end`}
          type="date"
          label={t.plan.endDate}
          className="col-md-6"
          error={errors.endDate}
          {...f.bind('endDate')}
        />
        <TextField
          id={`${p}-fund`}
          label={t.plan.fund}
          hint={t.plan.fundHint}
          className="col-md-6"
          error={errors.fund ?? errors.resources}
          {...f.bind('fund')}
        />
        <TextField
          id={`${p}-amount`}
          label={t.plan.amount}
          hint={t.plan.amountHint}
          inputMode="decimal"
          className="col-md-6"
          error={amountError || errors.amountCents}
          {...f.bind('amount')}
        />
        {otherResources.length ? (
          <p className="col-12 small text-secondary">
            {t.plan.otherResources(otherResources.map((r) => r.fund).join(', '))}
          </p>
        ) : null}
        <ReasonField id={`${p}-reason`} plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        {conflict && edit ? null : <FormError error={mutation.error} />}
        <FormButtons
          pending={mutation.isPending}
          submit={item ? t.plan.saveChanges : t.plan.addActionSubmit}
          onCancel={edit?.onCancel}
        />
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

function IndicatorForm({
  plan,
  onDone,
  edit,
}: {
  plan: PlanTree;
  onDone: (m: string) => void;
  /** `ref` is what the indicator refers to, as in indicatorTargets ("o:<id>" or "a:<id>"). */
  edit?: Editing<IndicatorView & { ref: string }>;
}) {
  const item = edit?.item;
  const p = item ? 'edit-ind' : 'ind';
  const firstYear = Number(plan.startDate.slice(0, 4));
  // The form edits one target (the earliest); the others are sent back unchanged.
  const firstTarget = item ? [...item.targets].sort((a, b) => a.year - b.year)[0] : undefined;
  const f = useFields({
    ref: item?.ref ?? '',
    code: item?.code ?? '',
    name: item?.name ?? '',
    kind: item?.kind ?? 'output',
    unit: item?.unit ?? 'numero',
    baseline: item?.baseline ?? '',
    targetYear: String(firstTarget?.year ?? firstYear),
    target: firstTarget?.target ?? '',
    changeReason: '',
  });
  const add = useAddIndicator(plan.id);
  const update = useUpdateItem(plan.id, 'indicators');
  const baseEtag = useBaseEtag(item?.revision);
  const reload = useReloadPlan(plan.id);
  const mutation = item ? update : add;
  const errors = fieldErrors(mutation.error);
  const conflict = mutation.error instanceof ApiError && mutation.error.isConflict;
  const lastYear = Number((plan.extendedTo ?? plan.endDate).slice(0, 4));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  if (firstTarget && !years.includes(firstTarget.year)) years.push(firstTarget.year);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    const [kind, id] = v.ref.split(':');
    const year = Number(v.targetYear);
    const kept = (item?.targets ?? []).filter((x) => x.year !== firstTarget?.year && x.year !== year);
    const targets = [...kept, ...(v.target.trim() ? [{ year, target: v.target.trim() }] : [])].sort(
      (a, b) => a.year - b.year,
    );
    const body = {
      objectiveId: kind === 'o' ? (id ?? null) : null,
      actionId: kind === 'a' ? (id ?? null) : null,
      code: v.code.trim(),
      name: v.name.trim(),
      kind: v.kind as 'output' | 'outcome',
      unit: v.unit as Unit,
      baseline: v.baseline.trim() || null,
      targets,
      ...(item
        ? {
            baselineDate: item.baselineDate,
            evaluationTool: item.evaluationTool,
            lowerIsBetter: item.lowerIsBetter,
          }
        : {}),
      ...(needsReason(plan) ? { changeReason: v.changeReason } : {}),
    };
    if (edit && item)
      afterSave(update.mutateAsync({ itemId: item.id, etag: baseEtag, body }), () =>
        edit.onClose(t.plan.itemSaved(t.plan.itemKinds.indicator, body.code)),
      );
    else
      add.mutate(body, {
        onSuccess: () => {
          onDone(t.plan.indicatorAdded(v.code.trim()));
          f.reset();
        },
      });
  };

  return (
    <FormCard
      id={item ? 'edit-ind-form' : 'indicator-form'}
      title={item ? t.plan.editItem(t.plan.itemKinds.indicator, item.code) : t.plan.addIndicator}
      level={item ? 4 : 3}
      focusOnMount={!!item}
    >
      {conflict && edit ? (
        <ConflictNotice
          onReload={() => {
            update.reset();
            edit.onClose('');
            void reload();
          }}
        />
      ) : null}
      <form className="row indicator-form" onSubmit={onSubmit} noValidate>
        <SelectField
          id={`${p}-ref`}
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
          id={`${p}-code`}
          label={t.plan.code}
          className="col-md-3"
          error={errors.code}
          {...f.bind('code')}
        />
        <TextField
          id={`${p}-name`}
          label={t.plan.name}
          className="col-md-9"
          error={errors.name}
          {...f.bind('name')}
        />
        <SelectField id={`${p}-kind`} label={t.plan.indicatorKind} className="col-md-6" {...f.bind('kind')}>
          <option value="output">{t.plan.indicatorKinds.output}</option>
          <option value="outcome">{t.plan.indicatorKinds.outcome}</option>
        </SelectField>
        <SelectField
          id={`${p}-unit`}
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
          id={`${p}-baseline`}
          label={t.plan.baseline}
          hint={t.plan.decimalHint}
          inputMode="decimal"
          className="col-md-4"
          error={errors.baseline}
          {...f.bind('baseline')}
        />
        <SelectField
          id={`${p}-year`}
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
          id={`${p}-target`}
          label={t.plan.targetValue}
          inputMode="decimal"
          className="col-md-4"
          error={errors.target ?? errors.targets}
          {...f.bind('target')}
        />
        <ReasonField id={`${p}-reason`} plan={plan} error={errors.changeReason} {...f.bind('changeReason')} />
        {conflict && edit ? null : <FormError error={mutation.error} />}
        <FormButtons
          pending={mutation.isPending}
          submit={item ? t.plan.saveChanges : t.plan.addIndicatorSubmit}
          onCancel={edit?.onCancel}
        />
      </form>
    </FormCard>
  );
}

type ItemKind = 'objective' | 'specific' | 'action' | 'indicator';
type OpenItem = { mode: 'edit' | 'delete'; id: string } | null;

const itemPath = (kind: ItemKind): ItemPath =>
  kind === 'action' ? 'actions' : kind === 'indicator' ? 'indicators' : 'objectives';

/** Inline confirmation of a delete: If-Match with the revision read when it opened; 409 shows `detail`. */
function DeleteConfirm({
  plan,
  kind,
  itemId,
  code,
  revision,
  onCancel,
  onClose,
}: {
  plan: PlanTree;
  kind: ItemKind;
  itemId: string;
  code: string;
  revision: number;
  onCancel: () => void;
  onClose: (message: string, deleted: boolean) => void;
}) {
  const baseEtag = useBaseEtag(revision);
  const del = useDeleteItem(plan.id, itemPath(kind));
  const reload = useReloadPlan(plan.id);
  const f = useFields({ changeReason: '' });
  const errors = fieldErrors(del.error);
  const conflict = del.error instanceof ApiError && del.error.isConflict;
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const id = `delete-${itemId}`;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    afterSave(
      del.mutateAsync({
        itemId,
        etag: baseEtag,
        ...(needsReason(plan) ? { changeReason: f.values.changeReason } : {}),
      }),
      () => onClose(t.plan.itemDeleted(`${t.plan.itemKinds[kind]} ${code}`), true),
    );
  };
  return (
    <section className="plan-delete border border-danger rounded p-3 mt-2" aria-labelledby={`${id}-q`}>
      <p id={`${id}-q`} ref={ref} tabIndex={-1} className="fw-semibold">
        {t.plan.deleteConfirm(t.plan.itemKindsOf[kind], code)}
      </p>
      {conflict ? (
        <ConflictNotice
          onReload={() => {
            del.reset();
            onClose('', false);
            void reload();
          }}
        />
      ) : (
        <FormError error={del.error} />
      )}
      <form className="row delete-form" onSubmit={onSubmit} noValidate>
        <ReasonField
          id={`${id}-reason`}
          plan={plan}
          error={errors.changeReason}
          {...f.bind('changeReason')}
        />
        <div className="col-12 d-flex gap-2">
          <Button type="submit" color="danger" size="sm" disabled={del.isPending}>
            {t.plan.deleteSubmit}
          </Button>
          <Button type="button" color="secondary" outline size="sm" onClick={onCancel}>
            {t.plan.cancel}
          </Button>
        </div>
      </form>
    </section>
  );
}

/**
 * The objectives, specific objectives, actions and indicators already in the plan, each with
 * "Modifica" (the add form, prefilled) and "Elimina" (an inline confirmation). One open at a time.
 */
function ItemsEditor({ plan, onDone }: { plan: PlanTree; onDone: (m: string) => void }) {
  const [open, setOpen] = useState<OpenItem>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    (document.getElementById(focusId) ?? document.getElementById('items-title'))?.focus();
    setFocusId(null);
  }, [focusId]);

  const cancel = (mode: 'edit' | 'delete', id: string) => () => {
    setOpen(null);
    setFocusId(`${mode}-btn-${id}`);
  };
  const closeEdit = (id: string) => (message: string) => {
    setOpen(null);
    onDone(message);
    setFocusId(`edit-btn-${id}`);
  };

  const row = (
    kind: ItemKind,
    item: { id: string; code: string; revision: number },
    label: string,
    editForm: (onCancel: () => void, onClose: (m: string) => void) => ReactNode,
    children: ReactNode[] = [],
  ) => {
    const what = `${t.plan.itemKinds[kind]} ${item.code}`;
    const editing = open?.id === item.id && open.mode === 'edit';
    const deleting = open?.id === item.id && open.mode === 'delete';
    return (
      <li key={item.id} className="plan-item py-2">
        <div className="d-flex flex-wrap align-items-center gap-2">
          <span className="flex-grow-1">
            <span className="small text-secondary">{t.plan.itemLabels[kind]}</span>{' '}
            <span className="font-monospace fw-semibold">{item.code}</span> — {label}
          </span>
          <Button
            id={`edit-btn-${item.id}`}
            color="primary"
            outline
            size="sm"
            aria-expanded={editing}
            onClick={() => setOpen(editing ? null : { mode: 'edit', id: item.id })}
          >
            {t.plan.edit}
            <span className="visually-hidden"> {what}</span>
          </Button>
          <Button
            id={`delete-btn-${item.id}`}
            color="danger"
            outline
            size="sm"
            aria-expanded={deleting}
            onClick={() => setOpen(deleting ? null : { mode: 'delete', id: item.id })}
          >
            {t.plan.delete}
            <span className="visually-hidden"> {what}</span>
          </Button>
        </div>
        {editing ? <div className="mt-2">{editForm(cancel('edit', item.id), closeEdit(item.id))}</div> : null}
        {deleting ? (
          <DeleteConfirm
            plan={plan}
            kind={kind}
            itemId={item.id}
            code={item.code}
            revision={item.revision}
            onCancel={cancel('delete', item.id)}
            onClose={(message, deleted) => {
              setOpen(null);
              onDone(message);
              setFocusId(deleted ? 'items-title' : `delete-btn-${item.id}`);
            }}
          />
        ) : null}
        {children.length ? <ul className="list-unstyled ms-4 mb-0">{children}</ul> : null}
      </li>
    );
  };

  const indicatorRows = (indicators: IndicatorView[], ref: string) =>
    indicators.map((ind) =>
      row('indicator', ind, ind.name, (onCancel, onClose) => (
        <IndicatorForm plan={plan} onDone={onDone} edit={{ item: { ...ind, ref }, onCancel, onClose }} />
      )),
    );

  return (
    <section className="plan-items mb-4" aria-labelledby="items-title">
      <h3 id="items-title" className="h5" tabIndex={-1}>
        {t.plan.items}
      </h3>
      {plan.objectives.length === 0 ? (
        <p>{t.plan.noObjectives}</p>
      ) : (
        <ul className="list-unstyled plan-items-list">
          {plan.objectives.map((o) =>
            row(
              'objective',
              o,
              o.title,
              (onCancel, onClose) => (
                <ObjectiveForm
                  plan={plan}
                  onDone={onDone}
                  edit={{ item: generalItem(o), onCancel, onClose }}
                />
              ),
              [
                ...indicatorRows(o.indicators, `o:${o.id}`),
                ...o.specific.map((s) =>
                  row(
                    'specific',
                    s,
                    s.title,
                    (onCancel, onClose) => (
                      <ObjectiveForm
                        plan={plan}
                        onDone={onDone}
                        edit={{ item: specificItem(s, o.id), onCancel, onClose }}
                      />
                    ),
                    [
                      ...indicatorRows(s.indicators, `o:${s.id}`),
                      ...s.actions.map((a) =>
                        row(
                          'action',
                          a,
                          a.title,
                          (onCancel, onClose) => (
                            <ActionForm
                              plan={plan}
                              onDone={onDone}
                              edit={{ item: { ...a, objectiveId: s.id }, onCancel, onClose }}
                            />
                          ),
                          indicatorRows(a.indicators, `a:${a.id}`),
                        ),
                      ),
                    ],
                  ),
                ),
              ],
            ),
          )}
        </ul>
      )}
    </section>
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
          <ItemsEditor plan={plan} onDone={setNotice} />
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
