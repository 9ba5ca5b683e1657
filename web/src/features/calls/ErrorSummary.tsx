import { type MouseEvent, useEffect, useRef } from 'react';
import { t } from '../../i18n';

export interface SummaryItem {
  key: string;
  label: string;
  message: string;
}

/**
 * What stops the form from being sent, at its top: it takes the focus after each attempt (`attempt`
 * changes), so a screen reader reads it at once, and each line is a link to its field.
 */
export function ErrorSummary({
  items,
  general,
  attempt,
  idOf,
  title = t.calls.form.summaryTitle,
  notSent = t.calls.form.notSent,
}: {
  items: SummaryItem[];
  general: string[];
  attempt: number;
  /** The id of the control a key names. */
  idOf: (key: string) => string;
  /** The heading, by number of fields to correct, and when only general messages are shown. */
  title?: (n: number) => string;
  notSent?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const count = items.length + general.length;
  // A new attempt is what moves the focus.
  useEffect(() => {
    if (attempt > 0) ref.current?.focus();
  }, [attempt]);
  if (count === 0) return null;
  const go = (e: MouseEvent<HTMLAnchorElement>, key: string) => {
    const el = document.getElementById(idOf(key));
    if (!el) return;
    e.preventDefault();
    el.focus();
    el.scrollIntoView({ block: 'center' });
  };
  return (
    <div
      ref={ref}
      tabIndex={-1}
      className="alert alert-danger error-summary mb-4"
      role="alert"
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title" className="h5 alert-heading">
        {items.length > 0 ? title(items.length) : notSent}
      </h2>
      {general.map((g) => (
        <p key={g} className="mb-2 error-summary-general">
          {g}
        </p>
      ))}
      {items.length > 0 ? (
        <ul className="mb-0">
          {items.map((i) => (
            <li key={i.key}>
              <a href={`#${idOf(i.key)}`} onClick={(e) => go(e, i.key)}>
                {`${i.label}: ${i.message}`}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
