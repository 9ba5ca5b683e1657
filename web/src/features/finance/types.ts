/**
 * Wire types of the /api/v1 finance endpoints (see the server's finance.schemas.ts and
 * split.schemas.ts). Money is always integer euro cents; dates are ISO days.
 */

export const USER_AREAS = [
  'famiglia_minori',
  'disabilita_non_autosufficienza',
  'poverta_esclusione',
] as const;
export type UserArea = (typeof USER_AREAS)[number];
export const INTERVENTIONS = [
  'accesso',
  'presa_in_carico',
  'domiciliare',
  'diurni',
  'residenziali',
  'inclusione',
] as const;
export type Intervention = (typeof INTERVENTIONS)[number];
export const FUND_SOURCES = ['nazionale', 'regionale', 'ue', 'comunale', 'altro'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];
export const PAYEE_KINDS = ['comune', 'ente', 'beneficiari'] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];

export interface FundView {
  id: string;
  code: string;
  name: string;
  source: FundSource;
  own: boolean;
}

export interface Amounts {
  assignedCents: number;
  budgetedCents: number;
  committedCents: number;
  paidCents: number;
}

export interface ActRef {
  id: string;
  kind: string;
  number: string;
  date: string;
}

export interface BudgetView {
  year: number;
  closed: boolean;
  totals: Amounts & { availableCents: number };
  byFund: Array<
    Amounts & {
      fundId: string;
      code: string;
      name: string;
      source: FundSource;
      availableCents: number;
      carriedOverCents: number;
    }
  >;
  bySource: Array<Amounts & { source: FundSource }>;
  byMacroArea: Array<{ code: string | null; name: string; budgetedCents: number } & Spent>;
  byObjective: Array<
    {
      objectiveId: string;
      code: string;
      title: string;
      macroAreaCode: string | null;
      budgetedCents: number;
    } & Spent
  >;
  byComune: Array<{ istatCode: string | null; name: string } & Spent>;
  constraints: Array<{
    assignmentId: string;
    fundCode: string;
    area: UserArea;
    requiredBasisPoints: number;
    requiredCents: number;
    budgetedCents: number;
    met: boolean;
  }>;
  deadlines: Array<{
    assignmentId: string;
    fundCode: string;
    kind: 'spesa' | 'rendicontazione';
    date: string;
    remainingCents: number;
  }>;
}

export interface Spent {
  committedCents: number;
  paidCents: number;
}

export interface AssignmentView extends Omit<Amounts, 'assignedCents'> {
  id: string;
  fundId: string;
  fundCode: string;
  fundName: string;
  year: number;
  amountCents: number;
  act: ActRef;
  carriedFromId: string | null;
  minShareArea: UserArea | null;
  minShareBasisPoints: number | null;
  spendBy: string | null;
  reportBy: string[];
  note: string;
}

export interface BudgetLineView extends Spent {
  id: string;
  code: string;
  year: number;
  assignmentId: string;
  fundCode: string;
  action: { id: string; code: string; title: string };
  objective: { id: string; code: string; macroAreaCode: string | null };
  area: UserArea;
  intervention: Intervention;
  amountCents: number;
  availableCents: number;
  description: string;
}

export interface PaymentView {
  id: string;
  number: string;
  date: string;
  amountCents: number;
  payeeName: string;
  beneficiaries: number | null;
  act: ActRef;
}

export interface CommitmentView {
  id: string;
  number: string;
  date: string;
  amountCents: number;
  paidCents: number;
  payeeKind: PayeeKind;
  payeeName: string;
  comuneIstat: string | null;
  description: string;
  act: ActRef;
  payments: PaymentView[];
}

export interface BudgetLineDetail extends BudgetLineView {
  commitments: CommitmentView[];
}

export interface AssignmentInput {
  fundCode: string;
  year: number;
  amountCents: number;
  actId: string;
  note?: string;
}

export interface BudgetLineInput {
  assignmentId: string;
  code: string;
  actionId: string;
  area: UserArea;
  intervention: Intervention;
  amountCents: number;
  description?: string;
}

export interface CommitmentInput {
  budgetLineId: string;
  number: string;
  actId: string;
  date: string;
  amountCents: number;
  payeeKind: PayeeKind;
  payeeName: string;
  comuneIstat?: string | null;
  description?: string;
}

export interface PaymentInput {
  commitmentId: string;
  number: string;
  actId: string;
  date: string;
  amountCents: number;
}

export type SimpleRule =
  | { kind: 'population'; referenceDate: string; ageFrom?: number; ageTo?: number }
  | { kind: 'historical'; year: number; fundCode?: string }
  | { kind: 'fixed'; shares: Array<{ istatCode: string; weight: number }> };

export type SplitRule =
  | SimpleRule
  | { kind: 'mix'; components: Array<{ weight: number; rule: SimpleRule }> }
  | { kind: 'perHead'; referenceDate: string; centsPerInhabitant: number };

export interface SplitPreviewBody {
  totalCents?: number;
  rule: SplitRule;
  asOf?: string;
  fundCode?: string;
  year?: number;
}

export interface SplitLine {
  istatCode: string;
  name: string;
  figure: number | null;
  amountCents: number;
  /** The exact share in cents before rounding, with 6 decimals ("123456.789012"). */
  exactCents: string;
  previousCents: number | null;
}

export interface SplitPreview {
  totalCents: number;
  asOf: string;
  basis: string[];
  lines: SplitLine[];
}

export interface SplitView extends SplitPreview {
  id: string;
  fundCode: string;
  year: number;
  rule: SplitRule;
  act: { id: string; number: string; date: string; subject: string };
  createdBy: string;
  createdAt: string;
}

export type SocialWorkerStatus = 'sotto_soglia' | 'verso_leps' | 'leps_raggiunto' | 'obiettivo_raggiunto';

export interface SocialWorkersView {
  year: number;
  populationYear: number;
  population: number;
  fteHundredths: number;
  residentsPerWorker: number | null;
  status: SocialWorkerStatus;
  contributionCents: number;
  maxContributionCents: number;
  thresholdsHundredths: { base: number; leps: number; target: number };
  comuni: Array<{ istatCode: string; name: string; population: number; fteHundredths: number }>;
}

export interface ImportChange {
  line: number;
  kind: 'impegno' | 'liquidazione';
  year: number;
  number: string;
  action: 'insert' | 'unchanged';
  amountCents: number;
  budgetLine: string;
  /** For a payment: the number of its commitment. */
  commitment: string | null;
}

/** POST …/finance/import (see the server's accounting-csv.ts). */
export interface ImportResult {
  dryRun: boolean;
  changes: ImportChange[];
  errors: Array<{ line: number; field: string; reason: string }>;
  counts: { commitments: number; payments: number; unchanged: number };
}

export interface ReportFigures {
  programmedCents: number;
  committedCents: number;
  paidCents: number;
}

export interface ReportRow {
  /** null on the total row */
  area: UserArea | null;
  label: string;
  cells: Array<ReportFigures & { intervention: Intervention }>;
  total: ReportFigures;
}

/** GET …/finance/report: the rendiconto matrix (see the server's finance.reports.ts). */
export interface SpendingReport {
  ambito: { id: string; name: string };
  year: number;
  fund: { code: string; name: string } | null;
  interventions: Array<{ code: Intervention; label: string }>;
  rows: ReportRow[];
  total: ReportRow;
  lines: Array<
    ReportFigures & {
      id: string;
      fundCode: string;
      code: string;
      action: { code: string; title: string };
      area: UserArea;
      intervention: Intervention;
    }
  >;
}
