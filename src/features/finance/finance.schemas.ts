import { z } from 'zod';
import { IsoDate } from '../plan/plan.schemas.js';
import { IstatCode } from '../territory/territory.schemas.js';

export const USER_AREAS = [
  'famiglia_minori',
  'disabilita_non_autosufficienza',
  'poverta_esclusione',
] as const;
export const INTERVENTIONS = [
  'accesso',
  'presa_in_carico',
  'domiciliare',
  'diurni',
  'residenziali',
  'inclusione',
] as const;
export const FUND_SOURCES = ['nazionale', 'regionale', 'ue', 'comunale', 'altro'] as const;
export const PAYEE_KINDS = ['comune', 'ente', 'beneficiari'] as const;

const Text = (max: number) =>
  z.string().trim().min(1, 'obbligatorio').max(max, `al massimo ${max} caratteri`);

/**
 * Money on the wire is integer euro cents. A fraction of a cent, a negative amount or a string
 * is refused here, so no amount ever becomes a binary float on its way in.
 */
export const Cents = z
  .number('importo in centesimi: un numero intero')
  .int('importo in centesimi interi: al massimo due decimali in euro')
  .min(0, 'importo negativo')
  .max(100_000_000_000_00, 'importo oltre 100 miliardi di euro');
const PositiveCents = Cents.refine((v) => v > 0, 'l’importo deve essere maggiore di zero');
export const Year = z
  .number()
  .int('anno non valido')
  .min(2000, 'anno non valido')
  .max(2100, 'anno non valido');
export const YearQuery = z.object({ year: z.coerce.number().pipe(Year) });

export const FundCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_+-]{2,30}$/, 'da 2 a 30 caratteri tra lettere, cifre e _ + -');

export const FundView = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  source: z.enum(FUND_SOURCES),
  own: z.boolean().describe('aggiunto dall’Ambito (non del catalogo nazionale o regionale)'),
});
export type FundView = z.infer<typeof FundView>;
export const FundInput = z.object({ code: FundCode, name: Text(200), source: z.enum(FUND_SOURCES) });
export type FundInput = z.infer<typeof FundInput>;

export const AssignmentInput = z
  .object({
    fundCode: FundCode,
    year: Year,
    amountCents: PositiveCents,
    actId: z.uuid('atto non valido'),
    minShareArea: z.enum(USER_AREAS).nullable().optional(),
    minShareBasisPoints: z.number().int().min(1).max(10_000).nullable().optional(),
    spendBy: IsoDate.nullable().optional(),
    reportBy: z.array(IsoDate).max(12).default([]),
    note: z.string().trim().max(1000).default(''),
  })
  .refine((v) => (v.minShareArea == null) === (v.minShareBasisPoints == null), {
    path: ['minShareBasisPoints'],
    message: 'area e quota minima vanno indicate insieme',
  });
export type AssignmentInput = z.infer<typeof AssignmentInput>;

export const BudgetLineInput = z.object({
  assignmentId: z.uuid('assegnazione non valida'),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._/-]{1,40}$/, 'da 1 a 40 caratteri tra lettere, cifre e . _ / -'),
  actionId: z.uuid('azione non valida'),
  area: z.enum(USER_AREAS),
  intervention: z.enum(INTERVENTIONS),
  amountCents: Cents,
  description: z.string().trim().max(1000).default(''),
});
export type BudgetLineInput = z.infer<typeof BudgetLineInput>;
export const BudgetLineUpdate = z.object({
  amountCents: Cents,
  description: z.string().trim().max(1000).optional(),
});

export const CommitmentInput = z
  .object({
    budgetLineId: z.uuid('linea di bilancio non valida'),
    number: Text(40),
    actId: z.uuid('atto non valido'),
    date: IsoDate,
    amountCents: PositiveCents,
    payeeKind: z.enum(PAYEE_KINDS),
    payeeName: z.string().trim().min(2, 'almeno 2 caratteri').max(200),
    comuneIstat: IstatCode.nullable().optional(),
    description: z.string().trim().max(1000).default(''),
  })
  .refine((v) => v.payeeKind !== 'comune' || v.comuneIstat, {
    path: ['comuneIstat'],
    message: 'per un Comune beneficiario indicare il codice ISTAT',
  });
export type CommitmentInput = z.infer<typeof CommitmentInput>;

export const PaymentInput = z.object({
  commitmentId: z.uuid('impegno non valido'),
  number: Text(40),
  actId: z.uuid('atto non valido'),
  date: IsoDate,
  amountCents: PositiveCents,
  payeeName: z.string().trim().min(2).max(200).optional(),
  beneficiaries: z.number().int().min(1).nullable().optional(),
});
export type PaymentInput = z.infer<typeof PaymentInput>;

export const CloseYearBody = z.object({ actId: z.uuid('atto non valido') });

const Amounts = {
  assignedCents: z.number().int(),
  budgetedCents: z.number().int(),
  committedCents: z.number().int(),
  paidCents: z.number().int(),
};
export const ActRef = z.object({ id: z.uuid(), kind: z.string(), number: z.string(), date: IsoDate });

export const BudgetView = z.object({
  year: z.number().int(),
  closed: z.boolean(),
  totals: z.object({ ...Amounts, availableCents: z.number().int() }),
  byFund: z.array(
    z.object({
      fundId: z.uuid(),
      code: z.string(),
      name: z.string(),
      source: z.enum(FUND_SOURCES),
      ...Amounts,
      availableCents: z.number().int().describe('assegnato meno impegnato'),
      carriedOverCents: z.number().int().describe('parte dell’assegnato che viene da residui'),
    }),
  ),
  bySource: z.array(z.object({ source: z.enum(FUND_SOURCES), ...Amounts })),
  byMacroArea: z.array(
    z.object({ code: z.string().nullable(), name: z.string(), budgetedCents: z.number().int(), ...pick() }),
  ),
  byObjective: z.array(
    z.object({
      objectiveId: z.uuid(),
      code: z.string(),
      title: z.string(),
      macroAreaCode: z.string().nullable(),
      budgetedCents: z.number().int(),
      ...pick(),
    }),
  ),
  byComune: z.array(
    z.object({
      istatCode: z.string().nullable(),
      name: z.string(),
      committedCents: z.number().int(),
      paidCents: z.number().int(),
    }),
  ),
  constraints: z.array(
    z.object({
      assignmentId: z.uuid(),
      fundCode: z.string(),
      area: z.enum(USER_AREAS),
      requiredBasisPoints: z.number().int(),
      requiredCents: z.number().int(),
      budgetedCents: z.number().int(),
      met: z.boolean(),
    }),
  ),
  deadlines: z.array(
    z.object({
      assignmentId: z.uuid(),
      fundCode: z.string(),
      kind: z.enum(['spesa', 'rendicontazione']),
      date: IsoDate,
      remainingCents: z.number().int().describe('ancora da liquidare'),
    }),
  ),
});
export type BudgetView = z.infer<typeof BudgetView>;

function pick() {
  return { committedCents: z.number().int(), paidCents: z.number().int() };
}

export const AssignmentView = z.object({
  id: z.uuid(),
  fundId: z.uuid(),
  fundCode: z.string(),
  fundName: z.string(),
  year: z.number().int(),
  amountCents: z.number().int(),
  act: ActRef,
  carriedFromId: z.uuid().nullable(),
  minShareArea: z.enum(USER_AREAS).nullable(),
  minShareBasisPoints: z.number().int().nullable(),
  spendBy: IsoDate.nullable(),
  reportBy: z.array(IsoDate),
  note: z.string(),
  budgetedCents: z.number().int(),
  committedCents: z.number().int(),
  paidCents: z.number().int(),
});
export type AssignmentView = z.infer<typeof AssignmentView>;

export const PaymentView = z.object({
  id: z.uuid(),
  number: z.string(),
  date: IsoDate,
  amountCents: z.number().int(),
  payeeName: z.string(),
  beneficiaries: z.number().int().nullable(),
  act: ActRef,
});
export const CommitmentView = z.object({
  id: z.uuid(),
  number: z.string(),
  date: IsoDate,
  amountCents: z.number().int(),
  paidCents: z.number().int(),
  payeeKind: z.enum(PAYEE_KINDS),
  payeeName: z.string(),
  comuneIstat: z.string().nullable(),
  description: z.string(),
  act: ActRef,
  payments: z.array(PaymentView),
});
export const BudgetLineView = z.object({
  id: z.uuid(),
  code: z.string(),
  year: z.number().int(),
  assignmentId: z.uuid(),
  fundCode: z.string(),
  action: z.object({ id: z.uuid(), code: z.string(), title: z.string() }),
  objective: z.object({ id: z.uuid(), code: z.string(), macroAreaCode: z.string().nullable() }),
  area: z.enum(USER_AREAS),
  intervention: z.enum(INTERVENTIONS),
  amountCents: z.number().int(),
  committedCents: z.number().int(),
  paidCents: z.number().int(),
  availableCents: z.number().int(),
  description: z.string(),
});
export type BudgetLineView = z.infer<typeof BudgetLineView>;
export const BudgetLineDetail = BudgetLineView.extend({ commitments: z.array(CommitmentView) });
export type BudgetLineDetail = z.infer<typeof BudgetLineDetail>;
export const BudgetLinesQuery = z.object({
  year: z.coerce.number().pipe(Year),
  fund: FundCode.optional(),
});
export const FinanceItemParams = z.object({
  id: z.uuid('identificativo non valido'),
  itemId: z.uuid('identificativo non valido'),
});
export const YearParams = z.object({
  id: z.uuid('identificativo non valido'),
  year: z.coerce.number().pipe(Year),
});
