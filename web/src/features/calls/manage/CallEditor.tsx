import { Button } from 'design-react-kit';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../../../api/client';
import { t } from '../../../i18n';
import { useAmbito } from '../../territory/api';
import { useCreateCall } from '../api';
import { ErrorSummary, type SummaryItem } from '../ErrorSummary';
import type { CallRules, CallTemplateView } from '../types';
import { AmountSection } from './AmountSection';
import { BasicsSection, basicsLabel, checkBasics, initialBasics } from './BasicsSection';
import { EligibilitySection } from './EligibilitySection';
import { pathId, type RulesApi } from './inputs';
import { RulesJson } from './RulesJson';
import { ScoringSection } from './ScoringSection';

const e = () => t.calls.editor;

/** "Requisiti: …": which part of the call a server path belongs to, for the error summary. */
function sectionOf(path: string): string {
  if (path.startsWith('rules.eligibility')) return e().eligibilityTitle;
  if (path.startsWith('rules.amount') || path === 'rules.onDoesNotFit' || path === 'rules.appealDays')
    return e().amountTitle;
  if (path.startsWith('rules.scoring')) return e().scoringTitle;
  if (path.startsWith('rules')) return e().jsonTitle;
  return basicsLabel(path);
}

/** The id of the control for a path; parts of the rules with no field of their own go to the JSON editor. */
const idOf = (path: string) => {
  const id = pathId(path);
  return document.getElementById(id) || !path.startsWith('rules') ? id : 'rules-json';
};

/**
 * A new call from a template: the basics (window, budget, line, deliberation, paying account)
 * and the rules in editable sections, with the JSON of the rules as a fallback. Saved as a draft,
 * then published from the call's page.
 */
export function CallEditor({
  ambitoId,
  template,
  year,
}: {
  ambitoId: string;
  template: CallTemplateView;
  year: number;
}) {
  const ambito = useAmbito(ambitoId);
  const [basics, setBasics] = useState(() => initialBasics(template, year, ambito.data?.capofila?.name));
  const [rules, setRules] = useState<CallRules>(template.rules);
  const [version, setVersion] = useState(0);
  const [invalid, setInvalidMap] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useCreateCall(ambitoId);
  const navigate = useNavigate();

  const server: Record<string, string> = {};
  if (create.error instanceof ApiError)
    for (const x of create.error.problem?.errors ?? []) server[x.field.replace(/^body\./, '')] ??= x.reason;
  const errorOf = (path: string) => invalid[path] ?? local[path] ?? server[path];

  const api: RulesApi = {
    rules,
    version,
    update: (change) =>
      setRules((r) => {
        const next = structuredClone(r);
        change(next);
        return next;
      }),
    reshape: (change) => {
      api.update(change);
      setInvalidMap({});
      setVersion((n) => n + 1);
    },
    error: errorOf,
    setInvalid: (path, message) =>
      setInvalidMap(({ [path]: _, ...rest }) => (message ? { ...rest, [path]: message } : rest)),
  };

  const all = { ...server, ...local, ...invalid };
  const items: SummaryItem[] = Object.entries(all).map(([key, message]) => ({
    key,
    label: sectionOf(key),
    message,
  }));
  const general = create.error && Object.keys(server).length === 0 ? [errorMessage(create.error)] : [];

  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    const checked = checkBasics(basics);
    setLocal(checked.errors);
    if (!checked.input || Object.keys(invalid).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    create.reset();
    create.mutate(
      { ...checked.input, template: template.code, rules },
      {
        onSuccess: ({ id }) => navigate(`/bandi/${id}`),
        onError: () => setAttempt((n) => n + 1),
      },
    );
  };

  return (
    <form className="application-form call-editor" onSubmit={onSubmit} noValidate>
      {attempt > 0 ? (
        <ErrorSummary
          items={items}
          general={general}
          attempt={attempt}
          idOf={idOf}
          title={e().summaryTitle}
          notSent={e().notSaved}
        />
      ) : null}
      <BasicsSection
        ambitoId={ambitoId}
        year={year}
        fundCode={template.fundCode}
        basics={basics}
        setBasics={setBasics}
        error={(k) => local[k] ?? server[k]}
      />
      <EligibilitySection key={`el-${version}`} api={api} />
      <AmountSection api={api} />
      <ScoringSection api={api} />
      <RulesJson
        rules={rules}
        onApply={(next) => {
          setRules(next);
          setInvalidMap({});
          setVersion((n) => n + 1);
        }}
      />
      <p className="small">{e().draftNote}</p>
      <Button type="submit" color="primary" disabled={create.isPending}>
        {e().save}
      </Button>
    </form>
  );
}
