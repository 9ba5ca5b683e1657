import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';

export async function findPlanAmbito(trx: Tx, planId: string): Promise<string | undefined> {
  const r = await sql<{ ambito: string | null }>`select plan_ambito(${planId}::uuid) as ambito`.execute(trx);
  return r.rows[0]?.ambito ?? undefined;
}

export function listPlans(trx: Tx) {
  return trx
    .selectFrom('plans')
    .selectAll()
    .orderBy('start_date', 'desc')
    .orderBy('edition', 'desc')
    .execute();
}

export function findPlan(trx: Tx, id: string) {
  return trx.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAct(trx: Tx, id: string) {
  return trx
    .selectFrom('acts')
    .select([
      'id',
      'kind',
      'body',
      'number',
      'act_date',
      'subject',
      sql<boolean>`pdf is not null`.as('has_pdf'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Every row of one plan's results framework, in six queries, for the tree builder. */
export async function loadPlanRows(trx: Tx, planId: string) {
  const [objectives, actions, resources, indicators, targets, values, rewards] = await Promise.all([
    trx
      .selectFrom('objectives')
      .selectAll()
      .where('plan_id', '=', planId)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    trx
      .selectFrom('actions')
      .selectAll()
      .where('plan_id', '=', planId)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    trx
      .selectFrom('action_resources as r')
      .innerJoin('actions as a', (j) =>
        j.onRef('a.id', '=', 'r.action_id').onRef('a.ambito_id', '=', 'r.ambito_id'),
      )
      .select(['r.action_id', 'r.fund', 'r.amount_cents'])
      .where('a.plan_id', '=', planId)
      .orderBy('r.fund')
      .execute(),
    trx.selectFrom('indicators').selectAll().where('plan_id', '=', planId).orderBy('code').execute(),
    trx
      .selectFrom('indicator_targets as t')
      .innerJoin('indicators as i', (j) =>
        j.onRef('i.id', '=', 't.indicator_id').onRef('i.ambito_id', '=', 't.ambito_id'),
      )
      .select(['t.indicator_id', 't.year', sql<string>`t.target::text`.as('target')])
      .where('i.plan_id', '=', planId)
      .orderBy('t.year')
      .execute(),
    trx
      .selectFrom('indicator_values as v')
      .innerJoin('indicators as i', (j) =>
        j.onRef('i.id', '=', 'v.indicator_id').onRef('i.ambito_id', '=', 'v.ambito_id'),
      )
      .select(['v.id', 'v.indicator_id', 'v.measured_on', sql<string>`v.value::text`.as('value'), 'v.source'])
      .where('i.plan_id', '=', planId)
      .orderBy('v.measured_on')
      .orderBy('v.created_at')
      .execute(),
    trx.selectFrom('reward_projects').selectAll().where('plan_id', '=', planId).orderBy('title').execute(),
  ]);
  return { objectives, actions, resources, indicators, targets, values, rewards };
}
