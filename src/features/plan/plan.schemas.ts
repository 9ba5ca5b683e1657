import { z } from 'zod';

export const IsoDate = z.iso.date('data non valida: usare il formato AAAA-MM-GG');
const Text = (max: number) =>
  z.string().trim().min(1, 'obbligatorio').max(max, `al massimo ${max} caratteri`);
const Code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,20}$/, 'da 1 a 20 caratteri tra lettere, cifre e . _ -');

export const PLAN_STATUSES = ['draft', 'approved', 'in_force', 'extended', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const OBJECTIVE_KINDS = [
  'integrazione_sociosanitaria',
  'territorio_comunita',
  'gestione_associata',
] as const;
export const ACTION_STATUSES = ['planned', 'running', 'done', 'suspended'] as const;
export const UNITS = ['numero', 'percentuale', 'euro', 'ore', 'giorni'] as const;
export const ACT_KINDS = [
  'delibera_assemblea',
  'delibera_comune',
  'determina_udp',
  'dgr',
  'decreto',
  'altro',
] as const;

/** A decimal quantity as a string ("12", "3.5"): exact, never a binary float on the wire. */
export const Quantity = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine(
    (v) => /^-?\d{1,12}(\.\d{1,4})?$/.test(v),
    'numero non valido (al massimo 4 decimali, separatore .)',
  );

export const ActView = z.object({
  id: z.uuid(),
  kind: z.enum(ACT_KINDS),
  body: z.string(),
  number: z.string(),
  date: IsoDate,
  subject: z.string(),
  hasPdf: z.boolean(),
});
export type ActView = z.infer<typeof ActView>;
export const ActInput = z.object({
  kind: z.enum(ACT_KINDS),
  body: Text(200),
  number: Text(40),
  date: IsoDate,
  subject: Text(1000),
});
export type ActInput = z.infer<typeof ActInput>;

export const IndicatorValueView = z.object({
  id: z.uuid(),
  measuredOn: IsoDate,
  value: z.string(),
  source: z.string(),
});
export const IndicatorView = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['output', 'outcome']),
  unit: z.enum(UNITS),
  baseline: z.string().nullable(),
  baselineDate: IsoDate.nullable(),
  evaluationTool: z.string(),
  lowerIsBetter: z.boolean(),
  targets: z.array(z.object({ year: z.number().int(), target: z.string() })),
  values: z.array(IndicatorValueView),
  revision: z.number().int(),
});
export type IndicatorView = z.infer<typeof IndicatorView>;

export const ActionView = z.object({
  id: z.uuid(),
  code: z.string(),
  title: z.string(),
  responsible: z.string(),
  partners: z.array(z.string()),
  startDate: IsoDate,
  endDate: IsoDate,
  status: z.enum(ACTION_STATUSES),
  staffHours: z.number().int(),
  resources: z.array(z.object({ fund: z.string(), amountCents: z.number().int() })),
  indicators: z.array(IndicatorView),
  revision: z.number().int(),
});
export type ActionView = z.infer<typeof ActionView>;

export const SpecificObjectiveView = z.object({
  id: z.uuid(),
  code: z.string(),
  title: z.string(),
  needs: z.string(),
  actions: z.array(ActionView),
  indicators: z.array(IndicatorView),
  revision: z.number().int(),
});

export const ObjectiveView = z.object({
  id: z.uuid(),
  code: z.string(),
  title: z.string(),
  kind: z.enum(OBJECTIVE_KINDS),
  macroArea: z.object({ code: z.string(), name: z.string() }).nullable(),
  needs: z.string(),
  leps: z.array(z.string()),
  specific: z.array(SpecificObjectiveView),
  indicators: z.array(IndicatorView),
  revision: z.number().int(),
});
export type ObjectiveView = z.infer<typeof ObjectiveView>;

export const PlanSummary = z.object({
  id: z.uuid(),
  ambitoId: z.uuid(),
  title: z.string(),
  period: z.string().describe('periodo di programmazione, es. 2025-2027'),
  edition: z.number().int(),
  status: z.enum(PLAN_STATUSES),
  startDate: IsoDate,
  endDate: IsoDate,
  extendedTo: IsoDate.nullable(),
  version: z.number().int(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const RewardProjectView = z.object({
  id: z.uuid(),
  title: z.string(),
  partnerAmbiti: z.array(z.string()),
  sameDistrict: z.boolean(),
  asstInvolved: z.boolean(),
  objectiveCodes: z.array(z.string()),
  check: z.object({
    ok: z.boolean(),
    failures: z.array(z.object({ rule: z.string(), message: z.string() })),
  }),
});

/** The whole plan: what the page, the documents and the version snapshots are made of. */
export const PlanTree = PlanSummary.extend({
  ambitoName: z.string(),
  governance: z.string(),
  methodology: z.string(),
  approvalAct: ActView.nullable(),
  extensionAct: ActView.nullable(),
  objectives: z.array(ObjectiveView),
  rewardProjects: z.array(RewardProjectView),
  revision: z.number().int(),
});
export type PlanTree = z.infer<typeof PlanTree>;

export const PlanListQuery = z.object({ ambito: z.uuid('identificativo dell’Ambito non valido') });
export const PlanParams = z.object({ id: z.uuid('identificativo non valido') });
export const ItemParams = PlanParams.extend({ itemId: z.uuid('identificativo non valido') });

/** Changes to a plan that is no longer a draft must say why; they become a new version. */
const ChangeReason = { changeReason: z.string().trim().min(5, 'almeno 5 caratteri').max(500).optional() };

export const CreatePlanBody = z.object({
  ambitoId: z.uuid(),
  title: Text(300),
  period: z.string().regex(/^\d{4}-\d{4}$/, 'periodo nel formato AAAA-AAAA'),
  edition: z.number().int().min(1).max(99),
  startDate: IsoDate,
  endDate: IsoDate,
  governance: z.string().max(50_000).default(''),
  methodology: z.string().max(50_000).default(''),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const UpdatePlanBody = z
  .object({
    title: Text(300),
    governance: z.string().max(50_000),
    methodology: z.string().max(50_000),
    ...ChangeReason,
  })
  .partial();
export type UpdatePlanBody = z.infer<typeof UpdatePlanBody>;

export const TransitionBody = z.object({
  action: z.enum(['approve', 'enforce', 'extend', 'close']),
  actId: z.uuid().optional(),
  extendedTo: IsoDate.optional(),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const ObjectiveInput = z.object({
  parentId: z.uuid().nullable().default(null),
  code: Code,
  title: Text(500),
  kind: z.enum(OBJECTIVE_KINDS).nullable().default(null),
  macroAreaCode: z
    .string()
    .regex(/^[A-Z]{1,2}$/, 'codice di macro-area non valido')
    .nullable()
    .default(null),
  needs: z.string().max(20_000).default(''),
  leps: z.array(z.string()).max(20).default([]),
  ...ChangeReason,
});
export type ObjectiveInput = z.infer<typeof ObjectiveInput>;

export const ActionInput = z.object({
  objectiveId: z.uuid(),
  code: Code,
  title: Text(500),
  responsible: Text(200),
  partners: z.array(Text(200)).max(50).default([]),
  startDate: IsoDate,
  endDate: IsoDate,
  status: z.enum(ACTION_STATUSES).default('planned'),
  staffHours: z.number().int().min(0).max(1_000_000).default(0),
  resources: z
    .array(
      z.object({
        fund: Text(60),
        amountCents: z.number().int('importo in centesimi interi').min(0).max(10_000_000_000),
      }),
    )
    .max(20)
    .default([]),
  ...ChangeReason,
});
export type ActionInput = z.infer<typeof ActionInput>;

export const IndicatorInput = z.object({
  objectiveId: z.uuid().nullable().default(null),
  actionId: z.uuid().nullable().default(null),
  code: Code,
  name: Text(300),
  kind: z.enum(['output', 'outcome']),
  unit: z.enum(UNITS),
  baseline: Quantity.nullable().default(null),
  baselineDate: IsoDate.nullable().default(null),
  evaluationTool: z.string().max(1000).default(''),
  lowerIsBetter: z.boolean().default(false),
  targets: z
    .array(z.object({ year: z.number().int(), target: Quantity }))
    .max(10)
    .default([]),
  ...ChangeReason,
});
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const IndicatorValueInput = z.object({
  measuredOn: IsoDate,
  value: Quantity,
  unit: z.enum(UNITS).describe('unità del valore: deve essere quella dell’indicatore'),
  source: Text(300),
});
export type IndicatorValueInput = z.infer<typeof IndicatorValueInput>;

export const RewardProjectInput = z.object({
  title: Text(300),
  partnerAmbiti: z.array(Text(200)).max(20),
  sameDistrict: z.boolean(),
  asstInvolved: z.boolean(),
  objectiveCodes: z.array(Code).max(50),
});
export type RewardProjectInput = z.infer<typeof RewardProjectInput>;

export const VersionView = z.object({
  version: z.number().int(),
  author: z.string(),
  reason: z.string(),
  createdAt: z.iso.datetime(),
});
export const CompareQuery = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});
export const Change = z.object({
  kind: z.enum(['added', 'removed', 'changed']),
  item: z.string().describe('es. "obiettivo OG1", "azione A1.2"'),
  field: z.string().nullable(),
  from: z.unknown(),
  to: z.unknown(),
});
export type Change = z.infer<typeof Change>;
