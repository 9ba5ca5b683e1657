import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { SelectField } from '../../components/FormField';
import { Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { SvgIcon } from '../../components/SvgIcon';
import { usePageTitle } from '../../components/usePageTitle';
import { formatMoney } from '../../format';
import { t } from '../../i18n';
import { reportUrl, useFunds, useSpendingReport } from './api';
import {
  CURRENT_YEAR,
  FinanceBreadcrumb,
  type FinanceContext,
  FinanceError,
  FinanceFrame,
  useYearParam,
  YearForm,
} from './parts';
import type { ReportFigures, ReportRow, SpendingReport } from './types';

/** The two figures of a cell: what was forecast and what was actually paid. */
function Pair({ f, strong = false }: { f: ReportFigures; strong?: boolean }) {
  const cls = `text-end num text-nowrap${strong ? ' fw-semibold' : ''}`;
  return (
    <>
      <td className={cls}>{formatMoney(f.programmedCents)}</td>
      <td className={`${cls} report-paid`}>{formatMoney(f.paidCents)}</td>
    </>
  );
}

function RowCells({ row, strong }: { row: ReportRow; strong?: boolean }) {
  return (
    <>
      {row.cells.map((c) => (
        <Pair key={c.intervention} f={c} strong={strong} />
      ))}
      <Pair f={row.total} strong />
    </>
  );
}

function Matrix({ report }: { report: SpendingReport }) {
  const columns = [
    ...report.interventions.map((i) => ({ key: i.code as string, label: t.finance.interventions[i.code] })),
    { key: 'total', label: t.finance.total },
  ];
  const caption = t.finance.report.caption(report.year, report.fund?.code ?? null);
  return (
    <ResponsiveTable captionId="report-caption">
      <table className="table table-sm table-bordered align-middle report-matrix">
        <caption id="report-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {t.finance.area}
            </th>
            {columns.map((c) => (
              <th key={c.key} scope="colgroup" colSpan={2} className="text-center">
                {c.label}
              </th>
            ))}
          </tr>
          <tr>
            {columns.map((c) => (
              <FiguresHeads key={c.key} />
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={r.area ?? 'total'}>
              <th scope="row" className="fw-normal">
                {r.area ? t.finance.areas[r.area] : r.label}
              </th>
              <RowCells row={r} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.finance.total}</th>
            <RowCells row={report.total} strong />
          </tr>
        </tfoot>
      </table>
    </ResponsiveTable>
  );
}

function FiguresHeads() {
  return (
    <>
      <th scope="col" className="text-end small">
        {t.finance.report.programmed}
      </th>
      <th scope="col" className="text-end small">
        {t.finance.report.paid}
      </th>
    </>
  );
}

function Downloads({ ambitoId, year, fund }: { ambitoId: string; year: number; fund?: string | undefined }) {
  const files = [
    { href: reportUrl(ambitoId, 'report.csv', year, fund), label: t.finance.report.csv },
    { href: reportUrl(ambitoId, 'report.xlsx', year, fund), label: t.finance.report.xlsx },
    { href: reportUrl(ambitoId, 'summary.pdf', year), label: t.finance.report.pdf },
  ];
  return (
    <section className="mb-4" aria-labelledby="report-downloads-title">
      <h2 id="report-downloads-title" className="h5">
        {t.finance.report.downloads}
      </h2>
      <ul className="list-inline report-downloads">
        {files.map((f) => (
          <li key={f.label} className="list-inline-item mb-2">
            <a className="btn btn-outline-primary btn-sm" href={f.href} download>
              <SvgIcon name="it-download" className="icon-primary icon-sm me-1" />
              {f.label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Report({ ctx }: { ctx: FinanceContext }) {
  const [params] = useSearchParams();
  const [asked, setYear] = useYearParam();
  const year = asked ?? CURRENT_YEAR;
  const fund = params.get('fondo') || undefined;
  const [fundChoice, setFundChoice] = useState(fund ?? '');
  useEffect(() => setFundChoice(fund ?? ''), [fund]);
  const funds = useFunds(ctx.ambitoId);
  const report = useSpendingReport(ctx.ambitoId, year, fund);
  const title = t.finance.reportTitle;
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
      <p className="lead">{t.finance.report.lead}</p>
      <YearForm id="report" year={year} onApply={(y) => setYear(y, { fondo: fundChoice })}>
        <SelectField
          id="report-fund"
          label={t.finance.fund}
          className="col-sm-5 col-lg-4"
          value={fundChoice}
          onChange={(e) => setFundChoice(e.target.value)}
        >
          <option value="">{t.finance.allFunds}</option>
          {(funds.data ?? []).map((f) => (
            <option key={f.id} value={f.code}>
              {`${f.code} — ${f.name}`}
            </option>
          ))}
        </SelectField>
      </YearForm>
      <Downloads ambitoId={ctx.ambitoId} year={year} fund={fund} />
      {ctx.canWrite ? (
        <p>
          <Link to={`/ambiti/${ctx.ambitoId}/bilancio/importa`}>{t.finance.importTitle}</Link>
        </p>
      ) : null}
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <FinanceError error={report.error} onRetry={() => report.refetch()} />
      ) : (
        <>
          <p className="small text-secondary">{t.finance.report.note}</p>
          <Matrix report={report.data} />
        </>
      )}
    </>
  );
}

export function ReportPage() {
  const { id = '' } = useParams();
  return <FinanceFrame ambitoId={id}>{(ctx) => <Report ctx={ctx} />}</FinanceFrame>;
}
