import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatMoney } from '../../format';
import { t } from '../../i18n';
import { useBudget, useDefaultYear } from './api';
import { BudgetManage } from './BudgetManage';
import {
  AreasSection,
  AssignmentsSection,
  ComuniSection,
  ConstraintsSection,
  DeadlinesSection,
  ObjectivesSection,
  SourcesSection,
} from './BudgetTables';
import { Chart, moneyBars } from './Chart';
import {
  FinanceBreadcrumb,
  type FinanceContext,
  FinanceError,
  FinanceFrame,
  MoneyCell,
  useYearParam,
  YearBadge,
  YearForm,
} from './parts';
import type { BudgetView } from './types';

function Totals({ totals }: { totals: BudgetView['totals'] }) {
  const keys = ['assignedCents', 'budgetedCents', 'committedCents', 'paidCents', 'availableCents'] as const;
  return (
    <ul className="key-figures list-unstyled d-flex flex-wrap gap-4 mb-5 finance-totals">
      {keys.map((k) => (
        <li key={k}>
          <span className="key-figure-value finance-figure">{formatMoney(totals[k])}</span>
          <span className="key-figure-label">{t.finance.totals[k]}</span>
        </li>
      ))}
    </ul>
  );
}

function FundsSection({ ctx, budget }: { ctx: FinanceContext; budget: BudgetView }) {
  const funds = budget.byFund;
  const option = useMemo(
    () =>
      moneyBars(
        funds.map((f) => f.code),
        [
          { name: t.finance.assigned, values: funds.map((f) => f.assignedCents) },
          { name: t.finance.committed, values: funds.map((f) => f.committedCents) },
          { name: t.finance.paid, values: funds.map((f) => f.paidCents) },
        ],
      ),
    [funds],
  );
  const linesUrl = (fund: string) =>
    `/ambiti/${ctx.ambitoId}/bilancio/linee?anno=${budget.year}&fondo=${encodeURIComponent(fund)}`;
  return (
    <section className="mb-5" aria-labelledby="funds-title">
      <h2 id="funds-title" className="h3">
        {t.finance.byFund}
      </h2>
      {funds.length === 0 ? (
        <p className="finance-empty">{t.finance.noFunds(budget.year)}</p>
      ) : (
        <>
          <Chart option={option} label={t.finance.fundsChart(budget.year)} />
          <ResponsiveTable captionId="funds-caption">
            <table className="table table-sm align-middle finance-funds">
              <caption id="funds-caption">{t.finance.fundsCaption(budget.year)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.finance.fund}</th>
                  <th scope="col">{t.finance.source}</th>
                  <th scope="col" className="text-end">
                    {t.finance.assigned}
                  </th>
                  <th scope="col" className="text-end">
                    {t.finance.budgeted}
                  </th>
                  <th scope="col" className="text-end">
                    {t.finance.committed}
                  </th>
                  <th scope="col" className="text-end">
                    {t.finance.paid}
                  </th>
                  <th scope="col" className="text-end">
                    {t.finance.available}
                  </th>
                </tr>
              </thead>
              <tbody>
                {funds.map((f) => (
                  <tr key={f.fundId}>
                    <th scope="row" className="fw-normal">
                      <Link to={linesUrl(f.code)} aria-label={t.finance.openFundLines(f.code, f.name)}>
                        {f.code}
                      </Link>
                      <div className="small text-secondary">{f.name}</div>
                      {f.carriedOverCents > 0 ? (
                        <div className="small">{t.finance.carriedOver(formatMoney(f.carriedOverCents))}</div>
                      ) : null}
                    </th>
                    <td>{t.finance.sources[f.source]}</td>
                    <MoneyCell cents={f.assignedCents} />
                    <MoneyCell cents={f.budgetedCents} />
                    <MoneyCell cents={f.committedCents} />
                    <MoneyCell cents={f.paidCents} />
                    <MoneyCell cents={f.availableCents} />
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    {t.finance.total}
                  </th>
                  <MoneyCell cents={budget.totals.assignedCents} strong />
                  <MoneyCell cents={budget.totals.budgetedCents} strong />
                  <MoneyCell cents={budget.totals.committedCents} strong />
                  <MoneyCell cents={budget.totals.paidCents} strong />
                  <MoneyCell cents={budget.totals.availableCents} strong />
                </tr>
              </tfoot>
            </table>
          </ResponsiveTable>
        </>
      )}
    </section>
  );
}

function YearBudget({ ctx, year }: { ctx: FinanceContext; year: number }) {
  const [, setYear] = useYearParam();
  const budget = useBudget(ctx.ambitoId, year);
  const title = t.finance.budgetTitle(year);
  usePageTitle(`${title} — ${ctx.ambitoName}`);
  const base = `/ambiti/${ctx.ambitoId}`;
  return (
    <>
      <FinanceBreadcrumb ctx={ctx} items={[{ label: title }]} />
      <p className="card-meta d-flex flex-wrap align-items-center gap-2 mb-1">
        {budget.data ? <YearBadge closed={budget.data.closed} /> : null}
        <span>{ctx.ambitoName}</span>
      </p>
      <h1 className="mb-2">{title}</h1>
      <p className="lead">{t.finance.budgetLead}</p>
      <YearForm id="budget" year={year} onApply={(y) => setYear(y)} />
      <nav aria-label={t.finance.related} className="mb-4">
        <ul className="list-inline finance-related">
          <li className="list-inline-item">
            <Link to={`${base}/bilancio/linee?anno=${year}`}>{t.finance.allLines}</Link>
          </li>
          <li className="list-inline-item">
            <Link to={`${base}/bilancio/rendiconto?anno=${year}`}>{t.finance.reportTitle}</Link>
          </li>
          <li className="list-inline-item">
            <Link to={`${base}/riparti?anno=${year}`}>{t.finance.nav.splits}</Link>
          </li>
          <li className="list-inline-item">
            <Link to={`${base}/assistenti-sociali?anno=${year}`}>{t.finance.nav.workers}</Link>
          </li>
        </ul>
      </nav>
      {budget.isPending ? (
        <Loading />
      ) : budget.isError ? (
        <FinanceError error={budget.error} onRetry={() => budget.refetch()} />
      ) : (
        <>
          <Totals totals={budget.data.totals} />
          <FundsSection ctx={ctx} budget={budget.data} />
          <AssignmentsSection ambitoId={ctx.ambitoId} year={year} />
          <SourcesSection budget={budget.data} />
          <AreasSection budget={budget.data} />
          <ObjectivesSection budget={budget.data} />
          <ComuniSection budget={budget.data} />
          <ConstraintsSection budget={budget.data} />
          <DeadlinesSection budget={budget.data} />
          {ctx.canWrite ? (
            <BudgetManage ambitoId={ctx.ambitoId} year={year} closed={budget.data.closed} />
          ) : null}
        </>
      )}
    </>
  );
}

function BudgetForYear({ ctx }: { ctx: FinanceContext }) {
  const [asked] = useYearParam();
  const fallback = useDefaultYear(ctx.ambitoId, asked === null);
  if (asked !== null) return <YearBudget ctx={ctx} year={asked} />;
  if (fallback.isPending) return <Loading />;
  if (fallback.isError)
    return <FinanceError whole error={fallback.error} onRetry={() => fallback.refetch()} />;
  return <YearBudget ctx={ctx} year={fallback.data} />;
}

export function BudgetPage() {
  const { id = '' } = useParams();
  return <FinanceFrame ambitoId={id}>{(ctx) => <BudgetForYear ctx={ctx} />}</FinanceFrame>;
}
