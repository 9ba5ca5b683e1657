import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';

export async function findCallAmbito(trx: Tx, callId: string): Promise<string | undefined> {
  const r = await sql<{ ambito: string | null }>`select call_ambito(${callId}::uuid) as ambito`.execute(trx);
  return r.rows[0]?.ambito ?? undefined;
}

function callsWithAct(trx: Tx) {
  return trx
    .selectFrom('calls as c')
    .innerJoin('acts as t', (j) =>
      j.onRef('t.ambito_id', '=', 'c.ambito_id').onRef('t.id', '=', 'c.approval_act_id'),
    )
    .selectAll('c')
    .select(['t.number as act_number', 't.act_date as act_date']);
}

export function findCall(trx: Tx, callId: string) {
  return callsWithAct(trx).where('c.id', '=', callId).executeTakeFirst();
}

export function listCalls(trx: Tx, withDrafts: boolean) {
  let query = callsWithAct(trx);
  if (!withDrafts) query = query.where('c.status', '<>', 'draft');
  return query.orderBy('c.opens_at', 'desc').execute();
}

export async function countApplications(trx: Tx): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('applications')
    .select(['call_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('call_id')
    .execute();
  return new Map(rows.map((r) => [r.call_id, r.n]));
}

/** A budget line with what is still uncommitted on it. */
export async function findBudgetLineAvailability(trx: Tx, lineId: string) {
  const { rows } = await sql<{ id: string; year: number; available_cents: number }>`
    select l.id, l.year, (l.amount_cents - coalesce(sum(c.amount_cents), 0))::bigint as available_cents
    from budget_lines l
    left join commitments c on c.ambito_id = l.ambito_id and c.budget_line_id = l.id
    where l.id = ${lineId}
    group by l.id, l.year, l.amount_cents`.execute(trx);
  return rows[0];
}

/** The Comuni of the Ambito on a date (residence requirement of a call). */
export async function memberIstatOn(trx: Tx, date: string): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('ambito_comuni')
    .select('istat_code')
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
    .execute();
  return new Set(rows.map((r) => r.istat_code));
}

/** The codice fiscale on a person's account (from SPID/CIE or set on a local account), if any. */
export async function findUserCodiceFiscale(trx: Tx, userId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('users')
    .select('codice_fiscale')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.codice_fiscale ?? null;
}

/** Which Ambiti hold a person's applications, filed by them or for their codice fiscale. */
export async function applicationsOfPerson(trx: Tx, userId: string, cf: string | null) {
  const { rows } = await sql<{ ambito_id: string; application_id: string }>`
    select ambito_id, application_id from applications_of_person(${userId}::uuid, ${cf})`.execute(trx);
  return rows;
}

/** A person's applications in the tenant session: those they filed and those filed for them. */
export function listPersonApplications(trx: Tx, ids: string[], userId: string, cf: string | null) {
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
    .select(['a.user_id', 'a.applicant_cf', 'a.relationship', 'a.data', 'a.contested_at'])
    .select(['e.position', 'e.outcome', 'e.awarded_cents'])
    .where('a.id', 'in', ids)
    .where((eb) =>
      cf === null
        ? eb('a.user_id', '=', userId)
        : eb.or([eb('a.user_id', '=', userId), eb('a.applicant_cf', '=', cf)]),
    )
    .execute();
}

/** The contests of the listed applications, for the office's review list. */
export async function contestsOf(trx: Tx, ids: string[]) {
  if (ids.length === 0) return new Map<string, { note: string; at: Date }>();
  const rows = await trx
    .selectFrom('applications')
    .select(['id', 'contest_note', 'contested_at'])
    .where('id', 'in', ids)
    .where('contested_at', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, { note: r.contest_note ?? '', at: r.contested_at as Date }]));
}
