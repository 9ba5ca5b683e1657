import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { SelectField } from '../../components/FormField';
import { Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useBudgetLines, useFunds, useYearClosed } from './api';
import { BudgetLineForm } from './forms/BudgetLineForm';
import {
  CURRENT_YEAR,
  FinanceBreadcrumb,
  type FinanceContext,
  FinanceError,
  FinanceFrame,
  MoneyCell,
  useNotice,
  useYearParam,
  YearForm,
} from './parts';
import type { BudgetLineView } from './types';

function LinesTable({
  ctx,
  lines,
  caption,
}: {
  ctx: FinanceContext;
  lines: BudgetLineView[];
  caption: string;
}) {
  const sum = (k: 'amountCents' | 'committedCents' | 'paidCents' | 'availableCents') =>
    lines.reduce((s, l) => s + l[k], 0);
  return (
    <ResponsiveTable captionId="lines-caption">
      <table className="table table-sm align-middle finance-lines">
        <caption id="lines-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.finance.lineCode}</th>
            <th scope="col">{t.finance.fund}</th>
            <th scope="col">{t.finance.planAction}</th>
            <th scope="col">{t.finance.areaIntervention}</th>
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
          {lines.map((l) => (
            <tr key={l.id}>
              <th scope="row" className="font-monospace fw-semibold">
                <Link
                  to={`/ambiti/${ctx.ambitoId}/bilancio/linee/${l.id}`}
                  aria-label={t.finance.openLine(l.code)}
                >
                  {l.code}
                </Link>
              </th>
              <td>{l.fundCode}</td>
              <td>
                <span className="font-monospace">{l.action.code}</span> {l.action.title}
              </td>
              <td>
                {t.finance.areas[l.area]}
                <div className="small text-secondary">{t.finance.interventions[l.intervention]}</div>
              </td>
              <MoneyCell cents={l.amountCents} />
              <MoneyCell cents={l.committedCents} />
              <MoneyCell cents={l.paidCents} />
              <MoneyCell cents={l.availableCents} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              {t.finance.total}
            </th>
            <MoneyCell cents={sum('amountCents')} strong />
            <MoneyCell cents={sum('committedCents')} strong />
            <MoneyCell cents={sum('paidCents')} strong />
            <MoneyCell cents={sum('availableCents')} strong />
          </tr>
        </tfoot>
      </table>
    </ResponsiveTable>
  );
}

function FundFilter({
  ambitoId,
  value,
  onChange,
}: {
  ambitoId: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const funds = useFunds(ambitoId);
  return (
    <SelectField
      id="lines-fund"
      label={t.finance.fund}
      className="col-sm-5 col-lg-4"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{t.finance.allFunds}</option>
      {(funds.data ?? []).map((f) => (
        <option key={f.id} value={f.code}>
          {`${f.code} — ${f.name}`}
        </option>
      ))}
    </SelectField>
  );
}

function Lines({ ctx }: { ctx: FinanceContext }) {
  const [params] = useSearchParams();
  const [asked, setYear] = useYearParam();
  const year = asked ?? CURRENT_YEAR;
  const fund = params.get('fondo') ?? '';
  const [fundChoice, setFundChoice] = useState(fund);
  useEffect(() => setFundChoice(fund), [fund]);
  const lines = useBudgetLines(ctx.ambitoId, year, fund || undefined);
  const notice = useNotice();
  const closed = useYearClosed(ctx.ambitoId, year);
  const title = fund ? t.finance.linesOfFund(fund, year) : t.finance.linesTitle(year);
  usePageTitle(`${title} — ${ctx.ambitoName}`);
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
      <p className="lead">{t.finance.linesLead}</p>
      <YearForm id="lines" year={year} onApply={(y) => setYear(y, { fondo: fundChoice })}>
        <FundFilter ambitoId={ctx.ambitoId} value={fundChoice} onChange={setFundChoice} />
      </YearForm>
      <p>
        <Link
          to={`/ambiti/${ctx.ambitoId}/bilancio/rendiconto?anno=${year}${fund ? `&fondo=${encodeURIComponent(fund)}` : ''}`}
        >
          {t.finance.reportTitle}
        </Link>
      </p>
      {lines.isPending ? (
        <Loading />
      ) : lines.isError ? (
        <FinanceError error={lines.error} onRetry={() => lines.refetch()} />
      ) : lines.data.length === 0 ? (
        <p className="finance-empty">{t.finance.noLines}</p>
      ) : (
        <LinesTable ctx={ctx} lines={lines.data} caption={title} />
      )}
      {ctx.canWrite ? (
        <section className="finance-manage my-5" aria-labelledby="lines-manage-title">
          <h2 id="lines-manage-title" className="h3">
            {t.finance.manage}
          </h2>
          {notice.node}
          {closed.data === false ? (
            <BudgetLineForm
              ambitoId={ctx.ambitoId}
              year={year}
              fund={fund || undefined}
              onDone={notice.show}
            />
          ) : closed.data ? (
            <p>{t.finance.closedNote(year)}</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export function BudgetLinesPage() {
  const { id = '' } = useParams();
  return <FinanceFrame ambitoId={id}>{(ctx) => <Lines ctx={ctx} />}</FinanceFrame>;
}
