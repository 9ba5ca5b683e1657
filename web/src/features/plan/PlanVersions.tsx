import { Button } from 'design-react-kit';
import { type FormEvent, useState } from 'react';
import { SelectField } from '../../components/FormField';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { useCompare, useVersions } from './api';
import type { Change, VersionView } from './types';

/** A snapshot value as text: strings as they are, anything else as compact JSON. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value || '—';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function ChangesTable({ changes, from, to }: { changes: Change[]; from: number; to: number }) {
  if (changes.length === 0) return <p className="compare-empty">{t.plan.compareEmpty}</p>;
  return (
    <ResponsiveTable captionId="changes-caption">
      <table className="table table-sm align-middle plan-changes">
        <caption id="changes-caption">{t.plan.compareCaption(from, to)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.plan.item}</th>
            <th scope="col">{t.plan.field}</th>
            <th scope="col">{t.plan.before}</th>
            <th scope="col">{t.plan.after}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole
            <tr key={i}>
              <th scope="row" className="fw-normal">
                <span className="badge bg-secondary me-2">{t.plan.changeKinds[c.kind]}</span>
                {c.item}
              </th>
              <td>{c.field ?? '—'}</td>
              <td className="plan-change-value">{valueText(c.from)}</td>
              <td className="plan-change-value">{valueText(c.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function CompareForm({ planId, versions }: { planId: string; versions: VersionView[] }) {
  const last = versions.at(-1)?.version ?? 1;
  const [from, setFrom] = useState(String(versions[0]?.version ?? 1));
  const [to, setTo] = useState(String(last));
  const [range, setRange] = useState<{ from: number; to: number } | null>(null);
  const compare = useCompare(planId, range);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setRange({ from: Number(from), to: Number(to) });
  };
  return (
    <>
      <form
        className="row g-3 align-items-end compare-form"
        onSubmit={onSubmit}
        aria-labelledby="compare-title"
      >
        <h3 id="compare-title" className="h5 col-12 mb-0">
          {t.plan.compare}
        </h3>
        <SelectField
          id="compare-from"
          label={t.plan.compareFrom}
          className="col-sm-4 mb-0"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        >
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="compare-to"
          label={t.plan.compareTo}
          className="col-sm-4 mb-0"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        >
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </SelectField>
        <div className="col-sm-4">
          <Button type="submit" color="primary" size="sm">
            {t.plan.compareSubmit}
          </Button>
        </div>
      </form>
      <div className="mt-3" aria-live="polite">
        {range === null ? null : compare.isPending ? (
          <Loading />
        ) : compare.isError ? (
          <ErrorState error={compare.error} title={t.plan.compare} />
        ) : (
          <ChangesTable changes={compare.data} from={range.from} to={range.to} />
        )}
      </div>
    </>
  );
}

export function PlanVersions({ planId }: { planId: string }) {
  const versions = useVersions(planId);
  return (
    <section className="mb-5" aria-labelledby="versions-title">
      <h2 id="versions-title" className="h3">
        {t.plan.versions}
      </h2>
      {versions.isPending ? (
        <Loading />
      ) : versions.isError ? (
        <ErrorState error={versions.error} title={t.plan.versions} onRetry={() => versions.refetch()} />
      ) : versions.data.length === 0 ? (
        <p>{t.plan.versionsEmpty}</p>
      ) : (
        <>
          <ResponsiveTable captionId="versions-caption">
            <table className="table table-sm align-middle plan-versions">
              <caption id="versions-caption">{t.plan.versionsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.plan.version}</th>
                  <th scope="col">{t.plan.createdAt}</th>
                  <th scope="col">{t.plan.author}</th>
                  <th scope="col">{t.plan.reason}</th>
                </tr>
              </thead>
              <tbody>
                {versions.data.map((v) => (
                  <tr key={v.version}>
                    <th scope="row" className="num">
                      {v.version}
                    </th>
                    <td className="text-nowrap">{formatDateTime(v.createdAt)}</td>
                    <td>{v.author}</td>
                    <td>{v.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ResponsiveTable>
          {versions.data.length >= 2 ? <CompareForm planId={planId} versions={versions.data} /> : null}
        </>
      )}
    </section>
  );
}
