import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { formatDate } from '../../format.js';
import type { Actor } from '../../http/auth.js';
import { DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan, can } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { comparePlans } from './compare.js';
import { nextState, type PlanEvent } from './lifecycle.js';
import { applyChange, expectRevision, loadTree, recordVersion, withPlan } from './plan.context.js';
import * as q from './plan.queries.js';
import type {
  Change,
  CreatePlanBody,
  PlanStatus,
  PlanSummary,
  PlanTree,
  TransitionBody,
  UpdatePlanBody,
} from './plan.schemas.js';
import { toSummary } from './plan.tree.js';
import { actionIsLate, indicatorProgress } from './progress.js';

const today = () => new Date().toISOString().slice(0, 10);

/** Approved plans are public (D.Lgs. 33/2013); drafts only for the Ambito's staff. */
export async function listPlans(db: Kysely<DB>, actor: Actor, ambitoId: string): Promise<PlanSummary[]> {
  return withTenant(db, { ambitoId }, async (trx) => {
    const plans = await q.listPlans(trx);
    const drafts = can(actor, 'plan:read_draft', { ambitoId });
    return plans.filter((p) => p.status !== 'draft' || drafts).map(toSummary);
  });
}

export function getPlan(db: Kysely<DB>, actor: Actor, planId: string): Promise<PlanTree> {
  return withPlan(db, actor, planId, 'read', (trx, plan) => loadTree(trx, plan));
}

export async function createPlan(
  db: Kysely<DB>,
  actor: Actor,
  input: CreatePlanBody,
): Promise<{ id: string }> {
  assertCan(actor, 'plan:write', { ambitoId: input.ambitoId, resourceType: 'plan' });
  if (input.endDate <= input.startDate) throw invalid('endDate', 'la fine deve seguire l’inizio');
  return withTenant(db, { ambitoId: input.ambitoId }, async (trx) => {
    const period = await trx
      .selectFrom('taxonomy_periods')
      .select('code')
      .where('code', '=', input.period)
      .executeTakeFirst();
    if (!period)
      throw invalid(
        'period',
        `periodo ${input.period} senza tassonomia regionale: chiedere all’amministratore di crearla`,
      );
    const [from, to] = input.period.split('-').map(Number) as [number, number];
    if (Number(input.startDate.slice(0, 4)) !== from || Number(input.endDate.slice(0, 4)) !== to)
      throw invalid('startDate', `le date devono coprire il periodo ${input.period}`);
    const row = await trx
      .insertInto('plans')
      .values({
        ambito_id: input.ambitoId,
        title: input.title,
        period_code: input.period,
        start_date: input.startDate,
        end_date: input.endDate,
        edition: input.edition,
        governance: input.governance,
        methodology: input.methodology,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'plan.create',
      resourceType: 'plan',
      resourceId: row.id,
      ambitoId: input.ambitoId,
    });
    return row;
  });
}

export function updatePlan(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  input: UpdatePlanBody,
  ifMatch: string | undefined,
) {
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    expectRevision(plan.revision, ifMatch);
    const { changeReason, ...fields } = input;
    if (Object.keys(fields).length === 0) throw invalid('body', 'indicare almeno un campo da modificare');
    return applyChange(
      trx,
      actor,
      plan,
      { action: 'plan.update', changeReason, detail: { fields: Object.keys(fields) } },
      async () => {
        const updated = await trx
          .updateTable('plans')
          .set((eb) => ({ ...fields, revision: eb('revision', '+', 1), updated_at: new Date() }))
          .where('id', '=', planId)
          .where('revision', '=', plan.revision)
          .returning('revision')
          .executeTakeFirst();
        // Someone else committed between our read and this write.
        if (!updated) expectRevision(plan.revision + 1, String(plan.revision));
        return { revision: updated?.revision ?? plan.revision };
      },
    );
  });
}

/** Approval, entry into force, extension (proroga) and closure, each pointing to its act. */
export function transitionPlan(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  input: TransitionBody,
  ifMatch: string | undefined,
) {
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    expectRevision(plan.revision, ifMatch);
    let act: Awaited<ReturnType<typeof q.findAct>>;
    if (input.action === 'approve' || input.action === 'extend') {
      if (!input.actId) throw invalid('actId', 'indicare l’atto (delibera) che decide');
      act = await q.findAct(trx, input.actId);
      if (!act) throw invalid('actId', 'atto non presente nel registro degli atti dell’Ambito');
    }
    const actRef = act ? { id: act.id, kind: act.kind, date: act.act_date } : undefined;
    const event: PlanEvent =
      input.action === 'approve'
        ? { action: 'approve', act: actRef as NonNullable<typeof actRef> }
        : input.action === 'extend'
          ? {
              action: 'extend',
              act: actRef as NonNullable<typeof actRef>,
              extendedTo: input.extendedTo ?? '',
            }
          : { action: input.action };
    if (input.action === 'extend' && !input.extendedTo)
      throw invalid('extendedTo', 'indicare la nuova data di fine');
    const result = nextState(
      {
        status: plan.status as PlanStatus,
        startDate: plan.start_date,
        endDate: plan.end_date,
        extendedTo: plan.extended_to,
      },
      event,
    );
    if (!result.ok)
      throw new DomainError('CONFLICT', result.reason, [{ field: result.field, reason: result.reason }]);
    await trx
      .updateTable('plans')
      .set((eb) => ({
        status: result.state.status,
        extended_to: result.state.extendedTo,
        ...(input.action === 'approve' ? { approval_act_id: act?.id } : {}),
        ...(input.action === 'extend' ? { extension_act_id: act?.id } : {}),
        revision: eb('revision', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', planId)
      .execute();
    await audit(trx, actor, {
      action: `plan.${input.action}`,
      resourceType: 'plan',
      resourceId: planId,
      ambitoId: plan.ambito_id,
      detail: {
        from: plan.status,
        to: result.state.status,
        act: act ? { kind: act.kind, number: act.number, date: act.act_date } : null,
      },
    });
    const actText = act
      ? ` (${act.kind.replace('_', ' ')} n. ${act.number} del ${formatDate(act.act_date)})`
      : '';
    const reasons: Record<TransitionBody['action'], string> = {
      approve: `Approvazione${actText}`,
      enforce: 'Entrata in vigore',
      extend: `Proroga al ${formatDate(input.extendedTo ?? '')}${actText}`,
      close: 'Chiusura del piano',
    };
    const version = await recordVersion(trx, actor, planId, reasons[input.action]);
    return { status: result.state.status, version };
  });
}

export function listVersions(db: Kysely<DB>, actor: Actor, planId: string) {
  return withPlan(db, actor, planId, 'read', async (trx) => {
    const rows = await trx
      .selectFrom('plan_versions')
      .select(['version', 'author', 'reason', 'created_at'])
      .where('plan_id', '=', planId)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      author: r.author,
      reason: r.reason,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  });
}

export function compareVersions(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  from: number,
  to: number,
): Promise<Change[]> {
  return withPlan(db, actor, planId, 'read', async (trx) => {
    const rows = await trx
      .selectFrom('plan_versions')
      .select(['version', 'snapshot'])
      .where('plan_id', '=', planId)
      .where('version', 'in', [from, to])
      .execute();
    const snap = (v: number) => {
      const row = rows.find((r) => r.version === v);
      if (!row) throw notFound(`Versione ${v}`);
      return (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as PlanTree;
    };
    return comparePlans(snap(from), snap(to));
  });
}

/** The one-page overview: objectives per macro-area, indicator progress, late actions. */
export function planOverview(db: Kysely<DB>, actor: Actor, planId: string, asOf = today()) {
  return withPlan(db, actor, planId, 'read', async (trx, plan) => {
    const tree = await loadTree(trx, plan);
    const byArea = new Map<string, { code: string; name: string; objectives: number; actions: number }>();
    const indicators: Array<
      { code: string; name: string; unit: string } & ReturnType<typeof indicatorProgress>
    > = [];
    const late: Array<{ code: string; title: string; endDate: string; status: string }> = [];
    for (const o of tree.objectives) {
      const key = o.macroArea?.code ?? '-';
      const area = byArea.get(key) ?? {
        code: key,
        name: o.macroArea?.name ?? 'Senza macro-area',
        objectives: 0,
        actions: 0,
      };
      area.objectives++;
      const inds = [...o.indicators];
      for (const s of o.specific) {
        inds.push(...s.indicators);
        for (const a of s.actions) {
          area.actions++;
          inds.push(...a.indicators);
          if (actionIsLate(a, asOf))
            late.push({ code: a.code, title: a.title, endDate: a.endDate, status: a.status });
        }
      }
      byArea.set(key, area);
      for (const i of inds)
        indicators.push({ code: i.code, name: i.name, unit: i.unit, ...indicatorProgress(i, asOf) });
    }
    return {
      plan: toSummary(plan),
      asOf,
      macroAreas: [...byArea.values()].sort((a, b) => a.code.localeCompare(b.code)),
      indicators,
      lateActions: late,
      totals: {
        objectives: tree.objectives.length,
        actions: [...byArea.values()].reduce((s, a) => s + a.actions, 0),
        indicators: indicators.length,
        onTrack: indicators.filter((i) => i.state === 'on_track').length,
        late: indicators.filter((i) => i.state === 'late').length,
      },
    };
  });
}
