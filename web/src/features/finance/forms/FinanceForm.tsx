import { type ReactNode, useEffect, useRef } from 'react';
import { fieldErrors } from '../../../api/client';
import { t } from '../../../i18n';
import { FormButtons, FormCard, FormError } from '../../plan/manage/shared';
import { useActs } from '../api';
import { actLabel } from '../parts';

export { useFields } from '../../plan/manage/fields';
export { ChoiceField } from '../../plan/manage/shared';

/** What a form reports once saved: a message for the page's status line, which takes the focus. */
export type OnDone = (message: string) => void;

/**
 * One finance form: a titled card, the fields, the server's error and the submit button. When
 * the server (or the form itself) refuses a field, the focus moves to the first field in error.
 */
export function FinanceForm({
  id,
  title,
  className,
  error,
  localErrors = {},
  pending,
  submit,
  color,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  className: string;
  error: unknown;
  /** Errors the form finds before sending (an amount it cannot read). */
  localErrors?: Record<string, string>;
  pending: boolean;
  submit: string;
  color?: 'primary' | 'danger';
  onSubmit: () => void;
  children: ReactNode;
}) {
  const form = useRef<HTMLFormElement>(null);
  // A new refusal (a new error object, or other local messages) moves the focus; typing does not.
  const localKey = Object.values(localErrors).join('|');
  useEffect(() => {
    if (!error && !localKey) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, localKey]);
  return (
    <FormCard id={id} title={title}>
      <form
        ref={form}
        className={`row ${className}`}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        {children}
        <FormError error={error} />
        <FormButtons pending={pending} submit={submit} color={color} />
      </form>
    </FormCard>
  );
}

/** The server's errors by field name, and those the form found itself, the latter first. */
export function errorsOf(error: unknown, local: Record<string, string>): Record<string, string> {
  return { ...fieldErrors(error), ...local };
}

/** The Ambito's acts as options, newest first; `kinds` narrows them (the Assemblea's deliberations). */
export function useActOptions(ambitoId: string, kinds?: readonly string[]) {
  const acts = useActs(ambitoId);
  return (acts.data ?? [])
    .filter((a) => !kinds || kinds.includes(a.kind))
    .map((a) => ({ value: a.id, label: `${actLabel(a)} — ${a.subject}` }));
}

/** A note under an act select when the registry has none of the acts needed. */
export function NoActsHint({ show }: { show: boolean }) {
  return show ? <p className="col-12 small text-secondary">{t.finance.noActs}</p> : null;
}
