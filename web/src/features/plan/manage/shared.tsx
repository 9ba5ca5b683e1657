import { Alert, Button } from 'design-react-kit';
import { type ChangeEvent, type ComponentProps, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, fieldErrors } from '../../../api/client';
import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useReloadPlan } from '../api';
import type { PlanTree } from '../types';
import { needsReason } from './fields';

/** What the add and edit forms report back: a message for the page's status line. */
export type OnDone = (message: string) => void;

export function ReasonField({
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

export function FormCard({
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

export function FormError({ error }: { error: unknown }) {
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
export function ConflictNotice({ onReload }: { onReload: () => void }) {
  return (
    <Alert color="warning" className="plan-conflict">
      <p className="mb-2">{t.plan.conflict}</p>
      <Button color="primary" size="sm" onClick={onReload}>
        {t.plan.reload}
      </Button>
    </Alert>
  );
}

/** The conflict notice on a 412, otherwise the error (if any) in the same place. */
export function ConflictOrError({
  status,
  error,
  onReload,
}: {
  status: MutationStatus;
  error: unknown;
  onReload: () => void;
}) {
  return status.conflict ? <ConflictNotice onReload={onReload} /> : <FormError error={error} />;
}

/** Submit, and Cancel when the form can be closed. */
export function FormButtons({
  pending,
  submit,
  onCancel,
  color = 'primary',
  className = 'col-12 d-flex gap-2',
}: {
  pending: boolean;
  submit: string;
  onCancel?: (() => void) | undefined;
  color?: 'primary' | 'danger';
  className?: string;
}) {
  return (
    <div className={className}>
      <Button type="submit" color={color} size="sm" disabled={pending}>
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

/** What an edit form starts from: the item, and its revision as it was when the form opened. */
export interface Editing<T> {
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
export function afterSave(saved: Promise<unknown>, then: () => void): void {
  saved.then(then, () => undefined);
}

/** mutate's options for an add form: report `message`, then empty the form for the next one. */
export const onAdded = (onDone: OnDone, message: string, reset: () => void) => ({
  onSuccess: () => {
    onDone(message);
    reset();
  },
});

/** The item's ETag, read once when the form opens: a refetch meanwhile must not move it. */
export function useBaseEtag(revision: number | undefined): string {
  const [base] = useState(`"${revision ?? 0}"`);
  return base;
}

/** The parts of a mutation the forms read. */
export interface Pending {
  error: Error | null;
  isPending: boolean;
  reset: () => void;
}

export interface MutationStatus {
  /** The server's messages by field. */
  errors: Record<string, string>;
  /** A 412: the plan or item changed since the form read it. */
  conflict: boolean;
  /** The conflict's "reload": forget the error, run `close`, and read the plan again. */
  reloadThen: (close: () => void) => () => void;
}

export function useMutationStatus(planId: string, mutation: Pending): MutationStatus {
  const reload = useReloadPlan(planId);
  return {
    errors: fieldErrors(mutation.error),
    conflict: mutation.error instanceof ApiError && mutation.error.isConflict,
    reloadThen: (close) => () => {
      mutation.reset();
      close();
      void reload();
    },
  };
}

/** A select that starts with "Seleziona" (value ''), then `options`. */
export function ChoiceField({
  options,
  ...select
}: Omit<ComponentProps<typeof SelectField>, 'children'> & {
  options: Array<{ value: string; label: string }>;
}) {
  return (
    <SelectField {...select}>
      <option value="">{t.plan.select}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </SelectField>
  );
}
