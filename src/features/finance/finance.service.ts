import type { Kysely } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import * as q from './finance.queries.js';
import type { CommitmentInput, PaymentInput } from './finance.schemas.js';

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

export function write<T>(
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
