import { t } from '../../../i18n';
import type { DeclaredRelationship } from '../types';
import { controlId } from './model';

const f = () => t.calls.form;
export const RELATIONSHIPS: DeclaredRelationship[] = [
  'self',
  'familiare',
  'tutore',
  'amministratore_sostegno',
  'patronato',
];

/**
 * "Per chi presenti la domanda?": for oneself, or for someone else in a declared capacity. The
 * first radio carries the id the error summary links to.
 */
export function RelationshipField({
  value,
  onChange,
  error,
}: {
  value: DeclaredRelationship;
  onChange: (r: DeclaredRelationship) => void;
  error?: string | undefined;
}) {
  const id = controlId('relationship');
  const described = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset className="mb-4 application-relationship" aria-describedby={described}>
      <legend className="h5">{f().relationship}</legend>
      {RELATIONSHIPS.map((r, i) => (
        <div className="form-check" key={r}>
          <input
            id={i === 0 ? id : `${id}-${r}`}
            name="relationship"
            type="radio"
            value={r}
            checked={value === r}
            onChange={() => onChange(r)}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={i === 0 ? id : `${id}-${r}`}>{f().relationships[r]}</label>
        </div>
      ))}
      <p id={`${id}-hint`} className="small text-secondary mb-0">
        {f().relationshipHint}
      </p>
      {error ? (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
