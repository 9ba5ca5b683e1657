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
