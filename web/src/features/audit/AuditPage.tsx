import { Button } from 'design-react-kit';
import { type FormEvent, useState } from 'react';
import { SelectField, TextField } from '../../components/FormField';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { SvgIcon } from '../../components/SvgIcon';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { RequireSession } from '../identity/RequireSession';
import { auditAmbitoIds } from '../identity/roles';
import type { AuditEntry, AuditOutcome, SessionView } from '../identity/types';
import { useAmbiti } from '../territory/api';
import { type AuditFilters, auditCsvUrl, EMPTY_FILTERS, useAuditLog } from './api';

const OUTCOME_BADGE: Record<AuditOutcome, string> = {
  ok: 'bg-success',
  denied: 'bg-danger',
  failed: 'bg-warning text-dark',
};

function resource(e: AuditEntry): string {
  return [e.resourceType, e.resourceId].filter(Boolean).join(' ');
}

function FiltersForm({ onApply }: { onApply: (f: AuditFilters) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(EMPTY_FILTERS);
  const set = (patch: Partial<AuditFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onApply({
      user: draft.user.trim(),
      action: draft.action.trim(),
      from: draft.from,
      to: draft.to,
    });
  };
  return (
    <search className="d-block">
      <form className="audit-filters mt-4" onSubmit={onSubmit} aria-label={t.audit.filters}>
        <div className="row">
          <div className="col-md-6 col-xl-3">
            <TextField
              id="audit-user"
              label={t.audit.user}
              value={draft.user}
              onChange={(e) => set({ user: e.target.value })}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
            />
          </div>
          <div className="col-md-6 col-xl-3">
            <TextField
              id="audit-action"
              label={t.audit.action}
              hint={t.audit.actionHint}
              value={draft.action}
              onChange={(e) => set({ action: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <div className="col-md-6 col-xl-3">
            <TextField
              id="audit-from"
              type="date"
              label={t.audit.from}
              value={draft.from}
              max={draft.to || undefined}
              onChange={(e) => set({ from: e.target.value })}
            />
          </div>
          <div className="col-md-6 col-xl-3">
            <TextField
              id="audit-to"
              type="date"
              label={t.audit.to}
              value={draft.to}
              min={draft.from || undefined}
              onChange={(e) => set({ to: e.target.value })}
            />
          </div>
        </div>
        <div className="d-flex gap-2">
          <Button type="submit" color="primary">
            {t.audit.apply}
          </Button>
          <Button
            type="button"
            color="secondary"
            outline
            onClick={() => {
              setDraft(EMPTY_FILTERS);
              onApply(EMPTY_FILTERS);
            }}
          >
            {t.audit.reset}
          </Button>
        </div>
      </form>
    </search>
  );
}

function AuditTable({ ambitoName, entries }: { ambitoName: string; entries: AuditEntry[] }) {
  return (
    <ResponsiveTable captionId="audit-caption">
      <table className="table table-sm align-middle audit-table">
        <caption id="audit-caption">{t.audit.caption(ambitoName)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.audit.at}</th>
            <th scope="col">{t.audit.user}</th>
            <th scope="col">{t.audit.action}</th>
            <th scope="col">{t.audit.resource}</th>
            <th scope="col">{t.audit.outcome}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <th scope="row" className="fw-normal num text-nowrap">
                <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </th>
              <td>{e.username ?? <span className="text-secondary">{t.audit.anonymous}</span>}</td>
              <td className="font-monospace">{e.action}</td>
              <td className="font-monospace small text-break">{resource(e)}</td>
              <td>
                <span className={`badge ${OUTCOME_BADGE[e.outcome]}`}>{t.audit.outcomes[e.outcome]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function AuditView({ session }: { session: SessionView }) {
  const ids = auditAmbitoIds(session);
  const ambiti = useAmbiti();
  const [ambitoId, setAmbitoId] = useState(ids[0] ?? '');
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_FILTERS);
  const log = useAuditLog(ambitoId, filters);
  const names = new Map((ambiti.data ?? []).map((a) => [a.id, a.name]));
  const ambitoName = names.get(ambitoId) ?? ambitoId;
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  let status = '';
  if (log.isFetching) status = t.state.loading;
  else if (log.data) status = entries.length === 0 ? t.audit.empty : t.audit.count(entries.length);

  return (
    <>
      <h1>{t.audit.title}</h1>
      <p className="lead mb-4">{t.audit.lead}</p>
      {ids.length === 0 ? (
        <p>{t.audit.noAmbito}</p>
      ) : (
        <>
          {ids.length > 1 ? (
            <div className="row">
              <div className="col-lg-6">
                <SelectField
                  id="audit-ambito"
                  label={t.audit.ambito}
                  value={ambitoId}
                  onChange={(e) => setAmbitoId(e.target.value)}
                >
                  {ids.map((id) => (
                    <option key={id} value={id}>
                      {names.get(id) ?? id}
                    </option>
                  ))}
                </SelectField>
              </div>
            </div>
          ) : (
            <p>
              {t.audit.ambito}: <strong>{ambitoName}</strong>
            </p>
          )}
          <FiltersForm onApply={setFilters} />
          <div className="d-flex flex-wrap align-items-center justify-content-between gap-3 mt-4">
            <p className="search-status mb-0" role="status" aria-live="polite">
              {status}
            </p>
            <div>
              <a
                className="btn btn-outline-primary btn-sm audit-csv"
                href={auditCsvUrl(ambitoId, filters)}
                download
              >
                <SvgIcon name="it-download" className="icon-primary icon-sm me-1" />
                {t.audit.exportCsv}
              </a>
              <p className="small text-secondary mb-0 mt-1">{t.audit.exportHint}</p>
            </div>
          </div>
          {log.isPending && log.fetchStatus !== 'idle' ? <Loading /> : null}
          {log.isError ? <ErrorState error={log.error} onRetry={() => log.refetch()} /> : null}
          {entries.length > 0 ? <AuditTable ambitoName={ambitoName} entries={entries} /> : null}
          {log.hasNextPage ? (
            <Button
              color="primary"
              outline
              disabled={log.isFetchingNextPage}
              onClick={() => log.fetchNextPage()}
            >
              {t.audit.more}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}

export function AuditPage() {
  usePageTitle(t.audit.title);
  return (
    <RequireSession allow={(s) => s.roles.some((r) => r.role === 'revisore')}>
      {(session) => <AuditView session={session} />}
    </RequireSession>
  );
}
