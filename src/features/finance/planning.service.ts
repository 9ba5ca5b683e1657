import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import * as q from './finance.queries.js';
import type { AssignmentInput, BudgetLineInput, FundInput } from './finance.schemas.js';
import { moneyError, requireAct, write } from './finance.service.js';

/** Planning the year's money: funds, their assignment to the Ambito, budget lines, closing. */
export function createFund(db: Kysely<DB>, actor: Actor, ambitoId: string, input: FundInput) {
  return write(db, actor, ambitoId, 'fund', async (trx) => {
    if (await q.findFundByCode(trx, input.code))
      throw conflict('code', 'esiste già un fondo con questo codice');
    const row = await trx
      .insertInto('funds')
      .values({ ambito_id: ambitoId, code: input.code, name: input.name, source: input.source })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'fund.create',
      resourceType: 'fund',
      resourceId: row.id,
      ambitoId,
      detail: { code: input.code },
    });
    return row;
  });
}

export function createAssignment(db: Kysely<DB>, actor: Actor, ambitoId: string, input: AssignmentInput) {
  return write(db, actor, ambitoId, 'fund_assignment', async (trx) => {
    const fund = await q.findFundByCode(trx, input.fundCode);
    if (!fund) throw invalid('fundCode', 'fondo sconosciuto');
    const act = await requireAct(trx, input.actId);
    if (await q.isYearClosed(trx, input.year)) throw conflict('year', `l’esercizio ${input.year} è chiuso`);
    // The fund's rules of the year apply unless the assigning act states its own.
    const rules = await q.findFundYear(trx, fund.id, input.year);
    const row = await trx
      .insertInto('fund_assignments')
      .values({
        ambito_id: ambitoId,
        fund_id: fund.id,
        year: input.year,
        amount_cents: input.amountCents,
        act_id: input.actId,
        min_share_area:
          input.minShareArea === undefined ? (rules?.min_share_area ?? null) : input.minShareArea,
        min_share_bp:
          input.minShareBasisPoints === undefined ? (rules?.min_share_bp ?? null) : input.minShareBasisPoints,
        spend_by:
          input.spendBy === undefined
            ? rules?.spend_months != null
              ? spendDeadline(input.year, rules.spend_months)
              : null
            : input.spendBy,
        report_by: input.reportBy,
        note: input.note,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'finance.assignment.create',
      resourceType: 'fund_assignment',
      resourceId: row.id,
      ambitoId,
      detail: {
        fund: fund.code,
        year: input.year,
        amountCents: input.amountCents,
        act: act.number,
        actId: act.id,
      },
    });
    return row;
  });
}

/** The last day of the month `months` after the end of `year`. */
function spendDeadline(year: number, months: number): string {
  const end = new Date(Date.UTC(year + 1, months, 0));
  return end.toISOString().slice(0, 10);
}

export function createBudgetLine(db: Kysely<DB>, actor: Actor, ambitoId: string, input: BudgetLineInput) {
  return write(db, actor, ambitoId, 'budget_line', async (trx) => {
    const assignment = await q.findAssignment(trx, input.assignmentId);
    if (!assignment) throw invalid('assignmentId', 'assegnazione sconosciuta');
    if (!(await trx.selectFrom('actions').select('id').where('id', '=', input.actionId).executeTakeFirst()))
      throw invalid('actionId', 'azione del Piano sconosciuta');
    const row = await trx
      .insertInto('budget_lines')
      .values({
        ambito_id: ambitoId,
        assignment_id: input.assignmentId,
        year: assignment.year,
        code: input.code,
        action_id: input.actionId,
        area: input.area,
        intervention: input.intervention,
        amount_cents: input.amountCents,
        description: input.description,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e) => moneyError(e, 'code'));
    await audit(trx, actor, {
      action: 'finance.budget_line.create',
      resourceType: 'budget_line',
      resourceId: row.id,
      ambitoId,
      detail: {
        code: input.code,
        amountCents: input.amountCents,
        assignmentId: input.assignmentId,
        actId: assignment.act_id,
      },
    });
    return row;
  });
}

export function updateBudgetLine(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  lineId: string,
  input: { amountCents: number; description?: string | undefined },
) {
  return write(db, actor, ambitoId, 'budget_line', async (trx) => {
    const before = await q.findBudgetLine(trx, lineId);
    if (!before) throw notFound('Linea di bilancio');
    await trx
      .updateTable('budget_lines')
      .set({
        amount_cents: input.amountCents,
        ...(input.description === undefined ? {} : { description: input.description }),
      })
      .where('id', '=', lineId)
      .execute()
      .catch((e) => moneyError(e));
    await audit(trx, actor, {
      action: 'finance.budget_line.update',
      resourceType: 'budget_line',
      resourceId: lineId,
      ambitoId,
      detail: { code: before.code, fromCents: before.amount_cents, toCents: input.amountCents },
    });
    return { id: lineId };
  });
}

export function deleteBudgetLine(db: Kysely<DB>, actor: Actor, ambitoId: string, lineId: string) {
  return write(db, actor, ambitoId, 'budget_line', async (trx) => {
    const before = await q.findBudgetLine(trx, lineId);
    if (!before) throw notFound('Linea di bilancio');
    if (await q.isYearClosed(trx, before.year)) throw conflict('year', `l’esercizio ${before.year} è chiuso`);
    if (
      await trx.selectFrom('commitments').select('id').where('budget_line_id', '=', lineId).executeTakeFirst()
    )
      throw conflict('id', 'la linea ha impegni: ridurla invece di eliminarla');
    await trx.deleteFrom('budget_lines').where('id', '=', lineId).execute();
    await audit(trx, actor, {
      action: 'finance.budget_line.delete',
      resourceType: 'budget_line',
      resourceId: lineId,
      ambitoId,
      detail: { code: before.code, amountCents: before.amount_cents },
    });
  });
}

/**
 * Closes a financial year: nothing more is budgeted or committed on it, and what each assignment
 * did not commit is carried over to the next year as a residuo that keeps its origin. Commitments
 * not yet paid stay payable (residui passivi).
 */
export function closeYear(db: Kysely<DB>, actor: Actor, ambitoId: string, year: number, actId: string) {
  return write(db, actor, ambitoId, 'financial_year', async (trx) => {
    const act = await requireAct(trx, actId);
    if (await q.isYearClosed(trx, year)) throw conflict('year', `l’esercizio ${year} è già chiuso`);
    if (await q.hasOpenEarlierYear(trx, year))
      throw conflict('year', 'chiudere prima gli esercizi precedenti');
    // Locks the year's assignments and lines: a budget line or commitment arriving now waits
    // for this transaction, then finds the year closed.
    const remainders = await q.uncommittedByAssignment(trx, year);
    await trx
      .insertInto('financial_years')
      .values({ ambito_id: ambitoId, year, close_act_id: actId })
      .execute();
    const carried: Array<{ fund: string; amountCents: number }> = [];
    for (const r of remainders) {
      if (r.remaining_cents <= 0) continue;
      await trx
        .insertInto('fund_assignments')
        .values({
          ambito_id: ambitoId,
          fund_id: r.fund_id,
          year: year + 1,
          amount_cents: r.remaining_cents,
          act_id: actId,
          carried_from_id: r.id,
          min_share_area: r.min_share_area,
          min_share_bp: r.min_share_bp,
          spend_by: r.spend_by,
          report_by: r.report_by,
          note: `Residuo ${year}`,
        })
        .execute();
      carried.push({ fund: r.fund_code, amountCents: r.remaining_cents });
    }
    await audit(trx, actor, {
      action: 'finance.year.close',
      resourceType: 'financial_year',
      resourceId: String(year),
      ambitoId,
      detail: { year, act: act.number, actId, carried },
    });
    return { year, carried };
  });
}
