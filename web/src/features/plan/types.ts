/** Wire types of the /api/v1 plan endpoints (see the server's plan.schemas.ts). Dates are ISO days. */

export const PLAN_STATUSES = ['draft', 'approved', 'in_force', 'extended', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const OBJECTIVE_KINDS = [
  'integrazione_sociosanitaria',
  'territorio_comunita',
  'gestione_associata',
] as const;
export type ObjectiveKind = (typeof OBJECTIVE_KINDS)[number];
export const ACTION_STATUSES = ['planned', 'running', 'done', 'suspended'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const UNITS = ['numero', 'percentuale', 'euro', 'ore', 'giorni'] as const;
export type Unit = (typeof UNITS)[number];
export const ACT_KINDS = [
  'delibera_assemblea',
  'delibera_comune',
  'determina_udp',
  'dgr',
  'decreto',
  'altro',
] as const;
export type ActKind = (typeof ACT_KINDS)[number];
/** Macro-areas of DGR 4563/2021, used by the 2021-2023 and 2025-2027 taxonomies. */
export const MACRO_AREAS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const;
export type MacroAreaCode = (typeof MACRO_AREAS)[number];

export interface ActView {
  id: string;
  kind: ActKind;
  body: string;
  number: string;
  date: string;
  subject: string;
  hasPdf: boolean;
}

export interface IndicatorView {
  id: string;
  code: string;
  name: string;
  kind: 'output' | 'outcome';
  unit: Unit;
  baseline: string | null;
  baselineDate: string | null;
  evaluationTool: string;
  lowerIsBetter: boolean;
  targets: Array<{ year: number; target: string }>;
  values: Array<{ id: string; measuredOn: string; value: string; source: string }>;
  revision: number;
}

export interface ActionView {
  id: string;
  code: string;
  title: string;
  responsible: string;
  partners: string[];
  startDate: string;
  endDate: string;
  status: ActionStatus;
  staffHours: number;
  resources: Array<{ fund: string; amountCents: number }>;
  indicators: IndicatorView[];
  revision: number;
}

export interface SpecificObjectiveView {
  id: string;
  code: string;
  title: string;
  needs: string;
  actions: ActionView[];
  indicators: IndicatorView[];
  revision: number;
}

export interface ObjectiveView {
  id: string;
  code: string;
  title: string;
  kind: ObjectiveKind;
  macroArea: { code: string; name: string } | null;
  needs: string;
  leps: string[];
  specific: SpecificObjectiveView[];
  indicators: IndicatorView[];
  revision: number;
}

export interface PlanSummary {
  id: string;
  ambitoId: string;
  title: string;
  period: string;
  edition: number;
  status: PlanStatus;
  startDate: string;
  endDate: string;
  extendedTo: string | null;
  version: number;
}

export interface RewardProjectView {
  id: string;
  title: string;
  partnerAmbiti: string[];
  sameDistrict: boolean;
  asstInvolved: boolean;
  objectiveCodes: string[];
  check: { ok: boolean; failures: Array<{ rule: string; message: string }> };
}

export interface PlanTree extends PlanSummary {
  ambitoName: string;
  governance: string;
  methodology: string;
  approvalAct: ActView | null;
  extensionAct: ActView | null;
  objectives: ObjectiveView[];
  rewardProjects: RewardProjectView[];
  revision: number;
}

export interface VersionView {
  version: number;
  author: string;
  reason: string;
  createdAt: string;
}

export interface Change {
  kind: 'added' | 'removed' | 'changed';
  item: string;
  field: string | null;
  from: unknown;
  to: unknown;
}

export type IndicatorState = 'on_track' | 'late' | 'no_data';

export interface PlanOverview {
  plan: PlanSummary;
  asOf: string;
  macroAreas: Array<{ code: string; name: string; objectives: number; actions: number }>;
  indicators: Array<{
    code: string;
    name: string;
    unit: Unit;
    latest: string | null;
    target: string | null;
    targetYear: number | null;
    percent: number | null;
    state: IndicatorState;
  }>;
  lateActions: Array<{ code: string; title: string; endDate: string; status: ActionStatus }>;
  totals: { objectives: number; actions: number; indicators: number; onTrack: number; late: number };
}

export interface CreatePlanBody {
  ambitoId: string;
  title: string;
  period: string;
  edition: number;
  startDate: string;
  endDate: string;
  governance: string;
  methodology: string;
}

export interface ChangeReason {
  changeReason?: string | undefined;
}

export interface ObjectiveInput extends ChangeReason {
  parentId: string | null;
  code: string;
  title: string;
  kind: ObjectiveKind | null;
  macroAreaCode: string | null;
  needs: string;
  /** Left out by the add form; an edit sends the item's own back (a PUT replaces every field). */
  leps?: string[];
}

export interface ActionInput extends ChangeReason {
  objectiveId: string;
  code: string;
  title: string;
  responsible: string;
  startDate: string;
  endDate: string;
  status: ActionStatus;
  resources: Array<{ fund: string; amountCents: number }>;
  partners?: string[];
  staffHours?: number;
}

export interface IndicatorInput extends ChangeReason {
  objectiveId: string | null;
  actionId: string | null;
  code: string;
  name: string;
  kind: 'output' | 'outcome';
  unit: Unit;
  baseline: string | null;
  targets: Array<{ year: number; target: string }>;
  baselineDate?: string | null;
  evaluationTool?: string;
  lowerIsBetter?: boolean;
}

export interface IndicatorValueInput {
  measuredOn: string;
  value: string;
  unit: Unit;
  source: string;
}

export interface TransitionBody {
  action: 'approve' | 'enforce' | 'extend' | 'close';
  actId?: string;
  extendedTo?: string;
}

export interface ActInput {
  kind: ActKind;
  body: string;
  number: string;
  date: string;
  subject: string;
}
