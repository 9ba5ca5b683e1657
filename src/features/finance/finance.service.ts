import type { Kysely } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import * as q from './finance.queries.js';
import type {
  AssignmentInput,
  BudgetLineInput,
  CommitmentInput,
  FundInput,
  PaymentInput,
} from './finance.schemas.js';

/** The money rules the database enforces (migration 0004), as field errors for the user. */
const GUARDS: Record<string, { field: string; reason: string }> = {
  AM001: { field: 'year', reason: 'l’esercizio è chiuso: non si possono più impegnare né programmare somme' },
  AM002: { field: 'amountCents', reason: 'supera quanto resta dell’assegnazione del fondo' },
  AM003: { field: 'amountCents', reason: 'inferiore a quanto già impegnato o liquidato' },
  AM004: { field: 'amountCents', reason: 'supera il disponibile della linea di bilancio' },
  AM005: { field: 'amountCents', reason: 'supera quanto resta da liquidare sull’impegno' },
  AM006: { field: 'year', reason: 'l’anno non corrisponde a quello della linea o dell’assegnazione' },
};

/** Turns a refusal by a money trigger or a unique key into a 409 naming the field. */
export function moneyError(e: unknown, uniqueField = 'number'): never {
  const err = e as { code?: string; message?: string };
  const guard = err.code ? GUARDS[err.code] : undefined;
  if (guard) throw conflict(guard.field, `${guard.reason} (${err.message})`);
  if (err.code === '23505') throw conflict(uniqueField, 'numero già registrato per lo stesso anno');
  throw e;
}

/** Every money change names the act that decided it: the act must be in the Ambito's registry. */
export async function requireAct(trx: Tx, actId: string, field = 'actId') {
  const act = await q.findActRef(trx, actId);
  if (!act) throw invalid(field, 'atto sconosciuto: registrarlo prima nel registro degli atti dell’Ambito');
  return act;
}

function write<T>(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  resourceType: string,
  fn: (trx: Tx) => Promise<T>,
) {
  assertCan(actor, 'finance:write', { ambitoId, resourceType });
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await trx.selectFrom('ambiti').select('id').where('id', '=', ambitoId).executeTakeFirst()))
      throw notFound('Ambito');
    return fn(trx);
  });
}

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

/** Inside the caller's transaction: the HTTP route and the accounting import share it. */
export async function insertCommitment(trx: Tx, actor: Actor, ambitoId: string, input: CommitmentInput) {
  const line = await q.findBudgetLine(trx, input.budgetLineId);
  if (!line) throw invalid('budgetLineId', 'linea di bilancio sconosciuta');
  const act = await requireAct(trx, input.actId);
  if (input.comuneIstat && !(await q.isMemberComune(trx, input.comuneIstat)))
    throw invalid('comuneIstat', 'il Comune non appartiene all’Ambito');
  const row = await trx
    .insertInto('commitments')
    .values({
      ambito_id: ambitoId,
      budget_line_id: input.budgetLineId,
      year: line.year,
      number: input.number,
      act_id: input.actId,
      commit_date: input.date,
      amount_cents: input.amountCents,
      payee_kind: input.payeeKind,
      payee_name: input.payeeName,
      comune_istat: input.comuneIstat ?? null,
      description: input.description,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((e) => moneyError(e));
  await audit(trx, actor, {
    action: 'finance.commitment.create',
    resourceType: 'commitment',
    resourceId: row.id,
    ambitoId,
    detail: {
      number: input.number,
      line: line.code,
      amountCents: input.amountCents,
      act: act.number,
      actId: act.id,
    },
  });
  return row;
}

export function createCommitment(db: Kysely<DB>, actor: Actor, ambitoId: string, input: CommitmentInput) {
  return write(db, actor, ambitoId, 'commitment', (trx) => insertCommitment(trx, actor, ambitoId, input));
}

export async function insertPayment(trx: Tx, actor: Actor, ambitoId: string, input: PaymentInput) {
  const commitment = await q.findCommitment(trx, input.commitmentId);
  if (!commitment) throw invalid('commitmentId', 'impegno sconosciuto');
  const act = await requireAct(trx, input.actId);
  if (input.date < commitment.commit_date)
    throw invalid('date', 'la liquidazione non può precedere l’impegno');
  const row = await trx
    .insertInto('payments')
    .values({
      ambito_id: ambitoId,
      commitment_id: input.commitmentId,
      year: Number(input.date.slice(0, 4)),
      number: input.number,
      act_id: input.actId,
      pay_date: input.date,
      amount_cents: input.amountCents,
      payee_name: input.payeeName ?? commitment.payee_name,
      beneficiaries: input.beneficiaries ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((e) => moneyError(e));
  await audit(trx, actor, {
    action: 'finance.payment.create',
    resourceType: 'payment',
    resourceId: row.id,
    ambitoId,
    detail: {
      number: input.number,
      commitment: commitment.number,
      amountCents: input.amountCents,
      act: act.number,
      actId: act.id,
    },
  });
  return row;
}

export function createPayment(db: Kysely<DB>, actor: Actor, ambitoId: string, input: PaymentInput) {
  return write(db, actor, ambitoId, 'payment', (trx) => insertPayment(trx, actor, ambitoId, input));
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
