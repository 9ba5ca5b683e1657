import { Button } from 'design-react-kit';
import { useState } from 'react';
import { t } from '../../../i18n';
import type { CallRules } from '../types';

/**
 * The rules as JSON, for what the sections above do not edit (conditions, fields, attachments,
 * ties). Only the shape is read here; the server checks the rules when the call is saved.
 */
export function RulesJson({ rules, onApply }: { rules: CallRules; onApply: (rules: CallRules) => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [message, setMessage] = useState('');
  const [bad, setBad] = useState(false);
  const e = t.calls.editor;
  const toggle = () => {
    if (!open) setText(JSON.stringify(rules, null, 2));
    setMessage('');
    setBad(false);
    setOpen((o) => !o);
  };
  const apply = () => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        !('eligibility' in parsed) ||
        !('scoring' in parsed)
      )
        throw new Error(e.jsonShape);
      onApply(parsed as CallRules);
      setBad(false);
      setMessage(e.jsonApplied);
    } catch (err) {
      setBad(true);
      setMessage(err instanceof SyntaxError ? e.jsonSyntax(err.message) : (err as Error).message);
    }
  };
  return (
    <section className="my-4 rules-json-editor" aria-labelledby="rules-json-title">
      <h3 id="rules-json-title" className="h5">
        {e.jsonTitle}
      </h3>
      <p className="small text-secondary">{e.jsonHint}</p>
      <Button
        color="primary"
        outline
        size="sm"
        aria-expanded={open}
        aria-controls="rules-json-panel"
        onClick={toggle}
      >
        {open ? e.jsonClose : e.jsonOpen}
      </Button>
      <div id="rules-json-panel" hidden={!open} className="mt-3">
        <label htmlFor="rules-json" className="d-block fw-semibold mb-1">
          {e.jsonLabel}
        </label>
        <textarea
          id="rules-json"
          className={`form-control rules-json${bad ? ' is-invalid' : ''}`}
          spellCheck={false}
          value={text}
          onChange={(ev) => setText(ev.target.value)}
          aria-invalid={bad ? true : undefined}
          aria-describedby="rules-json-status"
        />
        <p id="rules-json-status" role="status" className={`small mt-2 ${bad ? 'text-danger' : ''}`}>
          {message}
        </p>
        <Button color="primary" size="sm" onClick={apply}>
          {e.jsonApply}
        </Button>
      </div>
    </section>
  );
}
