/**
 * The plan import: the uploaded workbook checked against its limits and parsed off the main thread
 * (plan.xlsx.worker.ts), then checked against the plan and written in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { DomainError, type FieldError } from '../../http/errors.js';
import { assertSize } from '../../uploads/limits.js';
import { runInWorker } from '../../uploads/worker.js';
import { checkZipDirectory } from '../../uploads/zip.js';
import { applyChange, type PlanRow, withPlan } from './plan.context.js';
import type { ActionInput, IndicatorInput, ObjectiveInput } from './plan.schemas.js';
import { cellRef, PLAN_XLSX_LIMITS, type Where } from './plan.xlsx.layout.js';
import { fileErrors, type ParsedPlan } from './plan.xlsx.parse.js';
import { insertActionIn, insertIndicatorIn, insertObjectiveIn } from './plan-items.service.js';

const WORKER = new URL('./plan.xlsx.worker.ts', import.meta.url);

/**
 * Reads an uploaded workbook: its size and its zip directory here (cheap), then the inflating and
 * the parse on a worker thread with a heap limit and a deadline, so that a heavy or hostile file
 * never stalls the server. The rows come back checked, or every error found with its place.
 */
export async function parsePlanXlsx(buf: Buffer): Promise<ParsedPlan> {
  const { file } = PLAN_XLSX_LIMITS;
  assertSize(buf, file, PLAN_XLSX_LIMITS.maxBytes);
  await checkZipDirectory(buf, file, PLAN_XLSX_LIMITS.zip);
  return runInWorker<ParsedPlan>(WORKER, buf, file, PLAN_XLSX_LIMITS.worker);
}

export interface ImportCounts {
  objectives: number;
  specific: number;
  actions: number;
  resources: number;
  indicators: number;
  targets: number;
}

/**
 * Imports a workbook into a plan: the file is checked first (every error with its place), then
 * against the plan (codes already used, macro-areas and LEPS, dates and years outside the plan),
 * then everything is written in one transaction: all or nothing.
 */
export async function importPlanXlsx(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  buf: Buffer,
  opts: { changeReason?: string | undefined } = {},
): Promise<ImportCounts> {
  // Who may import is checked before the file is even read; the file is read outside any
  // transaction (a parse of seconds must not hold the database, embedded or pooled).
  await withPlan(db, actor, planId, 'write', async () => undefined);
  const parsed = await parsePlanXlsx(buf);
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    const counts: ImportCounts = {
      objectives: parsed.objectives.length,
      specific: parsed.specific.length,
      actions: parsed.actions.length,
      resources: parsed.actions.reduce((s, a) => s + a.resources.length, 0),
      indicators: parsed.indicators.length,
      targets: parsed.indicators.reduce((s, i) => s + i.targets.length, 0),
    };
    return applyChange(
      trx,
      actor,
      plan,
      { action: 'plan.import', changeReason: opts.changeReason, detail: { ...counts } },
      async () => {
        await checkAgainstPlan(trx, plan, parsed);
        await writeParsed(trx, plan, parsed);
        return counts;
      },
    );
  });
}

const planEnd = (plan: PlanRow) => plan.extended_to ?? plan.end_date;

async function checkAgainstPlan(trx: Tx, plan: PlanRow, parsed: ParsedPlan): Promise<void> {
  const errors: FieldError[] = [];
  const at = (where: Where, header: string, reason: string) =>
    errors.push({
      field: cellRef(where.sheet, where.row, parsed.columns[where.sheet][header]),
      reason: `${header}: ${reason}`,
    });
  const existing = async (table: 'objectives' | 'actions' | 'indicators') =>
    new Set(
      (await trx.selectFrom(table).select('code').where('plan_id', '=', plan.id).execute()).map(
        (r) => r.code,
      ),
    );
  const [objectiveCodes, actionCodes, indicatorCodes] = await Promise.all([
    existing('objectives'),
    existing('actions'),
    existing('indicators'),
  ]);
  const areas = new Set(
    (
      await trx.selectFrom('macro_areas').select('code').where('period_code', '=', plan.period_code).execute()
    ).map((r) => r.code),
  );
  const leps = new Set((await trx.selectFrom('leps').select('code').execute()).map((r) => r.code));
  const inPlan = 'esiste già un elemento con questo codice nel piano';

  for (const o of parsed.objectives) {
    if (objectiveCodes.has(o.code)) at(o.at, 'Codice', `${o.code}: ${inPlan}`);
    if (!areas.has(o.macroAreaCode))
      at(
        o.at,
        'Macro-area',
        `la macro-area ${o.macroAreaCode} non appartiene alla tassonomia ${plan.period_code}`,
      );
    const unknown = o.leps.filter((l) => !leps.has(l));
    if (unknown.length)
      at(o.at, 'LEPS', `LEPS sconosciut${unknown.length > 1 ? 'i' : 'o'}: ${unknown.join(', ')}`);
  }
  for (const s of parsed.specific) if (objectiveCodes.has(s.code)) at(s.at, 'Codice', `${s.code}: ${inPlan}`);
  for (const a of parsed.actions) {
    if (actionCodes.has(a.code)) at(a.at, 'Codice', `${a.code}: ${inPlan}`);
    if (a.startDate < plan.start_date)
      at(a.at, 'Inizio', `l’azione inizia prima del piano (${plan.start_date})`);
    if (a.endDate > planEnd(plan)) at(a.at, 'Fine', `l’azione finisce dopo il piano (${planEnd(plan)})`);
  }
  const first = Number(plan.start_date.slice(0, 4));
  const last = Number(planEnd(plan).slice(0, 4));
  for (const i of parsed.indicators) {
    if (indicatorCodes.has(i.code)) at(i.at, 'Codice', `${i.code}: ${inPlan}`);
    for (const t of i.targets)
      if (t.year < first || t.year > last)
        at(t.at, 'Anno', `anno fuori dal periodo del piano (${first}-${last})`);
  }
  if (errors.length) throw fileErrors(errors);
}

async function writeParsed(trx: Tx, plan: PlanRow, parsed: ParsedPlan): Promise<void> {
  const located = async <T>(where: Where, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      // The checks above mirror the services'; should one still refuse, say where.
      if (error instanceof DomainError)
        throw fileErrors(
          (error.errors.length ? error.errors : [{ field: '', reason: error.message }]).map((e) => ({
            field: cellRef(where.sheet, where.row),
            reason: e.reason,
          })),
        );
      throw error;
    }
  };
  const objectiveIds = new Map<string, string>();
  for (const o of parsed.objectives) {
    const input: ObjectiveInput = {
      parentId: null,
      code: o.code,
      title: o.title,
      kind: o.kind,
      macroAreaCode: o.macroAreaCode,
      needs: o.needs,
      leps: o.leps,
    };
    objectiveIds.set(o.code, (await located(o.at, () => insertObjectiveIn(trx, plan, input))).id);
  }
  for (const s of parsed.specific) {
    const input: ObjectiveInput = {
      parentId: objectiveIds.get(s.parentCode) ?? null,
      code: s.code,
      title: s.title,
      kind: null,
      macroAreaCode: null,
      needs: s.needs,
      leps: [],
    };
    objectiveIds.set(s.code, (await located(s.at, () => insertObjectiveIn(trx, plan, input))).id);
  }
  const actionIds = new Map<string, string>();
  for (const a of parsed.actions) {
    const input: ActionInput = {
      objectiveId: objectiveIds.get(a.objectiveCode) as string,
      code: a.code,
      title: a.title,
      responsible: a.responsible,
      partners: a.partners,
      startDate: a.startDate,
      endDate: a.endDate,
      status: a.status,
      staffHours: a.staffHours,
      resources: a.resources.map((r) => ({ fund: r.fund, amountCents: r.amountCents })),
    };
    actionIds.set(a.code, (await located(a.at, () => insertActionIn(trx, plan, input))).id);
  }
  for (const i of parsed.indicators) {
    const input: IndicatorInput = {
      objectiveId: i.objectiveCode ? (objectiveIds.get(i.objectiveCode) ?? null) : null,
      actionId: i.actionCode ? (actionIds.get(i.actionCode) ?? null) : null,
      code: i.code,
      name: i.name,
      kind: i.kind,
      unit: i.unit,
      baseline: i.baseline,
      baselineDate: i.baselineDate,
      evaluationTool: i.evaluationTool,
      lowerIsBetter: i.lowerIsBetter,
      targets: i.targets.map((t) => ({ year: t.year, target: t.target })),
    };
    await located(i.at, () => insertIndicatorIn(trx, plan, input));
  }
}
