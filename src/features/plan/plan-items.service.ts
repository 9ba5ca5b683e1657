import type { Kysely } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { applyChange, expectRevision, type PlanRow, withPlan } from './plan.context.js';
import type {
  ActionInput,
  IndicatorInput,
  IndicatorValueInput,
  ObjectiveInput,
  RewardProjectInput,
} from './plan.schemas.js';

type ItemTable = 'objectives' | 'actions' | 'indicators';
const LABEL: Record<ItemTable, string> = {
  objectives: 'Obiettivo',
  actions: 'Azione',
  indicators: 'Indicatore',
};

const planEnd = (plan: PlanRow) => plan.extended_to ?? plan.end_date;

function duplicateCode(error: unknown): never {
  if ((error as { code?: string }).code === '23505')
    throw conflict('code', 'esiste già un elemento con questo codice nel piano');
  throw error;
}

async function requireItem(trx: Tx, table: ItemTable, planId: string, id: string) {
  const row = await trx
    .selectFrom(table)
    .select(['id', 'revision', 'code'])
    .where('plan_id', '=', planId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(LABEL[table]);
  return row;
}

async function checkObjective(trx: Tx, plan: PlanRow, input: ObjectiveInput, selfId?: string) {
  if (input.parentId) {
    const parent = await trx
      .selectFrom('objectives')
      .select(['id', 'parent_id'])
      .where('plan_id', '=', plan.id)
      .where('id', '=', input.parentId)
      .executeTakeFirst();
    if (!parent) throw invalid('parentId', 'obiettivo generale non presente in questo piano');
    if (parent.parent_id !== null || parent.id === selfId)
      throw invalid('parentId', 'un obiettivo specifico dipende da un obiettivo generale');
    if (input.kind || input.macroAreaCode)
      throw invalid('kind', 'tipo e macro-area si indicano sull’obiettivo generale');
    return;
  }
  if (!input.kind) throw invalid('kind', 'indicare il tipo dell’obiettivo generale');
  if (!input.macroAreaCode) throw invalid('macroAreaCode', 'indicare la macro-area dell’obiettivo generale');
  const area = await trx
    .selectFrom('macro_areas')
    .select('code')
    .where('period_code', '=', plan.period_code)
    .where('code', '=', input.macroAreaCode)
    .executeTakeFirst();
  if (!area)
    throw invalid(
      'macroAreaCode',
      `la macro-area ${input.macroAreaCode} non appartiene alla tassonomia ${plan.period_code}`,
    );
  if (input.leps.length) {
    const known = await trx.selectFrom('leps').select('code').where('code', 'in', input.leps).execute();
    const unknown = input.leps.find((l) => !known.some((k) => k.code === l));
    if (unknown) throw invalid('leps', `LEPS sconosciuto: ${unknown}`);
  }
}

function objectiveRow(input: ObjectiveInput) {
  return {
    parent_id: input.parentId,
    code: input.code,
    title: input.title,
    kind: input.parentId ? null : input.kind,
    macro_area_code: input.parentId ? null : input.macroAreaCode,
    needs: input.needs,
    leps_codes: input.leps,
  };
}

export function createObjective(db: Kysely<DB>, actor: Actor, planId: string, input: ObjectiveInput) {
  return withPlan(db, actor, planId, 'write', (trx, plan) =>
    applyChange(
      trx,
      actor,
      plan,
      { action: 'plan.objective_create', changeReason: input.changeReason, detail: { code: input.code } },
      () => insertObjectiveIn(trx, plan, input),
    ),
  );
}

async function checkAction(trx: Tx, plan: PlanRow, input: ActionInput) {
  const parent = await trx
    .selectFrom('objectives')
    .select(['parent_id'])
    .where('plan_id', '=', plan.id)
    .where('id', '=', input.objectiveId)
    .executeTakeFirst();
  if (!parent)
    throw invalid('objectiveId', 'l’azione deve appartenere a un obiettivo specifico di questo piano');
  if (parent.parent_id === null)
    throw invalid('objectiveId', 'un’azione dipende da un obiettivo specifico, non da un obiettivo generale');
  if (input.startDate < plan.start_date)
    throw invalid('startDate', `l’azione inizia prima del piano (${plan.start_date})`);
  if (input.endDate > planEnd(plan))
    throw invalid('endDate', `l’azione finisce dopo il piano (${planEnd(plan)})`);
  if (input.endDate < input.startDate) throw invalid('endDate', 'la fine precede l’inizio');
  const funds = input.resources.map((r) => r.fund);
  const dup = funds.find((f, i) => funds.indexOf(f) !== i);
  if (dup) throw invalid('resources', `fondo ${dup} indicato due volte`);
}

async function writeResources(trx: Tx, plan: PlanRow, actionId: string, input: ActionInput) {
  await trx.deleteFrom('action_resources').where('action_id', '=', actionId).execute();
  if (input.resources.length)
    await trx
      .insertInto('action_resources')
      .values(
        input.resources.map((r) => ({
          ambito_id: plan.ambito_id,
          action_id: actionId,
          fund: r.fund,
          amount_cents: r.amountCents,
        })),
      )
      .execute();
}

function actionRow(input: ActionInput) {
  return {
    objective_id: input.objectiveId,
    code: input.code,
    title: input.title,
    responsible: input.responsible,
    partners: input.partners,
    start_date: input.startDate,
    end_date: input.endDate,
    status: input.status,
    staff_hours: input.staffHours,
  };
}

export function createAction(db: Kysely<DB>, actor: Actor, planId: string, input: ActionInput) {
  return withPlan(db, actor, planId, 'write', (trx, plan) =>
    applyChange(
      trx,
      actor,
      plan,
      { action: 'plan.action_create', changeReason: input.changeReason, detail: { code: input.code } },
      () => insertActionIn(trx, plan, input),
    ),
  );
}

async function checkIndicator(trx: Tx, plan: PlanRow, input: IndicatorInput) {
  if ((input.objectiveId === null) === (input.actionId === null))
    throw invalid('objectiveId', 'un indicatore si riferisce a un obiettivo oppure a un’azione');
  if (input.objectiveId)
    await requireItem(trx, 'objectives', plan.id, input.objectiveId).catch(() => {
      throw invalid('objectiveId', 'obiettivo non presente in questo piano');
    });
  if (input.actionId)
    await requireItem(trx, 'actions', plan.id, input.actionId).catch(() => {
      throw invalid('actionId', 'azione non presente in questo piano');
    });
  const first = Number(plan.start_date.slice(0, 4));
  const last = Number(planEnd(plan).slice(0, 4));
  for (const [i, t] of input.targets.entries())
    if (t.year < first || t.year > last)
      throw invalid(`targets[${i}].year`, `anno fuori dal periodo del piano (${first}-${last})`);
  if (
    input.unit === 'percentuale' &&
    input.baseline !== null &&
    (Number(input.baseline) < 0 || Number(input.baseline) > 100)
  )
    throw invalid('baseline', 'una percentuale è tra 0 e 100');
}

async function writeTargets(trx: Tx, plan: PlanRow, indicatorId: string, input: IndicatorInput) {
  await trx.deleteFrom('indicator_targets').where('indicator_id', '=', indicatorId).execute();
  if (input.targets.length)
    await trx
      .insertInto('indicator_targets')
      .values(
        input.targets.map((t) => ({
          ambito_id: plan.ambito_id,
          indicator_id: indicatorId,
          year: t.year,
          target: t.target,
        })),
      )
      .execute();
}

function indicatorRow(input: IndicatorInput) {
  return {
    objective_id: input.objectiveId,
    action_id: input.actionId,
    code: input.code,
    name: input.name,
    kind: input.kind,
    unit: input.unit,
    baseline: input.baseline,
    baseline_date: input.baselineDate,
    evaluation_tool: input.evaluationTool,
    lower_is_better: input.lowerIsBetter,
  };
}

export function createIndicator(db: Kysely<DB>, actor: Actor, planId: string, input: IndicatorInput) {
  return withPlan(db, actor, planId, 'write', (trx, plan) =>
    applyChange(
      trx,
      actor,
      plan,
      { action: 'plan.indicator_create', changeReason: input.changeReason, detail: { code: input.code } },
      () => insertIndicatorIn(trx, plan, input),
    ),
  );
}

/** Replaces an item's fields; the caller names the revision it edited (If-Match). */
export function updateItem(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  table: ItemTable,
  id: string,
  input: ObjectiveInput | ActionInput | IndicatorInput,
  ifMatch: string | undefined,
) {
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    const current = await requireItem(trx, table, planId, id);
    expectRevision(current.revision, ifMatch);
    return applyChange(
      trx,
      actor,
      plan,
      { action: `plan.${table}_update`, changeReason: input.changeReason, detail: { code: input.code } },
      async () => {
        let values: Record<string, unknown>;
        if (table === 'objectives') {
          await checkObjective(trx, plan, input as ObjectiveInput, id);
          values = objectiveRow(input as ObjectiveInput);
        } else if (table === 'actions') {
          await checkAction(trx, plan, input as ActionInput);
          values = actionRow(input as ActionInput);
        } else {
          await checkIndicator(trx, plan, input as IndicatorInput);
          values = indicatorRow(input as IndicatorInput);
        }
        const updated = await trx
          .updateTable(table)
          .set((eb) => ({ ...values, revision: eb('revision', '+', 1) }) as never)
          .where('id', '=', id)
          .where('revision', '=', current.revision)
          .returning(['id', 'revision'])
          .executeTakeFirst()
          .catch(duplicateCode);
        if (!updated) expectRevision(current.revision + 1, String(current.revision));
        if (table === 'actions') await writeResources(trx, plan, id, input as ActionInput);
        if (table === 'indicators') await writeTargets(trx, plan, id, input as IndicatorInput);
        return updated as { id: string; revision: number };
      },
    );
  });
}

export function deleteItem(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  table: ItemTable,
  id: string,
  ifMatch: string | undefined,
  changeReason: string | undefined,
) {
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    const current = await requireItem(trx, table, planId, id);
    expectRevision(current.revision, ifMatch);
    await applyChange(
      trx,
      actor,
      plan,
      { action: `plan.${table}_delete`, changeReason, detail: { code: current.code } },
      async () => {
        await trx
          .deleteFrom(table)
          .where('id', '=', id)
          .execute()
          .catch((e) => {
            if ((e as { code?: string }).code === '23503')
              throw conflict(
                'id',
                'l’elemento ha elementi collegati (obiettivi specifici, azioni o indicatori): eliminarli prima',
              );
            throw e;
          });
      },
    );
  });
}

/** A measured value: the unit must be the indicator's and the date within the plan's life. */
export function addIndicatorValue(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  indicatorId: string,
  input: IndicatorValueInput,
) {
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    const indicator = await trx
      .selectFrom('indicators')
      .select(['id', 'unit', 'code'])
      .where('plan_id', '=', planId)
      .where('id', '=', indicatorId)
      .executeTakeFirst();
    if (!indicator) throw notFound('Indicatore');
    if (input.unit !== indicator.unit)
      throw invalid(
        'unit',
        `l’indicatore ${indicator.code} si misura in ${indicator.unit}, non in ${input.unit}`,
      );
    if (input.measuredOn < plan.start_date || input.measuredOn > planEnd(plan))
      throw invalid('measuredOn', `data fuori dal periodo del piano (${plan.start_date} – ${planEnd(plan)})`);
    if (indicator.unit === 'percentuale' && (Number(input.value) < 0 || Number(input.value) > 100))
      throw invalid('value', 'una percentuale è tra 0 e 100');
    if (plan.status === 'closed') throw conflict('status', 'il piano è chiuso');
    // Monitoring values are the plan's life, not changes to its content: no new version.
    const row = await trx
      .insertInto('indicator_values')
      .values({
        ambito_id: plan.ambito_id,
        indicator_id: indicatorId,
        measured_on: input.measuredOn,
        value: input.value,
        source: input.source,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row;
  });
}

export function createRewardProject(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  input: RewardProjectInput & { changeReason?: string },
) {
  return withPlan(db, actor, planId, 'write', (trx, plan) =>
    applyChange(
      trx,
      actor,
      plan,
      {
        action: 'plan.reward_project_create',
        changeReason: input.changeReason,
        detail: { title: input.title },
      },
      () =>
        trx
          .insertInto('reward_projects')
          .values({
            ambito_id: plan.ambito_id,
            plan_id: planId,
            title: input.title,
            partner_ambiti: input.partnerAmbiti,
            same_district: input.sameDistrict,
            asst_involved: input.asstInvolved,
            objective_codes: input.objectiveCodes,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
    ),
  );
}

async function nextPosition(trx: Tx, table: 'objectives' | 'actions', planId: string): Promise<number> {
  const r = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('max'))
    .where('plan_id', '=', planId)
    .executeTakeFirstOrThrow();
  return Number(r.max) + 1;
}

/*
 * Bulk import (plan.xlsx.ts): the same checks and inserts as createObjective, createAction and
 * createIndicator, inside the caller's transaction and change, so a whole file is all or nothing.
 */
export async function insertObjectiveIn(trx: Tx, plan: PlanRow, input: ObjectiveInput) {
  await checkObjective(trx, plan, input);
  const position = await nextPosition(trx, 'objectives', plan.id);
  return trx
    .insertInto('objectives')
    .values({
      ambito_id: plan.ambito_id,
      plan_id: plan.id,
      period_code: plan.period_code,
      position,
      ...objectiveRow(input),
    })
    .returning(['id', 'revision'])
    .executeTakeFirstOrThrow()
    .catch(duplicateCode);
}

export async function insertActionIn(trx: Tx, plan: PlanRow, input: ActionInput) {
  await checkAction(trx, plan, input);
  const position = await nextPosition(trx, 'actions', plan.id);
  const row = await trx
    .insertInto('actions')
    .values({ ambito_id: plan.ambito_id, plan_id: plan.id, position, ...actionRow(input) })
    .returning(['id', 'revision'])
    .executeTakeFirstOrThrow()
    .catch(duplicateCode);
  await writeResources(trx, plan, row.id, input);
  return row;
}

export async function insertIndicatorIn(trx: Tx, plan: PlanRow, input: IndicatorInput) {
  await checkIndicator(trx, plan, input);
  const row = await trx
    .insertInto('indicators')
    .values({ ambito_id: plan.ambito_id, plan_id: plan.id, ...indicatorRow(input) })
    .returning(['id', 'revision'])
    .executeTakeFirstOrThrow()
    .catch(duplicateCode);
  await writeTargets(trx, plan, row.id, input);
  return row;
}
