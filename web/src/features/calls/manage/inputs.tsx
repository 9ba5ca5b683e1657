import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { parseEuro } from '../../finance/money';
import type { CallRules } from '../types';

/**
 * What the rule sections edit through: the rules, a change as a mutation of a copy, the error of a
 * path (`rules.scoring.isee.1.upToCents`, as the server names it) and the amounts that do not read.
 */
export interface RulesApi {
  rules: CallRules;
  update: (change: (draft: CallRules) => void) => void;
  error: (path: string) => string | undefined;
  setInvalid: (path: string, message: string | null) => void;
  /**
   * A change of shape (a band added or removed, another kind of amount): the fields are drawn
   * again from the rules (`version` keys them) and what did not read is forgotten.
   */
  reshape: (change: (draft: CallRules) => void) => void;
  version: number;
}

/** The id of the control for a server path: `rules.isee.maxCents` → `call-rules-isee-maxCents`. */
export const pathId = (path: string) => `call-${path.replace(/\./g, '-')}`;

/** "€ 25.000,00" without the symbol: how an amount is shown in a field. */
export const euroText = (cents: number) => formatMoney(cents).replace(/^-?€\s/, '');

/**
 * An amount in euro typed the Italian way, held as typed: the rules get integer cents when it
 * reads, and the path is marked invalid (so the form is not sent) while it does not.
 */
export function EuroInput({
  api,
  path,
  label,
  cents,
  onCents,
  className = 'col-md-4',
}: {
  api: RulesApi;
  path: string;
  label: string;
  cents: number;
  onCents: (cents: number) => void;
  className?: string;
}) {
  const [text, setText] = useState(euroText(cents));
  return (
    <TextField
      id={pathId(path)}
      label={label}
      inputMode="decimal"
      className={className}
      value={text}
      error={api.error(path)}
      onChange={(e) => {
        setText(e.target.value);
        const value = parseEuro(e.target.value);
        if (value === null || value <= 0) api.setInvalid(path, t.calls.editor.euroInvalid);
        else {
          api.setInvalid(path, null);
          onCents(value);
        }
      }}
    />
  );
}

/** A whole number (points, ages, members, days) within `min`..`max`. */
export function IntInput({
  api,
  path,
  label,
  value,
  onValue,
  min = 0,
  max = 1000,
  className = 'col-md-4',
}: {
  api: RulesApi;
  path: string;
  label: string;
  value: number | undefined;
  onValue: (n: number | undefined) => void;
  min?: number;
  max?: number;
  className?: string;
}) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  return (
    <TextField
      id={pathId(path)}
      label={label}
      inputMode="numeric"
      className={className}
      value={text}
      error={api.error(path)}
      onChange={(e) => {
        const s = e.target.value.trim();
        setText(e.target.value);
        if (s === '') {
          api.setInvalid(path, null);
          return onValue(undefined);
        }
        const n = /^\d+$/.test(s) ? Number(s) : Number.NaN;
        if (!(n >= min && n <= max)) api.setInvalid(path, t.calls.editor.intInvalid(min, max));
        else {
          api.setInvalid(path, null);
          onValue(n);
        }
      }}
    />
  );
}
