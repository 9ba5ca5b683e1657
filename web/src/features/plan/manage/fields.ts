import { type ChangeEvent, useState } from 'react';
import type { PlanTree } from '../types';

type Values = Record<string, string>;

/** Plain controlled fields: `bind('code')` gives value and onChange for that key. */
export function useFields<T extends Values>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const bind = (name: keyof T & string) => ({
    value: values[name] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
      setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  /**
   * The props of a field in a form whose ids start with `prefix`: `field('code')` gives id
   * `${prefix}-code`, value, onChange and the server's error for `code`; `suffix` names the id.
   */
  const fieldsOf =
    (prefix: string, errors: Record<string, string>) =>
    (name: keyof T & string, suffix: string = name) => ({
      id: `${prefix}-${suffix}`,
      error: errors[name],
      ...bind(name),
    });
  return { values, bind, fieldsOf, reset: () => setValues(initial), setValues };
}

/** What `bind` gives: a field's value and its change handler. */
export type Bound = ReturnType<ReturnType<typeof useFields>['bind']>;

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

/** Once a plan is no longer a draft, every change says why. */
export const needsReason = (plan: PlanTree) => plan.status !== 'draft';

/** The change reason for a request body: only once the plan needs one. */
export const reasonOf = (plan: PlanTree, changeReason: string) => (needsReason(plan) ? { changeReason } : {});
