import type { Kysely } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { formatEuro } from '../../format.js';
import type { Actor } from '../../http/auth.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import * as calls from './calls.queries.js';
import { type CallRow, withCall } from './calls.service.js';
import * as q from './ranking.queries.js';
import type { BudgetBody, RankingBody, RankingChange, RankingResult, RankingView } from './review.routes.js';
import type { CallRules } from './rules.schemas.js';

const DAY_MS = 86_400_000;
const ROME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  dateStyle: 'long',
  timeStyle: 'short',
});
export const PAGE_SIZE = 200;

export const actorName = (actor: Actor) => (actor.kind === 'anonymous' ? 'anonimo' : actor.username);

/** The end of the appeals window of a provisional ranking: appealDays after it was published. */
export function appealDeadline(call: Pick<CallRow, 'ranked_at' | 'rules'>): Date | null {
  if (!call.ranked_at) return null;
  return new Date(call.ranked_at.getTime() + (call.rules as CallRules).appealDays * DAY_MS);
}

/** Locks the call for this transaction and reads it again: its ranking has one writer at a time. */
export async function lockedCall(trx: Tx, callId: string): Promise<CallRow> {
  await q.lockCall(trx, callId);
  const call = await calls.findCall(trx, callId);
  if (!call) throw notFound('Bando');
  return call;
}

export const hasRanking = (call: Pick<CallRow, 'status'>) =>
  call.status === 'ranked' || call.status === 'final';

/**
 * After the ranking, any change that frees or adds funds (a withdrawal, an exclusion, a
 * readmission, a larger budget) awards the budget again: the next applicants are funded and every
 * change of outcome or amount is recorded with its reason. The approved positions stay, unless an
 * application enters the ranking (readmitted after review): then the list is numbered again.
 */
export async function reaward(
  trx: Tx,
  actor: Actor,
  call: CallRow,
  reason: string,
  opts: { budgetCents?: number; renumber?: boolean } = {},
): Promise<number> {
  if (!hasRanking(call)) return 0;
  const rules = call.rules as CallRules;
  const changes = await q.rankCall(trx, {
    ambitoId: call.ambito_id,
    callId: call.id,
    budgetCents: opts.budgetCents ?? call.budget_cents,
    mode: rules.onDoesNotFit,
    ties: rules.ties,
    reason,
    by: actorName(actor),
    renumber: opts.renumber ?? false,
  });
  if (changes > 0)
    await audit(trx, actor, {
      action: 'call.ranking.reaward',
      resourceType: 'call',
      resourceId: call.id,
      ambitoId: call.ambito_id,
      detail: { reason, changes },
    });
  return changes;
}

/** The ranking is approved by a determina of the Ufficio di Piano registered in the Ambito's acts. */
async function requireDetermina(trx: Tx, actId: string) {
  const act = await trx
    .selectFrom('acts')
    .select(['id', 'kind', 'number', 'act_date'])
    .where('id', '=', actId)
    .executeTakeFirst();
  if (!act) throw invalid('actId', 'atto sconosciuto: registrarlo prima nel registro degli atti dell’Ambito');
  if (act.kind !== 'determina_udp')
    throw invalid('actId', 'la graduatoria si approva con una determina dell’Ufficio di Piano');
  return act;
}

async function checkCanRank(trx: Tx, call: CallRow, phase: RankingBody['phase'], now: Date) {
  if (call.status === 'draft') throw conflict('status', 'il bando non è stato pubblicato');
  if (call.closes_at > now)
    throw conflict(
      'closesAt',
      `il bando chiude il ${ROME.format(call.closes_at)}: la graduatoria si forma dopo`,
    );
  if (call.status === 'final') throw conflict('phase', 'la graduatoria è già definitiva');
  if (phase === 'final') {
    if (call.status !== 'ranked') throw conflict('phase', 'serve prima la graduatoria provvisoria');
    const deadline = appealDeadline(call);
    if (deadline && now < deadline)
      throw conflict(
        'phase',
        `i termini per i ricorsi scadono il ${ROME.format(deadline)}: la graduatoria definitiva si approva dopo`,
      );
  }
  const pending = await q.countPending(trx, call.id);
  const count = pending.submitted + pending.integration;
  if (count > 0)
    throw conflict(
      'status',
      `${count === 1 ? '1 domanda è' : `${count} domande sono`} ancora da istruire (${pending.submitted} presentate, ${pending.integration} in attesa di integrazione)`,
    );
}

async function resultOf(trx: Tx, callId: string, changes: number): Promise<RankingResult> {
  const call = await calls.findCall(trx, callId);
  if (!call) throw notFound('Bando');
  const t = await q.rankingTotals(trx, callId);
  return {
    status: call.status,
    rankedAt: call.ranked_at?.toISOString() ?? null,
    finalAt: call.final_at?.toISOString() ?? null,
    appealDeadline: appealDeadline(call)?.toISOString() ?? null,
    budgetCents: call.budget_cents,
    awardedCents: t.awarded_cents,
    counts: {
      funded: t.funded,
      partiallyFunded: t.partially_funded,
      notFunded: t.not_funded,
      excluded: t.excluded,
    },
    changes,
  };
}

/** Approves the provisional or the final ranking: computed in the database, recorded with its act. */
export function publishRanking(db: Kysely<DB>, actor: Actor, callId: string, body: RankingBody) {
  return withCall(db, actor, callId, async (trx, loaded) => {
    const ambitoId = loaded.ambito_id;
    assertCan(actor, 'applications:review', { ambitoId, resourceType: 'call', resourceId: callId });
    const call = await lockedCall(trx, callId);
    await checkCanRank(trx, call, body.phase, new Date());
    const act = await requireDetermina(trx, body.actId);
    const rules = call.rules as CallRules;
    const label = body.phase === 'final' ? 'graduatoria definitiva' : 'graduatoria provvisoria';
    const changes = await q.rankCall(trx, {
      ambitoId,
      callId,
      budgetCents: call.budget_cents,
      mode: rules.onDoesNotFit,
      ties: rules.ties,
      reason: `${label} (atto ${act.number})`,
      by: actorName(actor),
    });
    await q.setRankingPhase(trx, callId, body.phase, act.id);
    const result = await resultOf(trx, callId, changes);
    await audit(trx, actor, {
      action: `call.ranking.${body.phase}`,
      resourceType: 'call',
      resourceId: callId,
      ambitoId,
      detail: {
        actId: act.id,
        act: act.number,
        changes,
        awardedCents: result.awardedCents,
        ...result.counts,
      },
    });
    return result;
  });
}

/** Adds funds by a new act: the budget only grows, and the ranking (if any) is awarded again. */
export function increaseBudget(db: Kysely<DB>, actor: Actor, callId: string, body: BudgetBody) {
  return withCall(db, actor, callId, async (trx, loaded) => {
    const ambitoId = loaded.ambito_id;
    assertCan(actor, 'calls:write', { ambitoId, resourceType: 'call', resourceId: callId });
    const call = await lockedCall(trx, callId);
    if (call.status === 'draft') throw conflict('status', 'un bando in bozza si modifica, non si integra');
    if (body.budgetCents < call.budget_cents)
      throw invalid('budgetCents', `il budget non può diminuire (ora ${formatEuro(call.budget_cents)})`);
    const act = await trx
      .selectFrom('acts')
      .select(['id', 'number'])
      .where('id', '=', body.actId)
      .executeTakeFirst();
    if (!act)
      throw invalid('actId', 'atto sconosciuto: registrarlo prima nel registro degli atti dell’Ambito');
    const line = await calls.findBudgetLineAvailability(trx, call.budget_line_id);
    const own = call.commitment_id
      ? ((
          await trx
            .selectFrom('commitments')
            .select('amount_cents')
            .where('id', '=', call.commitment_id)
            .executeTakeFirst()
        )?.amount_cents ?? 0)
      : 0;
    if (line && body.budgetCents > line.available_cents + own)
      throw invalid(
        'budgetCents',
        `supera il disponibile della linea di bilancio (${formatEuro(line.available_cents + own)})`,
      );
    await trx
      .updateTable('calls')
      .set({ budget_cents: body.budgetCents, updated_at: new Date() })
      .where('id', '=', callId)
      .execute();
    const changes = await reaward(
      trx,
      actor,
      call,
      `budget aumentato a ${formatEuro(body.budgetCents)} (atto ${act.number})`,
      { budgetCents: body.budgetCents },
    );
    await audit(trx, actor, {
      action: 'call.budget.increase',
      resourceType: 'call',
      resourceId: callId,
      ambitoId,
      detail: { from: call.budget_cents, to: body.budgetCents, actId: act.id, act: act.number, changes },
    });
    return resultOf(trx, callId, changes);
  });
}

/** The published ranking: public once provisional, by protocol number only (never names). */
export function getRanking(db: Kysely<DB>, actor: Actor, callId: string, page: number): Promise<RankingView> {
  return withCall(db, actor, callId, async (trx, call) => {
    if (!hasRanking(call)) throw notFound('Graduatoria');
    const [result, acts, entries] = await Promise.all([
      resultOf(trx, callId, 0),
      q.findRankingActs(trx, callId),
      q.listEntries(trx, callId, (page - 1) * PAGE_SIZE, PAGE_SIZE),
    ]);
    const { changes: _, ...rest } = result;
    return {
      callId,
      code: call.code,
      title: call.title,
      phase: call.status === 'final' ? 'final' : 'provisional',
      ...rest,
      acts: acts.map((a) => ({ phase: a.kind, number: a.number, date: a.act_date })),
      page,
      pageSize: PAGE_SIZE,
      total: Object.values(result.counts).reduce((s, n) => s + n, 0),
      entries: entries.map((e) => ({
        position: e.position,
        protocol: e.protocol,
        points: e.points,
        outcome: e.outcome,
        awardedCents: e.awarded_cents,
      })),
    };
  });
}

/** Every change of award after the first ranking, newest first (protocol numbers, no names). */
export function listRankingChanges(db: Kysely<DB>, actor: Actor, callId: string): Promise<RankingChange[]> {
  return withCall(db, actor, callId, async (trx, call) => {
    assertCan(actor, 'applications:read', {
      ambitoId: call.ambito_id,
      resourceType: 'call',
      resourceId: callId,
    });
    const rows = await q.listChanges(trx, callId, 1000);
    return rows.map((r) => ({
      id: r.id,
      protocol: r.protocol,
      fromOutcome: r.from_outcome,
      toOutcome: r.to_outcome,
      fromCents: r.from_cents,
      toCents: r.to_cents,
      reason: r.reason,
      changedAt: r.changed_at.toISOString(),
      changedBy: r.changed_by,
    }));
  });
}
