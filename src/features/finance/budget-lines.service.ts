import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { notFound } from '../../http/errors.js';
import { type LineFigures, lineFigures, read } from './budget.service.js';
import * as q from './finance.queries.js';
import type { AssignmentView, BudgetLineDetail, BudgetLineView } from './finance.schemas.js';

/** Drilling down from the budget page: assignments, budget lines, and a line's commitments, payments and acts. */
export function listAssignments(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  year: number,
): Promise<AssignmentView[]> {
  return read(db, actor, ambitoId, async (trx) => {
    const [assignments, lines, figures] = await Promise.all([
      q.listAssignmentsOfYear(trx, year),
      q.listLinesWithPlace(trx, year),
      lineFigures(trx, year),
    ]);
    return assignments.map((a) => {
      let budgeted = 0;
      let committed = 0;
      let paid = 0;
      for (const l of lines) {
        if (l.assignment_id !== a.id) continue;
        const f = figures.byLine.get(l.id);
        budgeted += l.amount_cents;
        committed += f?.committed ?? 0;
        paid += f?.paid ?? 0;
      }
      return {
        id: a.id,
        fundId: a.fund_id,
        fundCode: a.fund_code,
        fundName: a.fund_name,
        year: a.year,
        amountCents: a.amount_cents,
        act: { id: a.act_id, kind: a.act_kind, number: a.act_number, date: a.act_date },
        carriedFromId: a.carried_from_id,
        minShareArea: a.min_share_area,
        minShareBasisPoints: a.min_share_bp,
        spendBy: a.spend_by,
        reportBy: a.report_by,
        note: a.note,
        budgetedCents: budgeted,
        committedCents: committed,
        paidCents: paid,
      };
    });
  });
}

function toLineView(
  l: Awaited<ReturnType<typeof q.listLinesWithPlace>>[number],
  f: LineFigures,
): BudgetLineView {
  return {
    id: l.id,
    code: l.code,
    year: l.year,
    assignmentId: l.assignment_id,
    fundCode: l.fund_code,
    action: { id: l.action_id, code: l.action_code, title: l.action_title },
    objective: { id: l.objective_id, code: l.objective_code, macroAreaCode: l.macro_area_code },
    area: l.area,
    intervention: l.intervention,
    amountCents: l.amount_cents,
    committedCents: f.committed,
    paidCents: f.paid,
    availableCents: l.amount_cents - f.committed,
    description: l.description,
  };
}

export function listBudgetLines(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  year: number,
  fundCode?: string,
): Promise<BudgetLineView[]> {
  return read(db, actor, ambitoId, async (trx) => {
    const [lines, figures] = await Promise.all([q.listLinesWithPlace(trx, year), lineFigures(trx, year)]);
    return lines
      .filter((l) => !fundCode || l.fund_code === fundCode)
      .map((l) => toLineView(l, figures.byLine.get(l.id) ?? { committed: 0, paid: 0 }));
  });
}

/** One line down to its acts: every commitment with its payments. */
export function getBudgetLine(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  lineId: string,
): Promise<BudgetLineDetail> {
  return read(db, actor, ambitoId, async (trx) => {
    const line = await q.findBudgetLine(trx, lineId);
    if (!line) throw notFound('Linea di bilancio');
    const placed = (await q.listLinesWithPlace(trx, line.year)).find((l) => l.id === lineId);
    if (!placed) throw notFound('Linea di bilancio');
    const { commitments, payments } = await q.listLineMovements(trx, lineId);
    let committed = 0;
    let paid = 0;
    const views = commitments.map((c) => {
      const own = payments.filter((p) => p.commitment_id === c.id);
      let paidHere = 0;
      for (const p of own) paidHere += p.amount_cents;
      committed += c.amount_cents;
      paid += paidHere;
      return {
        id: c.id,
        number: c.number,
        date: c.commit_date,
        amountCents: c.amount_cents,
        paidCents: paidHere,
        payeeKind: c.payee_kind,
        payeeName: c.payee_name,
        comuneIstat: c.comune_istat,
        description: c.description,
        act: { id: c.act_id, kind: c.act_kind, number: c.act_number, date: c.act_date },
        payments: own.map((p) => ({
          id: p.id,
          number: p.number,
          date: p.pay_date,
          amountCents: p.amount_cents,
          payeeName: p.payee_name,
          beneficiaries: p.beneficiaries,
          act: { id: p.act_id, kind: p.act_kind, number: p.act_number, date: p.act_date },
        })),
      };
    });
    return { ...toLineView(placed, { committed, paid }), commitments: views };
  });
}
