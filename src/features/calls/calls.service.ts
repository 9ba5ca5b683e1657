import type { Kysely } from 'kysely';
import { type Tx, withReference, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan, can } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { normaliseIban } from './applicant.js';
import * as q from './calls.queries.js';
import type { CallInput, CallView } from './calls.schemas.js';
import { validateCallRules } from './rules.schemas.js';

export type CallRow = NonNullable<Awaited<ReturnType<typeof q.findCall>>>;

/** Accepts applications in [opens_at, closes_at): the closing instant itself is too late. */
export function isOpen(call: { status: string; opens_at: Date; closes_at: Date }, at: Date): boolean {
  return call.status === 'published' && at >= call.opens_at && at < call.closes_at;
}

/**
 * Opens the tenant session of the call's Ambito and loads the call. Drafts exist only for the
 * Ambito's Ufficio di Piano: anyone else gets the same 404 as for a call that does not exist.
 */
export async function withCall<T>(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  fn: (trx: Tx, call: CallRow) => Promise<T>,
): Promise<T> {
  const ambitoId = await withReference(db, (trx) => q.findCallAmbito(trx, callId));
  if (!ambitoId) throw notFound('Bando');
  return withTenant(db, { ambitoId }, async (trx) => {
    const call = await q.findCall(trx, callId);
    if (!call) throw notFound('Bando');
    if (call.status === 'draft' && !can(actor, 'calls:write', { ambitoId })) throw notFound('Bando');
    return fn(trx, call);
  });
}

export function toCallView(call: CallRow, applications: number | null, now = new Date()): CallView {
  return {
    id: call.id,
    ambitoId: call.ambito_id,
    code: call.code,
    title: call.title,
    template: call.template,
    description: call.description,
    budgetLineId: call.budget_line_id,
    approvalAct: { id: call.approval_act_id, number: call.act_number, date: call.act_date },
    opensAt: call.opens_at.toISOString(),
    closesAt: call.closes_at.toISOString(),
    budgetCents: call.budget_cents,
    rules: call.rules as CallView['rules'],
    status: call.status,
    open: isOpen(call, now),
    applications,
    revision: call.revision,
  };
}

/** Published calls are public (anyone may read what they can apply to); drafts are the office's. */
export function listCalls(db: Kysely<DB>, actor: Actor, ambitoId: string): Promise<CallView[]> {
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await trx.selectFrom('ambiti').select('id').where('id', '=', ambitoId).executeTakeFirst()))
      throw notFound('Ambito');
    const office = can(actor, 'calls:write', { ambitoId });
    const calls = await q.listCalls(trx, office);
    const counts = office ? await q.countApplications(trx) : new Map<string, number>();
    return calls.map((c) => toCallView(c, office ? (counts.get(c.id) ?? 0) : null));
  });
}

export function getCall(db: Kysely<DB>, actor: Actor, callId: string): Promise<CallView> {
  return withCall(db, actor, callId, async (trx, call) => {
    const office = can(actor, 'calls:write', { ambitoId: call.ambito_id });
    const counts = office ? await q.countApplications(trx) : null;
    return toCallView(call, counts ? (counts.get(call.id) ?? 0) : null);
  });
}

/** Checks what the stored rules cannot: the line, the act, the window, the IBAN. */
async function checkCall(trx: Tx, input: CallInput) {
  const rules = validateCallRules(input.rules);
  const line = await q.findBudgetLineAvailability(trx, input.budgetLineId);
  if (!line) throw invalid('budgetLineId', 'linea di bilancio sconosciuta');
  if (input.budgetCents > line.available_cents)
    throw invalid(
      'budgetCents',
      `supera il disponibile della linea di bilancio (${line.available_cents} centesimi)`,
    );
  const act = await trx
    .selectFrom('acts')
    .select(['kind'])
    .where('id', '=', input.approvalActId)
    .executeTakeFirst();
  if (!act) throw invalid('approvalActId', 'atto sconosciuto: registrarlo prima nel registro degli atti');
  if (act.kind !== 'delibera_assemblea')
    throw invalid(
      'approvalActId',
      'i criteri del bando sono approvati da una deliberazione dell’Assemblea dei Sindaci',
    );
  if (new Date(input.closesAt) <= new Date(input.opensAt))
    throw invalid('closesAt', 'la chiusura deve seguire l’apertura');
  const iban = normaliseIban(input.debtorIban);
  if (!iban) throw invalid('debtorIban', 'IBAN non valido');
  return { rules, iban };
}

export function createCall(db: Kysely<DB>, actor: Actor, ambitoId: string, input: CallInput) {
  assertCan(actor, 'calls:write', { ambitoId, resourceType: 'call' });
  return withTenant(db, { ambitoId }, async (trx) => {
    const { rules, iban } = await checkCall(trx, input);
    const row = await trx
      .insertInto('calls')
      .values({
        ambito_id: ambitoId,
        code: input.code,
        title: input.title,
        template: input.template,
        description: input.description,
        budget_line_id: input.budgetLineId,
        approval_act_id: input.approvalActId,
        opens_at: new Date(input.opensAt),
        closes_at: new Date(input.closesAt),
        budget_cents: input.budgetCents,
        rules: JSON.stringify(rules),
        debtor_name: input.debtorName,
        debtor_iban: iban,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e) => {
        if ((e as { code?: string }).code === '23505')
          throw conflict('code', 'esiste già un bando con questo codice');
        throw e;
      });
    await audit(trx, actor, {
      action: 'call.create',
      resourceType: 'call',
      resourceId: row.id,
      ambitoId,
      detail: { code: input.code, budgetCents: input.budgetCents, actId: input.approvalActId },
    });
    return row;
  });
}

export function updateCall(db: Kysely<DB>, actor: Actor, callId: string, input: CallInput, ifMatch?: string) {
  return withCall(db, actor, callId, async (trx, call) => {
    assertCan(actor, 'calls:write', { ambitoId: call.ambito_id, resourceType: 'call', resourceId: callId });
    if (ifMatch === undefined)
      throw new DomainError('PRECONDITION_REQUIRED', 'Indicare la versione letta (If-Match)');
    if (ifMatch.replace(/"/g, '') !== String(call.revision))
      throw new DomainError(
        'PRECONDITION_FAILED',
        'Il bando è stato modificato da un altro utente: ricaricare',
      );
    if (call.status !== 'draft' && call.opens_at <= new Date())
      throw conflict('opensAt', 'il bando è aperto: regole, date e budget non si modificano più');
    const { rules, iban } = await checkCall(trx, input);
    await trx
      .updateTable('calls')
      .set({
        code: input.code,
        title: input.title,
        template: input.template,
        description: input.description,
        budget_line_id: input.budgetLineId,
        approval_act_id: input.approvalActId,
        opens_at: new Date(input.opensAt),
        closes_at: new Date(input.closesAt),
        budget_cents: input.budgetCents,
        rules: JSON.stringify(rules),
        debtor_name: input.debtorName,
        debtor_iban: iban,
        revision: call.revision + 1,
        updated_at: new Date(),
      })
      .where('id', '=', callId)
      .execute();
    await audit(trx, actor, {
      action: 'call.update',
      resourceType: 'call',
      resourceId: callId,
      ambitoId: call.ambito_id,
    });
    return { revision: call.revision + 1 };
  });
}

/** Publishes a draft: from its opening instant it accepts applications and is frozen. */
export function publishCall(db: Kysely<DB>, actor: Actor, callId: string) {
  return withCall(db, actor, callId, async (trx, call) => {
    assertCan(actor, 'calls:write', { ambitoId: call.ambito_id, resourceType: 'call', resourceId: callId });
    if (call.status !== 'draft') throw conflict('status', 'il bando è già pubblicato');
    if (call.closes_at <= new Date()) throw conflict('closesAt', 'la data di chiusura è già passata');
    await trx
      .updateTable('calls')
      .set({ status: 'published', updated_at: new Date() })
      .where('id', '=', callId)
      .execute();
    await audit(trx, actor, {
      action: 'call.publish',
      resourceType: 'call',
      resourceId: callId,
      ambitoId: call.ambito_id,
    });
    return { status: 'published' as const };
  });
}
