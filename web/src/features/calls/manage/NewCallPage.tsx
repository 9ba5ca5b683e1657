import { Button } from 'design-react-kit';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { SelectField } from '../../../components/FormField';
import { ErrorState, Loading } from '../../../components/QueryState';
import { usePageTitle } from '../../../components/usePageTitle';
import { t } from '../../../i18n';
import { RequireSession } from '../../identity/RequireSession';
import { canManageCalls } from '../access';
import { useTemplates } from '../api';
import { CallsBreadcrumb } from '../parts';
import type { CallTemplateView } from '../types';
import { CallEditor } from './CallEditor';

const e = () => t.calls.editor;
const CURRENT_YEAR = new Date().getFullYear();

/** Step one: the year and the template the call starts from. */
function TemplateChoice({ onChoose }: { onChoose: (template: CallTemplateView, year: number) => void }) {
  const [year, setYear] = useState(CURRENT_YEAR);
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const templates = useTemplates(year);
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const chosen = templates.data?.find((x) => x.code === code);
    setMissing(!chosen);
    if (chosen) onChoose(chosen, year);
  };
  return (
    <form className="template-choice" onSubmit={submit} noValidate aria-labelledby="template-title">
      <h2 id="template-title" className="h3">
        {e().templateTitle}
      </h2>
      <SelectField
        id="template-year"
        label={e().year}
        className="col-sm-4 col-lg-3"
        value={String(year)}
        onChange={(ev) => setYear(Number(ev.target.value))}
      >
        {[CURRENT_YEAR + 1, CURRENT_YEAR, CURRENT_YEAR - 1].map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </SelectField>
      {templates.isPending ? (
        <Loading />
      ) : templates.isError ? (
        <ErrorState error={templates.error} onRetry={() => templates.refetch()} />
      ) : (
        <fieldset className="mb-3" aria-describedby={missing ? 'template-error' : undefined}>
          <legend className="h6">{e().template}</legend>
          {templates.data.map((x) => (
            <div key={x.code} className="form-check mb-3">
              <input
                type="radio"
                id={`template-${x.code}`}
                name="template"
                value={x.code}
                checked={code === x.code}
                onChange={() => setCode(x.code)}
                aria-describedby={`template-${x.code}-text`}
              />
              <label htmlFor={`template-${x.code}`}>{x.title}</label>
              <p id={`template-${x.code}-text`} className="small text-secondary mb-0 ms-5">
                {e().templateFund(x.fundCode)} {x.description}
              </p>
            </div>
          ))}
          {missing ? (
            <div id="template-error" className="invalid-feedback d-block" role="alert">
              {e().templateMissing}
            </div>
          ) : null}
        </fieldset>
      )}
      <Button type="submit" color="primary" size="sm">
        {e().useTemplate}
      </Button>
    </form>
  );
}

function NewCall({ ambitoId }: { ambitoId: string }) {
  const [chosen, setChosen] = useState<{ template: CallTemplateView; year: number } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle(e().title);
  // After choosing, the form replaces the choice: the focus goes to its heading.
  useEffect(() => {
    if (chosen) heading.current?.focus();
  }, [chosen]);
  return (
    <>
      <CallsBreadcrumb ambitoId={ambitoId} items={[{ label: e().title }]} />
      <h1>{e().title}</h1>
      <p className="lead">{e().lead}</p>
      {chosen ? (
        <>
          <h2 ref={heading} tabIndex={-1} className="h3">
            {e().editTitle(chosen.template.title, chosen.year)}
          </h2>
          <p>
            <Button color="secondary" outline size="sm" onClick={() => setChosen(null)}>
              {e().otherTemplate}
            </Button>
          </p>
          <CallEditor
            key={`${chosen.template.code}-${chosen.year}`}
            ambitoId={ambitoId}
            template={chosen.template}
            year={chosen.year}
          />
        </>
      ) : (
        <TemplateChoice onChoose={(template, year) => setChosen({ template, year })} />
      )}
    </>
  );
}

/** /ambiti/:id/bandi/nuovo: the Ufficio di Piano writes a call from a template. */
export function NewCallPage() {
  const { id = '' } = useParams();
  return (
    <RequireSession allow={(s) => canManageCalls(s, id)}>{() => <NewCall ambitoId={id} />}</RequireSession>
  );
}
