import { Button } from 'design-react-kit';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatMoney, formatNumber } from '../../format';
import { t } from '../../i18n';
import { FormError } from '../plan/manage/shared';
import { useSaveSocialWorkers, useSocialWorkers } from './api';
import { formatHundredths, parseFte } from './money';
import {
  CURRENT_YEAR,
  FinanceBreadcrumb,
  type FinanceContext,
  FinanceError,
  FinanceFrame,
  useNotice,
  useYearParam,
  YearForm,
} from './parts';
import type { SocialWorkerStatus, SocialWorkersView } from './types';

const STATUS_CLASS: Record<SocialWorkerStatus, string> = {
  sotto_soglia: 'bg-danger',
  verso_leps: 'bg-warning text-dark',
  leps_raggiunto: 'bg-success',
  obiettivo_raggiunto: 'bg-primary',
};

/** The server's errors on `comuni[3].fteHundredths` (or `body.comuni.3…`), by row. */
function rowErrors(error: unknown): Map<number, string> {
  const out = new Map<number, string>();
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem?.errors ?? []) {
    const m = /comuni[.[](\d+)/.exec(e.field);
    if (m) out.set(Number(m[1]), e.reason);
  }
  return out;
}

function Figures({ data }: { data: SocialWorkersView }) {
  const ratio =
    data.residentsPerWorker === null
      ? t.state.notAvailable
      : t.finance.workers.ratioValue(formatNumber(data.residentsPerWorker));
  const items: Array<[string, string]> = [
    [t.finance.workers.population(data.populationYear), formatNumber(data.population)],
    [t.finance.workers.fte, formatHundredths(data.fteHundredths)],
    [t.finance.workers.ratio, ratio],
    [t.finance.workers.contribution, formatMoney(data.contributionCents)],
  ];
  return (
    <>
      <ul className="key-figures list-unstyled d-flex flex-wrap gap-4 mb-3 workers-figures">
        {items.map(([label, value]) => (
          <li key={label}>
            <span className="key-figure-value finance-figure">{value}</span>
            <span className="key-figure-label">{label}</span>
          </li>
        ))}
      </ul>
      <p className="mb-4">
        {t.finance.workers.status}:{' '}
        <span className={`badge workers-status ${STATUS_CLASS[data.status]}`}>
          {t.finance.workers.statuses[data.status]}
        </span>{' '}
        <span className="small text-secondary">
          {t.finance.workers.maxContribution(formatMoney(data.maxContributionCents))}
        </span>
      </p>
    </>
  );
}

function Thresholds({ data }: { data: SocialWorkersView }) {
  const th = data.thresholdsHundredths;
  const rows: Array<[string, number]> = [
    [t.finance.workers.thresholds.base, th.base],
    [t.finance.workers.thresholds.leps, th.leps],
    [t.finance.workers.thresholds.target, th.target],
  ];
  return (
    <section className="mb-5" aria-labelledby="thresholds-title">
      <h2 id="thresholds-title" className="h3">
        {t.finance.workers.thresholdsTitle}
      </h2>
      <ResponsiveTable captionId="thresholds-caption">
        <table className="table table-sm align-middle workers-thresholds">
          <caption id="thresholds-caption">
            {t.finance.workers.thresholdsCaption(formatNumber(data.population))}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t.finance.workers.threshold}</th>
              <th scope="col" className="text-end">
                {t.finance.workers.fteNeeded}
              </th>
              <th scope="col" className="text-end">
                {t.finance.workers.missing}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, needed]) => (
              <tr key={label}>
                <th scope="row" className="fw-normal">
                  {label}
                </th>
                <td className="text-end num">{formatHundredths(needed)}</td>
                <td className="text-end num">{formatHundredths(Math.max(0, needed - data.fteHundredths))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ResponsiveTable>
    </section>
  );
}

function ComuniTable({ ctx, data }: { ctx: FinanceContext; data: SocialWorkersView }) {
  const initial = () =>
    Object.fromEntries(data.comuni.map((c) => [c.istatCode, formatHundredths(c.fteHundredths)]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [local, setLocal] = useState<Map<number, string>>(new Map());
  const save = useSaveSocialWorkers(ctx.ambitoId);
  const notice = useNotice();
  const table = useRef<HTMLTableElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the server's figures change
  useEffect(() => setValues(initial()), [data]);
  const serverErrors = useMemo(() => rowErrors(save.error), [save.error]);
  const errors = local.size ? local : serverErrors;
  useEffect(() => {
    if (errors.size) table.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found = new Map<number, string>();
    const comuni = data.comuni.map((c, i) => {
      const fte = parseFte(values[c.istatCode] ?? '');
      if (fte === null) found.set(i, t.finance.workers.fteInvalid);
      return { istatCode: c.istatCode, fteHundredths: fte ?? 0 };
    });
    setLocal(found);
    if (found.size) return;
    save.mutate(
      { year: data.year, comuni },
      { onSuccess: () => notice.show(t.finance.workers.saved(data.year)) },
    );
  };

  const rows = data.comuni.map((c, i) => (
    <tr key={c.istatCode}>
      <th scope="row" className="fw-normal">
        {c.name}
      </th>
      <td className="text-end num">{formatNumber(c.population)}</td>
      <td className="text-end num">
        {ctx.canWrite ? (
          <>
            <input
              id={`fte-${c.istatCode}`}
              className={`form-control form-control-sm text-end fte-input${errors.get(i) ? ' is-invalid' : ''}`}
              inputMode="decimal"
              aria-label={t.finance.workers.fteOf(c.name)}
              aria-invalid={errors.get(i) ? true : undefined}
              aria-describedby={errors.get(i) ? `fte-${c.istatCode}-error` : undefined}
              value={values[c.istatCode] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [c.istatCode]: e.target.value }))}
            />
            {errors.get(i) ? (
              <div id={`fte-${c.istatCode}-error`} className="invalid-feedback d-block">
                {errors.get(i)}
              </div>
            ) : null}
          </>
        ) : (
          formatHundredths(c.fteHundredths)
        )}
      </td>
    </tr>
  ));

  const content = (
    <ResponsiveTable captionId="workers-caption">
      <table ref={table} className="table table-sm align-middle workers-comuni">
        <caption id="workers-caption">{t.finance.workers.comuniCaption(data.year)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.finance.comune}</th>
            <th scope="col" className="text-end">
              {t.finance.workers.population(data.populationYear)}
            </th>
            <th scope="col" className="text-end">
              {t.finance.workers.fte}
            </th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.finance.total}</th>
            <td className="text-end num fw-semibold">{formatNumber(data.population)}</td>
            <td className="text-end num fw-semibold">{formatHundredths(data.fteHundredths)}</td>
          </tr>
        </tfoot>
      </table>
    </ResponsiveTable>
  );
  return (
    <section className="mb-5" aria-labelledby="workers-comuni-title">
      <h2 id="workers-comuni-title" className="h3">
        {t.finance.workers.comuniTitle}
      </h2>
      {ctx.canWrite ? (
        <form onSubmit={onSubmit} noValidate className="workers-form">
          <p className="small text-secondary">{t.finance.workers.fteHint}</p>
          {content}
          <FormError error={save.error} />
          {notice.node}
          <Button type="submit" color="primary" size="sm" disabled={save.isPending}>
            {t.finance.workers.save}
          </Button>
        </form>
      ) : (
        content
      )}
    </section>
  );
}

function Workers({ ctx }: { ctx: FinanceContext }) {
  const [asked, setYear] = useYearParam();
  const year = asked ?? CURRENT_YEAR;
  const data = useSocialWorkers(ctx.ambitoId, year);
  const title = t.finance.workers.title;
  usePageTitle(`${title} ${year} — ${ctx.ambitoName}`);
  return (
    <>
      <FinanceBreadcrumb
        ctx={ctx}
        items={[
          { label: t.finance.budgetTitle(year), to: `/ambiti/${ctx.ambitoId}/bilancio?anno=${year}` },
          { label: title },
        ]}
      />
      <h1 className="mb-2">{title}</h1>
      <p className="lead">{t.finance.workers.lead}</p>
      <YearForm id="workers" year={year} onApply={(y) => setYear(y)} />
      {data.isPending ? (
        <Loading />
      ) : data.isError ? (
        <FinanceError error={data.error} onRetry={() => data.refetch()} />
      ) : (
        <>
          <Figures data={data.data} />
          <Thresholds data={data.data} />
          <ComuniTable ctx={ctx} data={data.data} />
        </>
      )}
    </>
  );
}

export function SocialWorkersPage() {
  const { id = '' } = useParams();
  return <FinanceFrame ambitoId={id}>{(ctx) => <Workers ctx={ctx} />}</FinanceFrame>;
}
