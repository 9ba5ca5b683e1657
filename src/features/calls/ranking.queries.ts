import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { ApplicationStatus } from '../../db/types.js';
import type { AwardMode, TieBreaker } from './rules.schemas.js';

export interface RankInput {
  ambitoId: string;
  callId: string;
  budgetCents: number;
  mode: AwardMode;
  ties: readonly TieBreaker[];
  /** Why the ranking is computed again; with it, every change of award is recorded. */
  reason?: string;
  by?: string;
  /** Number the positions again (a ranking act); otherwise the approved positions stay. */
  renumber?: boolean;
}

/** Ranks the call and writes its entries in the database (migration 0006); returns the changes recorded. */
export async function rankCall(trx: Tx, r: RankInput): Promise<number> {
  const { rows } = await sql<{ changes: number }>`
    select rank_call(${r.ambitoId}::uuid, ${r.callId}::uuid, ${r.budgetCents}::bigint, ${r.mode},
      array(select t from jsonb_array_elements_text(${JSON.stringify(r.ties)}::jsonb) with ordinality x(t, i) order by i),
      ${r.reason ?? null}, ${r.by ?? null}, ${r.renumber ?? true}) as changes`.execute(trx);
  return rows[0]?.changes ?? 0;
}

/** Serialises the writers of one call's ranking (review, withdrawal, budget, publication). */
export async function lockCall(trx: Tx, callId: string): Promise<void> {
  await sql`select id from calls where id = ${callId} for update`.execute(trx);
}

export async function findRankingActs(trx: Tx, callId: string) {
  const { rows } = await sql<{ kind: 'provisional' | 'final'; id: string; number: string; act_date: string }>`
    select 'provisional' as kind, t.id, t.number, t.act_date from calls c
      join acts t on t.ambito_id = c.ambito_id and t.id = c.ranking_act_id where c.id = ${callId}
    union all
    select 'final', t.id, t.number, t.act_date from calls c
      join acts t on t.ambito_id = c.ambito_id and t.id = c.final_act_id where c.id = ${callId}`.execute(trx);
  return rows;
}

export async function setRankingPhase(
  trx: Tx,
  callId: string,
  phase: 'provisional' | 'final',
  actId: string,
) {
  if (phase === 'provisional')
    await sql`update calls set status = 'ranked', ranked_at = now(), ranking_act_id = ${actId}, updated_at = now()
      where id = ${callId}`.execute(trx);
  else
    await sql`update calls set status = 'final', final_at = now(), final_act_id = ${actId}, updated_at = now()
      where id = ${callId}`.execute(trx);
}

/** Applications still waiting for a decision, which a ranking cannot leave out. */
export async function countPending(trx: Tx, callId: string) {
  const { rows } = await sql<{ submitted: number; integration: number }>`
    select count(*) filter (where status = 'submitted')::int as submitted,
      count(*) filter (where status = 'integration_requested')::int as integration
    from applications where call_id = ${callId} and status in ('submitted', 'integration_requested')`.execute(
    trx,
  );
  return rows[0] ?? { submitted: 0, integration: 0 };
}

export interface RankingTotals {
  entries: number;
  funded: number;
  partially_funded: number;
  not_funded: number;
  excluded: number;
  awarded_cents: number;
}

export async function rankingTotals(trx: Tx, callId: string): Promise<RankingTotals> {
  const { rows } = await sql<RankingTotals>`
    select count(*)::int as entries,
      count(*) filter (where outcome = 'funded')::int as funded,
      count(*) filter (where outcome = 'partially_funded')::int as partially_funded,
      count(*) filter (where outcome = 'not_funded')::int as not_funded,
      count(*) filter (where outcome = 'excluded')::int as excluded,
      coalesce(sum(awarded_cents), 0)::bigint as awarded_cents
    from ranking_entries where call_id = ${callId}`.execute(trx);
  return rows[0] as RankingTotals;
}

/** The published ranking: protocol numbers only, ranked entries first, then the excluded. */
export function listEntries(trx: Tx, callId: string, offset: number, limit: number) {
  return trx
    .selectFrom('ranking_entries as e')
    .innerJoin('applications as a', (j) =>
      j.onRef('a.ambito_id', '=', 'e.ambito_id').onRef('a.id', '=', 'e.application_id'),
    )
    .select(['e.position', 'a.protocol', 'e.points', 'e.outcome', 'e.awarded_cents'])
    .where('e.call_id', '=', callId)
    .orderBy(sql`e.position asc nulls last`)
    .orderBy('a.seq')
    .offset(offset)
    .limit(limit)
    .execute();
}

export function listChanges(trx: Tx, callId: string, limit: number) {
  return trx
    .selectFrom('ranking_changes as c')
    .innerJoin('applications as a', (j) =>
      j.onRef('a.ambito_id', '=', 'c.ambito_id').onRef('a.id', '=', 'c.application_id'),
    )
    .select([
      'c.id',
      'a.protocol',
      'c.from_outcome',
      'c.to_outcome',
      'c.from_cents',
      'c.to_cents',
      'c.reason',
      'c.changed_at',
      'c.changed_by',
    ])
    .where('c.call_id', '=', callId)
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

export function findEntry(trx: Tx, applicationId: string) {
  return trx
    .selectFrom('ranking_entries')
    .select(['position', 'outcome', 'awarded_cents'])
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
}

/** One application of the call (an id of another call is not found). */
export function findApplication(trx: Tx, callId: string, applicationId: string) {
  return trx
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .where('call_id', '=', callId)
    .executeTakeFirst();
}

/** A page of the call's applications in acceptance order, with how many there are in all. */
export async function listApplicationsPage(
  trx: Tx,
  callId: string,
  status: ApplicationStatus | undefined,
  page: number,
  size: number,
) {
  let base = trx.selectFrom('applications').where('call_id', '=', callId);
  if (status) base = base.where('status', '=', status);
  const [{ total }, rows] = await Promise.all([
    base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'protocol', 'received_at', 'status', 'points', 'amount_cents', 'eligibility', 'data'])
      .select('applicant_cf')
      .orderBy('seq')
      .offset((page - 1) * size)
      .limit(size)
      .execute(),
  ]);
  return { total, rows };
}

export function listAttachments(trx: Tx, applicationId: string) {
  return trx
    .selectFrom('application_attachments')
    .select(['code', 'filename', 'content_type', 'bytes', 'sha256'])
    .where('application_id', '=', applicationId)
    .orderBy('code')
    .execute();
}

export async function findComuneName(trx: Tx, istatCode: string): Promise<string | null> {
  const row = await trx
    .selectFrom('comuni')
    .select('name')
    .where('istat_code', '=', istatCode)
    .executeTakeFirst();
  return row?.name ?? null;
}

export function findAttachment(trx: Tx, callId: string, applicationId: string, code: string) {
  return trx
    .selectFrom('application_attachments as f')
    .innerJoin('applications as a', (j) =>
      j.onRef('a.ambito_id', '=', 'f.ambito_id').onRef('a.id', '=', 'f.application_id'),
    )
    .select(['f.filename', 'f.content_type', 'f.content'])
    .where('a.call_id', '=', callId)
    .where('f.application_id', '=', applicationId)
    .where('f.code', '=', code)
    .executeTakeFirst();
}

/** The person's applications among these ids, with their call and ranking entry (if any). */
export function listOwnApplications(trx: Tx, ids: string[], userId: string) {
  return trx
    .selectFrom('applications as a')
    .innerJoin('calls as c', (j) =>
      j.onRef('c.ambito_id', '=', 'a.ambito_id').onRef('c.id', '=', 'a.call_id'),
    )
    .leftJoin('ranking_entries as e', (j) =>
      j.onRef('e.ambito_id', '=', 'a.ambito_id').onRef('e.application_id', '=', 'a.id'),
    )
    .select(['a.id', 'a.call_id', 'a.protocol', 'a.received_at', 'a.status', 'a.status_reason'])
    .select(['a.integration_due', 'c.code', 'c.title', 'c.status as call_status'])
    .select(['e.position', 'e.outcome', 'e.awarded_cents'])
    .where('a.id', 'in', ids)
    .where('a.user_id', '=', userId)
    .execute();
}

/** Which Ambiti hold a person's applications (a security-definer lookup across tenants). */
export async function applicationsOfUser(trx: Tx, userId: string) {
  const { rows } = await sql<{ ambito_id: string; application_id: string }>`
    select ambito_id, application_id from applications_of_user(${userId}::uuid)`.execute(trx);
  return rows;
}
