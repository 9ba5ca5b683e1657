import type { Kysely } from 'kysely';
import { type Tx, withReference, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan, can } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { isChangeable } from './lifecycle.js';
import * as q from './plan.queries.js';
import type { PlanStatus, PlanTree } from './plan.schemas.js';
import { buildPlanTree } from './plan.tree.js';
import { checkRewardProject } from './reward.js';

export type PlanRow = NonNullable<Awaited<ReturnType<typeof q.findPlan>>>;

/**
 * Opens the tenant session of the plan's Ambito and loads the plan. Drafts exist only for the
 * Ambito's staff: anyone else gets the same 404 as for a plan that does not exist.
 */
export async function withPlan<T>(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  mode: 'read' | 'write',
  fn: (trx: Tx, plan: PlanRow) => Promise<T>,
): Promise<T> {
  const ambitoId = await withReference(db, (trx) => q.findPlanAmbito(trx, planId));
  if (!ambitoId) throw notFound('Piano');
  if (mode === 'write')
    assertCan(actor, 'plan:write', { ambitoId, resourceType: 'plan', resourceId: planId });
  return withTenant(db, { ambitoId }, async (trx) => {
    const plan = await q.findPlan(trx, planId);
    if (!plan) throw notFound('Piano');
    if (plan.status === 'draft' && !can(actor, 'plan:read_draft', { ambitoId })) {
      // Looks like any missing plan, but an attempt by someone logged in is recorded.
      const hidden = notFound('Piano');
      if (actor.kind !== 'anonymous')
        hidden.denied = { action: 'plan:read_draft', ambitoId, resourceType: 'plan', resourceId: planId };
      throw hidden;
    }
    return fn(trx, plan);
  });
}

/** The whole plan as pages, documents and version snapshots see it. */
export async function loadTree(trx: Tx, plan: PlanRow): Promise<PlanTree> {
  const ambito = await trx
    .selectFrom('ambiti')
    .select('name')
    .where('id', '=', plan.ambito_id)
    .executeTakeFirstOrThrow();
  const areas = await trx
    .selectFrom('macro_areas')
    .select(['code', 'name'])
    .where('period_code', '=', plan.period_code)
    .execute();
  const rules = await trx
    .selectFrom('reward_rules')
    .selectAll()
    .where('period_code', '=', plan.period_code)
    .executeTakeFirst();
  return buildPlanTree(trx, plan, {
    ambitoName: ambito.name,
    macroAreas: new Map(areas.map((a) => [a.code, a.name])),
    rewardCheck: (project, objectives) =>
      rules
        ? checkRewardProject(
            project,
            {
              minAmbiti: rules.min_ambiti,
              sameDistrict: rules.same_district,
              requireAsst: rules.require_asst,
              minObjectives: rules.min_objectives,
            },
            objectives,
          )
        : {
            ok: false,
            failures: [
              {
                rule: 'regole',
                message: `nessuna regola per i progetti premiali del periodo ${plan.period_code}`,
              },
            ],
          },
  });
}

/**
 * Every change goes through here. A draft changes freely; a plan in force changes only with a
 * reason, and each such change is recorded as a new version with who, when and why. A closed
 * plan does not change.
 */
export async function applyChange<T>(
  trx: Tx,
  actor: Actor,
  plan: PlanRow,
  change: { action: string; changeReason?: string | undefined; detail?: Record<string, unknown> },
  fn: () => Promise<T>,
): Promise<T> {
  if (!isChangeable(plan.status as PlanStatus))
    throw conflict('status', 'il piano è chiuso: non può essere modificato');
  if (plan.status !== 'draft' && !change.changeReason)
    throw invalid(
      'changeReason',
      'il piano è approvato: indicare il motivo della modifica, che diventa una nuova versione',
    );
  const result = await fn();
  await audit(trx, actor, {
    action: change.action,
    resourceType: 'plan',
    resourceId: plan.id,
    ambitoId: plan.ambito_id,
    detail: { ...change.detail, ...(change.changeReason ? { reason: change.changeReason } : {}) },
  });
  if (plan.status !== 'draft') await recordVersion(trx, actor, plan.id, change.changeReason as string);
  return result;
}

export async function recordVersion(trx: Tx, actor: Actor, planId: string, reason: string): Promise<number> {
  const updated = await trx
    .updateTable('plans')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', planId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const snapshot = await loadTree(trx, updated);
  await trx
    .insertInto('plan_versions')
    .values({
      ambito_id: updated.ambito_id,
      plan_id: planId,
      version: updated.version,
      snapshot: JSON.stringify(snapshot),
      author: actor.kind === 'anonymous' ? 'anonimo' : actor.username,
      reason,
    })
    .execute();
  return updated.version;
}

/** Optimistic concurrency: the caller must name the revision it edited (If-Match). */
export function expectRevision(current: number, ifMatch: string | undefined): void {
  if (ifMatch === undefined)
    throw new DomainError(
      'PRECONDITION_REQUIRED',
      'Intestazione If-Match mancante: rileggere l’elemento e riprovare',
      [{ field: 'If-Match', reason: 'obbligatoria' }],
    );
  const wanted = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  if (wanted !== current)
    throw new DomainError(
      'PRECONDITION_FAILED',
      'L’elemento è stato modificato da un altro utente: ricaricare e riprovare',
      [{ field: 'If-Match', reason: `revisione ${wanted} superata dalla ${current}` }],
    );
}

export const etag = (revision: number) => `"${revision}"`;
