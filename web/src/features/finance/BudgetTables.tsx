import { type ReactNode, useMemo } from 'react';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate, formatMoney, formatPercent } from '../../format';
import { t } from '../../i18n';
import { useAssignments } from './api';
import { Chart, moneyBars } from './Chart';
import { actLabel, MoneyCell } from './parts';
import type { BudgetView } from './types';

/** One section of the Bilancio: a heading, and a table or a line saying there is nothing. */
function Section({
  id,
  title,
  empty,
  children,
}: {
  id: string;
  title: string;
  empty: string | null;
  children: ReactNode;
}) {
  return (
    <section className="mb-5" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="h3">
        {title}
      </h2>
      {empty ? <p className="finance-empty">{empty}</p> : children}
    </section>
  );
}

interface Column {
  label: string;
  money?: boolean;
}

/** A plain table: caption, column headers, one header cell per row, right-aligned amounts. */
function Table({
  id,
  caption,
  columns,
  children,
}: {
  id: string;
  caption: string;
  columns: Column[];
  children: ReactNode;
}) {
  return (
    <ResponsiveTable captionId={`${id}-caption`}>
      <table className={`table table-sm align-middle finance-${id}`}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.money ? 'text-end' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </ResponsiveTable>
  );
}

const m = (label: string): Column => ({ label, money: true });

export function AssignmentsSection({ ambitoId, year }: { ambitoId: string; year: number }) {
  const assignments = useAssignments(ambitoId, year);
  return (
    <Section id="assignments" title={t.finance.assignmentsTitle} empty={null}>
      {assignments.isPending ? (
        <Loading />
      ) : assignments.isError ? (
        <ErrorState error={assignments.error} onRetry={() => assignments.refetch()} />
      ) : assignments.data.length === 0 ? (
        <p className="finance-empty">{t.finance.noAssignments}</p>
      ) : (
        <Table
          id="assignments"
          caption={t.finance.assignmentsCaption(year)}
          columns={[
            { label: t.finance.fund },
            m(t.finance.amountShort),
            { label: t.finance.act },
            { label: t.finance.spendBy },
          ]}
        >
          {assignments.data.map((a) => (
            <tr key={a.id}>
              <th scope="row" className="fw-normal">
                {a.fundCode}
                <div className="small text-secondary">{a.fundName}</div>
                {a.carriedFromId ? <div className="small">{t.finance.fromRemainder}</div> : null}
              </th>
              <MoneyCell cents={a.amountCents} />
              <td>{actLabel(a.act)}</td>
              <td className="text-nowrap">{a.spendBy ? formatDate(a.spendBy) : t.state.notAvailable}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

export function SourcesSection({ budget }: { budget: BudgetView }) {
  return (
    <Section
      id="sources"
      title={t.finance.bySource}
      empty={budget.bySource.length ? null : t.finance.nothing}
    >
      <Table
        id="sources"
        caption={t.finance.sourcesCaption(budget.year)}
        columns={[
          { label: t.finance.source },
          m(t.finance.assigned),
          m(t.finance.budgeted),
          m(t.finance.committed),
          m(t.finance.paid),
        ]}
      >
        {budget.bySource.map((s) => (
          <tr key={s.source}>
            <th scope="row" className="fw-normal">
              {t.finance.sources[s.source]}
            </th>
            <MoneyCell cents={s.assignedCents} />
            <MoneyCell cents={s.budgetedCents} />
            <MoneyCell cents={s.committedCents} />
            <MoneyCell cents={s.paidCents} />
          </tr>
        ))}
      </Table>
    </Section>
  );
}

export function AreasSection({ budget }: { budget: BudgetView }) {
  const areas = budget.byMacroArea;
  const name = (a: (typeof areas)[number]) => (a.code ? `${a.code} — ${a.name}` : a.name);
  const option = useMemo(
    () =>
      moneyBars(
        areas.map((a) => a.code ?? '–'),
        [
          { name: t.finance.budgeted, values: areas.map((a) => a.budgetedCents) },
          { name: t.finance.committed, values: areas.map((a) => a.committedCents) },
          { name: t.finance.paid, values: areas.map((a) => a.paidCents) },
        ],
      ),
    [areas],
  );
  return (
    <Section id="areas" title={t.finance.byMacroArea} empty={areas.length ? null : t.finance.nothing}>
      <Chart option={option} label={t.finance.areasChart(budget.year)} height={280} />
      <Table
        id="areas"
        caption={t.finance.areasCaption(budget.year)}
        columns={[
          { label: t.plan.macroArea },
          m(t.finance.budgeted),
          m(t.finance.committed),
          m(t.finance.paid),
        ]}
      >
        {areas.map((a) => (
          <tr key={a.code ?? '-'}>
            <th scope="row" className="fw-normal">
              {name(a)}
            </th>
            <MoneyCell cents={a.budgetedCents} />
            <MoneyCell cents={a.committedCents} />
            <MoneyCell cents={a.paidCents} />
          </tr>
        ))}
      </Table>
    </Section>
  );
}

export function ObjectivesSection({ budget }: { budget: BudgetView }) {
  const rows = budget.byObjective;
  return (
    <Section id="objectives" title={t.finance.byObjective} empty={rows.length ? null : t.finance.nothing}>
      <Table
        id="objectives"
        caption={t.finance.objectivesCaption(budget.year)}
        columns={[
          { label: t.finance.objective },
          m(t.finance.budgeted),
          m(t.finance.committed),
          m(t.finance.paid),
        ]}
      >
        {rows.map((o) => (
          <tr key={o.objectiveId}>
            <th scope="row" className="fw-normal">
              <span className="font-monospace fw-semibold">{o.code}</span> {o.title}
            </th>
            <MoneyCell cents={o.budgetedCents} />
            <MoneyCell cents={o.committedCents} />
            <MoneyCell cents={o.paidCents} />
          </tr>
        ))}
      </Table>
    </Section>
  );
}

export function ComuniSection({ budget }: { budget: BudgetView }) {
  const rows = budget.byComune;
  return (
    <Section id="comuni" title={t.finance.byComune} empty={rows.length ? null : t.finance.nothing}>
      <Table
        id="comuni"
        caption={t.finance.comuniCaption(budget.year)}
        columns={[{ label: t.finance.comune }, m(t.finance.committed), m(t.finance.paid)]}
      >
        {rows.map((c) => (
          <tr key={c.istatCode ?? '-'}>
            <th scope="row" className="fw-normal">
              {c.istatCode ? c.name : t.finance.noComune}
            </th>
            <MoneyCell cents={c.committedCents} />
            <MoneyCell cents={c.paidCents} />
          </tr>
        ))}
      </Table>
    </Section>
  );
}

export function ConstraintsSection({ budget }: { budget: BudgetView }) {
  const rows = budget.constraints;
  return (
    <Section
      id="constraints"
      title={t.finance.constraints}
      empty={rows.length ? null : t.finance.noConstraints}
    >
      <Table
        id="constraints"
        caption={t.finance.constraintsCaption(budget.year)}
        columns={[
          { label: t.finance.rule },
          m(t.finance.required),
          m(t.finance.budgeted),
          { label: t.finance.outcome },
        ]}
      >
        {rows.map((c) => (
          <tr key={c.assignmentId}>
            <th scope="row" className="fw-normal">
              {t.finance.constraintText(
                c.fundCode,
                formatPercent(c.requiredBasisPoints / 10_000),
                t.finance.areas[c.area],
              )}
            </th>
            <MoneyCell cents={c.requiredCents} />
            <MoneyCell cents={c.budgetedCents} />
            <td>
              <span className={`badge finance-check ${c.met ? 'bg-success' : 'bg-danger'}`}>
                <span aria-hidden="true">{c.met ? '✓ ' : '✗ '}</span>
                {c.met ? t.finance.met : t.finance.notMet}
              </span>
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

export function DeadlinesSection({ budget }: { budget: BudgetView }) {
  const rows = [...budget.deadlines].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <Section id="deadlines" title={t.finance.deadlines} empty={rows.length ? null : t.finance.noDeadlines}>
      <Table
        id="deadlines"
        caption={t.finance.deadlinesCaption(budget.year)}
        columns={[
          { label: t.finance.date },
          { label: t.finance.fund },
          { label: t.finance.deadlineKind },
          m(t.finance.remaining),
        ]}
      >
        {rows.map((d) => (
          <tr key={`${d.assignmentId}-${d.kind}-${d.date}`}>
            <th scope="row" className="fw-normal text-nowrap">
              {formatDate(d.date)}
            </th>
            <td>{d.fundCode}</td>
            <td>{t.finance.deadlineKinds[d.kind]}</td>
            <td className="text-end num text-nowrap">{formatMoney(d.remainingCents)}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}
