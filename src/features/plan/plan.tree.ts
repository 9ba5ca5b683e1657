import type { Tx } from '../../db/scope.js';
import * as q from './plan.queries.js';
import type {
  ActionView,
  ActView,
  IndicatorView,
  ObjectiveView,
  PlanSummary,
  PlanTree,
} from './plan.schemas.js';

type PlanRow = NonNullable<Awaited<ReturnType<typeof q.findPlan>>>;
type ActRow = NonNullable<Awaited<ReturnType<typeof q.findAct>>>;

export function toSummary(p: PlanRow): PlanSummary {
  return {
    id: p.id,
    ambitoId: p.ambito_id,
    title: p.title,
    period: p.period_code,
    edition: p.edition,
    status: p.status as PlanSummary['status'],
    startDate: p.start_date,
    endDate: p.end_date,
    extendedTo: p.extended_to,
    version: p.version,
  };
}

export function toActView(a: ActRow): ActView {
  return {
    id: a.id,
    kind: a.kind as ActView['kind'],
    body: a.body,
    number: a.number,
    date: a.act_date,
    subject: a.subject,
    hasPdf: a.has_pdf,
  };
}

/**
 * Assembles the whole plan from its rows: general objectives, their specific objectives, the
 * actions of each specific objective, and indicators where they are attached.
 */
export async function buildPlanTree(
  trx: Tx,
  plan: PlanRow,
  ctx: { ambitoName: string; macroAreas: Map<string, string>; rewardCheck: PlanTreeRewardCheck },
): Promise<PlanTree> {
  const rows = await q.loadPlanRows(trx, plan.id);
  const targets = groupBy(rows.targets, (t) => t.indicator_id);
  const values = groupBy(rows.values, (v) => v.indicator_id);
  const indicators = rows.indicators.map((i) => ({
    row: i,
    view: {
      id: i.id,
      code: i.code,
      name: i.name,
      kind: i.kind as IndicatorView['kind'],
      unit: i.unit as IndicatorView['unit'],
      baseline: i.baseline === null ? null : String(i.baseline),
      baselineDate: i.baseline_date,
      evaluationTool: i.evaluation_tool,
      lowerIsBetter: i.lower_is_better,
      targets: (targets.get(i.id) ?? []).map((t) => ({ year: t.year, target: t.target })),
      values: (values.get(i.id) ?? []).map((v) => ({
        id: v.id,
        measuredOn: v.measured_on,
        value: v.value,
        source: v.source,
      })),
      revision: i.revision,
    } satisfies IndicatorView,
  }));
  const indicatorsOf = (key: 'objective_id' | 'action_id', id: string) =>
    indicators.filter((i) => i.row[key] === id).map((i) => i.view);
  const resources = groupBy(rows.resources, (r) => r.action_id);
  const actionsOf = (objectiveId: string): ActionView[] =>
    rows.actions
      .filter((a) => a.objective_id === objectiveId)
      .map((a) => ({
        id: a.id,
        code: a.code,
        title: a.title,
        responsible: a.responsible,
        partners: a.partners,
        startDate: a.start_date,
        endDate: a.end_date,
        status: a.status as ActionView['status'],
        staffHours: a.staff_hours,
        resources: (resources.get(a.id) ?? []).map((r) => ({
          fund: r.fund,
          amountCents: Number(r.amount_cents),
        })),
        indicators: indicatorsOf('action_id', a.id),
        revision: a.revision,
      }));
  const objectives: ObjectiveView[] = rows.objectives
    .filter((o) => o.parent_id === null)
    .map((o) => ({
      id: o.id,
      code: o.code,
      title: o.title,
      kind: o.kind as ObjectiveView['kind'],
      macroArea: o.macro_area_code
        ? { code: o.macro_area_code, name: ctx.macroAreas.get(o.macro_area_code) ?? o.macro_area_code }
        : null,
      needs: o.needs,
      leps: o.leps_codes,
      indicators: indicatorsOf('objective_id', o.id),
      revision: o.revision,
      specific: rows.objectives
        .filter((s) => s.parent_id === o.id)
        .map((s) => ({
          id: s.id,
          code: s.code,
          title: s.title,
          needs: s.needs,
          actions: actionsOf(s.id),
          indicators: indicatorsOf('objective_id', s.id),
          revision: s.revision,
        })),
    }));
  const macroByCode = rows.objectives.map((o) => ({
    code: o.code,
    macroAreaCode:
      o.macro_area_code ?? rows.objectives.find((p) => p.id === o.parent_id)?.macro_area_code ?? null,
  }));
  const approval = plan.approval_act_id ? await q.findAct(trx, plan.approval_act_id) : undefined;
  const extension = plan.extension_act_id ? await q.findAct(trx, plan.extension_act_id) : undefined;
  return {
    ...toSummary(plan),
    ambitoName: ctx.ambitoName,
    governance: plan.governance,
    methodology: plan.methodology,
    approvalAct: approval ? toActView(approval) : null,
    extensionAct: extension ? toActView(extension) : null,
    objectives,
    rewardProjects: rows.rewards.map((r) => {
      const project = {
        partnerAmbiti: r.partner_ambiti,
        sameDistrict: r.same_district,
        asstInvolved: r.asst_involved,
        objectiveCodes: r.objective_codes,
      };
      return { id: r.id, title: r.title, ...project, check: ctx.rewardCheck(project, macroByCode) };
    }),
    revision: plan.revision,
  };
}

export type PlanTreeRewardCheck = (
  project: {
    partnerAmbiti: string[];
    sameDistrict: boolean;
    asstInvolved: boolean;
    objectiveCodes: string[];
  },
  objectives: Array<{ code: string; macroAreaCode: string | null }>,
) => { ok: boolean; failures: Array<{ rule: string; message: string }> };

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
