import { Link, useParams } from 'react-router';
import { Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate, formatMoney, formatNumber } from '../../format';
import { t } from '../../i18n';
import { useBudgetLine, useYearClosed } from './api';
import { CommitmentForm } from './forms/CommitmentForm';
import { PaymentForm } from './forms/PaymentForm';
import {
  actLabel,
  FinanceBreadcrumb,
  type FinanceContext,
  FinanceError,
  FinanceFrame,
  MoneyCell,
  useNotice,
} from './parts';
import type { BudgetLineDetail } from './types';

function Facts({ line }: { line: BudgetLineDetail }) {
  const rows: Array<[string, string]> = [
    [t.finance.fund, line.fundCode],
    [t.finance.year, String(line.year)],
    [t.finance.planAction, `${line.action.code} — ${line.action.title}`],
    [t.finance.objective, line.objective.code],
    [t.finance.area, t.finance.areas[line.area]],
    [t.finance.intervention, t.finance.interventions[line.intervention]],
    [t.finance.budgeted, formatMoney(line.amountCents)],
    [t.finance.committed, formatMoney(line.committedCents)],
    [t.finance.paid, formatMoney(line.paidCents)],
    [t.finance.available, formatMoney(line.availableCents)],
  ];
  return (
    <dl className="row finance-facts mb-4">
      {rows.map(([k, v]) => (
        <div key={k} className="col-sm-6 col-lg-4 mb-2">
          <dt className="small text-secondary">{k}</dt>
          <dd className="mb-0">{v}</dd>
        </div>
      ))}
      {line.description ? (
        <div className="col-12">
          <dt className="small text-secondary">{t.finance.description}</dt>
          <dd className="mb-0">{line.description}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function Commitments({ line }: { line: BudgetLineDetail }) {
  return (
    <section className="mb-5" aria-labelledby="commitments-title">
      <h2 id="commitments-title" className="h3">
        {t.finance.commitments}
      </h2>
      {line.commitments.length === 0 ? (
        <p className="finance-empty">{t.finance.noCommitments}</p>
      ) : (
        <ResponsiveTable captionId="commitments-caption">
          <table className="table table-sm align-middle finance-commitments">
            <caption id="commitments-caption">{t.finance.commitmentsCaption(line.code)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.finance.number}</th>
                <th scope="col">{t.finance.date}</th>
                <th scope="col">{t.finance.payee}</th>
                <th scope="col">{t.finance.act}</th>
                <th scope="col" className="text-end">
                  {t.finance.amountShort}
                </th>
                <th scope="col" className="text-end">
                  {t.finance.paid}
                </th>
              </tr>
            </thead>
            <tbody>
              {line.commitments.map((c) => (
                <tr key={c.id}>
                  <th scope="row" className="font-monospace fw-semibold">
                    {c.number}
                  </th>
                  <td className="text-nowrap">{formatDate(c.date)}</td>
                  <td>
                    {c.payeeName}
                    <div className="small text-secondary">{t.finance.payeeKinds[c.payeeKind]}</div>
                  </td>
                  <td>{actLabel(c.act)}</td>
                  <MoneyCell cents={c.amountCents} />
                  <MoneyCell cents={c.paidCents} />
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
    </section>
  );
}

function Payments({ line }: { line: BudgetLineDetail }) {
  const payments = line.commitments.flatMap((c) => c.payments.map((p) => ({ ...p, commitment: c.number })));
  return (
    <section className="mb-5" aria-labelledby="payments-title">
      <h2 id="payments-title" className="h3">
        {t.finance.payments}
      </h2>
      {payments.length === 0 ? (
        <p className="finance-empty">{t.finance.noPayments}</p>
      ) : (
        <ResponsiveTable captionId="payments-caption">
          <table className="table table-sm align-middle finance-payments">
            <caption id="payments-caption">{t.finance.paymentsCaption(line.code)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.finance.number}</th>
                <th scope="col">{t.finance.commitment}</th>
                <th scope="col">{t.finance.date}</th>
                <th scope="col">{t.finance.payee}</th>
                <th scope="col">{t.finance.act}</th>
                <th scope="col" className="text-end">
                  {t.finance.amountShort}
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <th scope="row" className="font-monospace fw-semibold">
                    {p.number}
                  </th>
                  <td className="font-monospace">{p.commitment}</td>
                  <td className="text-nowrap">{formatDate(p.date)}</td>
                  <td>
                    {p.payeeName}
                    {p.beneficiaries !== null ? (
                      <div className="small text-secondary">
                        {t.finance.beneficiaries(formatNumber(p.beneficiaries))}
                      </div>
                    ) : null}
                  </td>
                  <td>{actLabel(p.act)}</td>
                  <MoneyCell cents={p.amountCents} />
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
    </section>
  );
}

function Line({ ctx, lineId }: { ctx: FinanceContext; lineId: string }) {
  const line = useBudgetLine(ctx.ambitoId, lineId);
  const notice = useNotice();
  const closed = useYearClosed(ctx.ambitoId, line.data?.year ?? 0);
  const title = line.data ? t.finance.lineTitle(line.data.code) : t.finance.lineTitle('');
  usePageTitle(`${title} — ${ctx.ambitoName}`);
  if (line.isPending) return <Loading />;
  if (line.isError) return <FinanceError whole error={line.error} onRetry={() => line.refetch()} />;
  const l = line.data;
  const base = `/ambiti/${ctx.ambitoId}/bilancio`;
  return (
    <>
      <FinanceBreadcrumb
        ctx={ctx}
        items={[
          { label: t.finance.budgetTitle(l.year), to: `${base}?anno=${l.year}` },
          {
            label: t.finance.linesOfFund(l.fundCode, l.year),
            to: `${base}/linee?anno=${l.year}&fondo=${encodeURIComponent(l.fundCode)}`,
          },
          { label: title },
        ]}
      />
      <h1 className="mb-2">{title}</h1>
      <p className="lead">{t.finance.lineLead(l.fundCode, l.year)}</p>
      <p>
        <Link to={`${base}/linee?anno=${l.year}&fondo=${encodeURIComponent(l.fundCode)}`}>
          {t.finance.backToLines}
        </Link>
      </p>
      <Facts line={l} />
      <Commitments line={l} />
      <Payments line={l} />
      {ctx.canWrite ? (
        <section className="finance-manage mb-5" aria-labelledby="line-manage-title">
          <h2 id="line-manage-title" className="h3">
            {t.finance.manage}
          </h2>
          {notice.node}
          {/* A closed year takes no new commitments; what was committed can still be paid. */}
          {closed.data === false ? (
            <CommitmentForm ambitoId={ctx.ambitoId} lineId={l.id} onDone={notice.show} />
          ) : closed.data ? (
            <p>{t.finance.closedNote(l.year)}</p>
          ) : null}
          {l.commitments.length ? (
            <PaymentForm ambitoId={ctx.ambitoId} commitments={l.commitments} onDone={notice.show} />
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export function BudgetLinePage() {
  const { id = '', lineId = '' } = useParams();
  return <FinanceFrame ambitoId={id}>{(ctx) => <Line ctx={ctx} lineId={lineId} />}</FinanceFrame>;
}
