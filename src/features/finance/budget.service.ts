import type { Kysely } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import * as q from './finance.queries.js';
import type { BudgetView, FundView } from './finance.schemas.js';

/** Reads of the Ambito's money, in its tenant session. Amounts are only ever added. */
export function read<T>(db: Kysely<DB>, actor: Actor, ambitoId: string, fn: (trx: Tx) => Promise<T>) {
  assertCan(actor, 'finance:read', { ambitoId, resourceType: 'budget' });
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await trx.selectFrom('ambiti').select('id').where('id', '=', ambitoId).executeTakeFirst()))
      throw notFound('Ambito');
    return fn(trx);
  });
}

export function listFunds(db: Kysely<DB>, actor: Actor, ambitoId: string): Promise<FundView[]> {
  return read(db, actor, ambitoId, async (trx) =>
    (await q.listFunds(trx)).map((f) => ({
      id: f.id,
      code: f.code,
      name: f.name,
      source: f.source,
      own: f.ambito_id !== null,
    })),
  );
}

export interface LineFigures {
  committed: number;
  paid: number;
}

/** Committed and paid per line, and the same per Comune of spending. */
export async function lineFigures(trx: Tx, year: number) {
  const byLine = new Map<string, LineFigures>();
  const byComune = new Map<string | null, LineFigures>();
  for (const r of await q.spendingByLineAndComune(trx, year)) {
    add(byLine, r.budget_line_id, r.committed_cents, r.paid_cents);
    add(byComune, r.comune_istat, r.committed_cents, r.paid_cents);
  }
  return { byLine, byComune };
}

function add<K>(map: Map<K, LineFigures>, key: K, committed: number, paid: number) {
  const f = map.get(key) ?? { committed: 0, paid: 0 };
  f.committed += committed;
  f.paid += paid;
  map.set(key, f);
}

/** The budget page of one year: by fund, source, macro-area, objective and Comune, with the funds' rules. */
export function getBudget(db: Kysely<DB>, actor: Actor, ambitoId: string, year: number): Promise<BudgetView> {
  return read(db, actor, ambitoId, async (trx) => {
    const [assignments, lines, figures, closed] = await Promise.all([
      q.listAssignmentsOfYear(trx, year),
      q.listLinesWithPlace(trx, year),
      lineFigures(trx, year),
      q.isYearClosed(trx, year),
    ]);
    const spentIn = [...figures.byComune.keys()].filter((c): c is string => c !== null);
    const comuni = spentIn.length
      ? await trx
          .selectFrom('comuni')
          .select(['istat_code', 'name'])
          .where('istat_code', 'in', spentIn)
          .execute()
      : [];
    const zero = { committed: 0, paid: 0 };
    const lineTotals = lines.map((l) => ({ ...l, ...(figures.byLine.get(l.id) ?? zero) }));

    const funds = new Map<string, BudgetView['byFund'][number]>();
    for (const a of assignments) {
      const f = funds.get(a.fund_id) ?? {
        fundId: a.fund_id,
        code: a.fund_code,
        name: a.fund_name,
        source: a.source,
        assignedCents: 0,
        budgetedCents: 0,
        committedCents: 0,
        paidCents: 0,
        availableCents: 0,
        carriedOverCents: 0,
      };
      f.assignedCents += a.amount_cents;
      if (a.carried_from_id) f.carriedOverCents += a.amount_cents;
      funds.set(a.fund_id, f);
    }
    for (const l of lineTotals) {
      const f = funds.get(l.fund_id);
      if (!f) continue;
      f.budgetedCents += l.amount_cents;
      f.committedCents += l.committed;
      f.paidCents += l.paid;
    }
    const byFund = [...funds.values()].map((f) => ({
      ...f,
      availableCents: f.assignedCents - f.committedCents,
    }));

    const bySource = new Map<string, BudgetView['bySource'][number]>();
    for (const f of byFund) {
      const s = bySource.get(f.source) ?? {
        source: f.source,
        assignedCents: 0,
        budgetedCents: 0,
        committedCents: 0,
        paidCents: 0,
      };
      s.assignedCents += f.assignedCents;
      s.budgetedCents += f.budgetedCents;
      s.committedCents += f.committedCents;
      s.paidCents += f.paidCents;
      bySource.set(f.source, s);
    }

    const byMacroArea = new Map<string, BudgetView['byMacroArea'][number]>();
    const byObjective = new Map<string, BudgetView['byObjective'][number]>();
    for (const l of lineTotals) {
      const key = l.macro_area_code ?? '';
      const m = byMacroArea.get(key) ?? {
        code: l.macro_area_code,
        name: l.macro_area_name ?? 'Senza macro-area',
        budgetedCents: 0,
        committedCents: 0,
        paidCents: 0,
      };
      m.budgetedCents += l.amount_cents;
      m.committedCents += l.committed;
      m.paidCents += l.paid;
      byMacroArea.set(key, m);
      const o = byObjective.get(l.objective_id) ?? {
        objectiveId: l.objective_id,
        code: l.objective_code,
        title: l.objective_title,
        macroAreaCode: l.macro_area_code,
        budgetedCents: 0,
        committedCents: 0,
        paidCents: 0,
      };
      o.budgetedCents += l.amount_cents;
      o.committedCents += l.committed;
      o.paidCents += l.paid;
      byObjective.set(l.objective_id, o);
    }

    const names = new Map(comuni.map((c) => [c.istat_code, c.name]));
    const byComune = [...figures.byComune.entries()]
      .map(([istat, f]) => ({
        istatCode: istat,
        name: istat ? (names.get(istat) ?? istat) : 'Intero Ambito',
        committedCents: f.committed,
        paidCents: f.paid,
      }))
      .sort((a, b) =>
        a.istatCode === null ? 1 : b.istatCode === null ? -1 : a.name.localeCompare(b.name, 'it'),
      );

    return {
      year,
      closed,
      totals: {
        assignedCents: sum(byFund, 'assignedCents'),
        budgetedCents: sum(byFund, 'budgetedCents'),
        committedCents: sum(byFund, 'committedCents'),
        paidCents: sum(byFund, 'paidCents'),
        availableCents: sum(byFund, 'availableCents'),
      },
      byFund,
      bySource: [...bySource.values()],
      byMacroArea: [...byMacroArea.values()].sort((a, b) => (a.code ?? '~').localeCompare(b.code ?? '~')),
      byObjective: [...byObjective.values()].sort((a, b) =>
        a.code.localeCompare(b.code, 'it', { numeric: true }),
      ),
      byComune,
      constraints: constraintsOf(assignments, lineTotals),
      deadlines: deadlinesOf(assignments, lineTotals),
    };
  });
}

function sum<T>(rows: T[], key: { [K in keyof T]: T[K] extends number ? K : never }[keyof T]): number {
  let total = 0;
  for (const r of rows) total += r[key] as number;
  return total;
}

type Assignment = Awaited<ReturnType<typeof q.listAssignmentsOfYear>>[number];
type Line = Awaited<ReturnType<typeof q.listLinesWithPlace>>[number] & LineFigures;

/**
 * A minimum share of an assignment due to one user area (e.g. 50% of the FNPS to childhood):
 * compared in integers, required = ceil(amount × basis points / 10,000).
 */
function constraintsOf(assignments: Assignment[], lines: Line[]): BudgetView['constraints'] {
  return assignments.flatMap((a) => {
    if (!a.min_share_area || !a.min_share_bp) return [];
    const required = Number((BigInt(a.amount_cents) * BigInt(a.min_share_bp) + 9_999n) / 10_000n);
    let budgeted = 0;
    for (const l of lines)
      if (l.assignment_id === a.id && l.area === a.min_share_area) budgeted += l.amount_cents;
    return [
      {
        assignmentId: a.id,
        fundCode: a.fund_code,
        area: a.min_share_area,
        requiredBasisPoints: a.min_share_bp,
        requiredCents: required,
        budgetedCents: budgeted,
        met: budgeted >= required,
      },
    ];
  });
}

function deadlinesOf(assignments: Assignment[], lines: Line[]): BudgetView['deadlines'] {
  return assignments
    .flatMap((a) => {
      let paid = 0;
      for (const l of lines) if (l.assignment_id === a.id) paid += l.paid;
      const remaining = a.amount_cents - paid;
      const dates: Array<{ kind: 'spesa' | 'rendicontazione'; date: string }> = [
        ...(a.spend_by ? [{ kind: 'spesa' as const, date: a.spend_by }] : []),
        ...a.report_by.map((date) => ({ kind: 'rendicontazione' as const, date })),
      ];
      return dates.map((d) => ({
        assignmentId: a.id,
        fundCode: a.fund_code,
        ...d,
        remainingCents: remaining,
      }));
    })
    .sort((x, y) => x.date.localeCompare(y.date));
}
