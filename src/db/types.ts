import type { ColumnType, Generated } from 'kysely';

/** Timestamps are written by the database and read as Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegionsTable {
  code: string;
  name: string;
}

export interface ProvincesTable {
  code: string;
  name: string;
  abbr: string;
  region_code: string;
}

export interface ComuniTable {
  istat_code: string;
  name: string;
  name_other: string | null;
  province_code: string;
  /** Null while not yet assigned (N.D. in the ISTAT list). */
  belfiore: string | null;
  legal_population: number | null;
  is_capoluogo: boolean;
  ceased_on: string | null;
  list_date: string;
  updated_at: Timestamp;
}

export interface ComuniImportsTable {
  list_date: string;
  source: string;
  rows: number;
  ceased: number;
  imported_at: Timestamp;
}

export interface PopulationTable {
  istat_code: string;
  ref_year: number;
  age: number;
  male: number;
  female: number;
}

export interface PopulationImportsTable {
  ref_year: number;
  source: string;
  demo: boolean;
  comuni: number;
  imported_at: Timestamp;
}

export interface AmbitiTable {
  id: Generated<string>;
  code: string;
  name: string;
  capofila_istat: string | null;
  ats: string | null;
  asst: string | null;
  district: string | null;
  demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AmbitoComuniTable {
  ambito_id: string;
  istat_code: string;
  valid_from: string;
  valid_to: string | null;
  created_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface DB {
  regions: RegionsTable;
  provinces: ProvincesTable;
  comuni: ComuniTable;
  comuni_imports: ComuniImportsTable;
  population: PopulationTable;
  population_imports: PopulationImportsTable;
  ambiti: AmbitiTable;
  ambito_comuni: AmbitoComuniTable;
  schema_migrations: SchemaMigrationsTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  user_recovery_codes: UserRecoveryCodesTable;
  user_identities: UserIdentitiesTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  app_secrets: AppSecretsTable;
  audit_log: AuditLogTable;
  taxonomy_periods: TaxonomyPeriodsTable;
  macro_areas: MacroAreasTable;
  leps: LepsTable;
  reward_rules: RewardRulesTable;
  acts: ActsTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  objectives: ObjectivesTable;
  actions: ActionsTable;
  action_resources: ActionResourcesTable;
  indicators: IndicatorsTable;
  indicator_targets: IndicatorTargetsTable;
  indicator_values: IndicatorValuesTable;
  reward_projects: RewardProjectsTable;
  funds: FundsTable;
  fund_years: FundYearsTable;
  fund_assignments: FundAssignmentsTable;
  financial_years: FinancialYearsTable;
  budget_lines: BudgetLinesTable;
  commitments: CommitmentsTable;
  payments: PaymentsTable;
  splits: SplitsTable;
  split_shares: SplitSharesTable;
  social_worker_fte: SocialWorkerFteTable;
  calls: CallsTable;
  applications: ApplicationsTable;
  application_attachments: ApplicationAttachmentsTable;
  protocol_register: ProtocolRegisterTable;
  ranking_entries: RankingEntriesTable;
  ranking_changes: RankingChangesTable;
  payment_lists: PaymentListsTable;
  payment_list_lines: PaymentListLinesTable;
}

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  runts_number: string | null;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  disabled_at: Date | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** 0008: the person's codice fiscale, from SPID/CIE or set on a local account. */
  codice_fiscale: Generated<string | null>;
}

export interface UserRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
}

export interface RoleAssignmentsTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  ambito_id: string | null;
  comune_istat: string | null;
  organization_id: string | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  auth_method: Generated<string>;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: Timestamp;
  succeeded: boolean;
}

export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_username: string | null;
  ip: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  ambito_id: string | null;
  purpose: string | null;
  outcome: string;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

type Numeric = ColumnType<string, string | number, string | number>;

export interface TaxonomyPeriodsTable {
  code: string;
  name: string;
  guideline: string | null;
}
export interface MacroAreasTable {
  period_code: string;
  code: string;
  name: string;
}
export interface LepsTable {
  code: string;
  name: string;
}
export interface RewardRulesTable {
  period_code: string;
  min_ambiti: number;
  same_district: boolean;
  require_asst: boolean;
  min_objectives: number;
}
export interface ActsTable {
  ambito_id: string;
  id: Generated<string>;
  kind: string;
  body: string;
  number: string;
  act_date: string;
  subject: string;
  pdf: Buffer | null;
  pdf_sha256: string | null;
  created_at: Timestamp;
}
export interface PlansTable {
  ambito_id: string;
  id: Generated<string>;
  title: string;
  period_code: string;
  start_date: string;
  end_date: string;
  edition: number;
  status: Generated<string>;
  approval_act_id: string | null;
  extended_to: string | null;
  extension_act_id: string | null;
  governance: Generated<string>;
  methodology: Generated<string>;
  version: Generated<number>;
  revision: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PlanVersionsTable {
  ambito_id: string;
  plan_id: string;
  version: number;
  snapshot: unknown;
  author: string;
  reason: string;
  created_at: Timestamp;
}
export interface ObjectivesTable {
  ambito_id: string;
  id: Generated<string>;
  plan_id: string;
  parent_id: string | null;
  code: string;
  title: string;
  kind: string | null;
  macro_area_code: string | null;
  period_code: string;
  needs: Generated<string>;
  leps_codes: Generated<string[]>;
  position: Generated<number>;
  revision: Generated<number>;
}
export interface ActionsTable {
  ambito_id: string;
  id: Generated<string>;
  plan_id: string;
  objective_id: string;
  code: string;
  title: string;
  responsible: string;
  partners: Generated<string[]>;
  start_date: string;
  end_date: string;
  status: Generated<string>;
  staff_hours: Generated<number>;
  position: Generated<number>;
  revision: Generated<number>;
}
export interface ActionResourcesTable {
  ambito_id: string;
  action_id: string;
  fund: string;
  amount_cents: number;
}
export interface IndicatorsTable {
  ambito_id: string;
  id: Generated<string>;
  plan_id: string;
  objective_id: string | null;
  action_id: string | null;
  code: string;
  name: string;
  kind: string;
  unit: string;
  baseline: Numeric | null;
  baseline_date: string | null;
  evaluation_tool: Generated<string>;
  lower_is_better: Generated<boolean>;
  revision: Generated<number>;
}
export interface IndicatorTargetsTable {
  ambito_id: string;
  indicator_id: string;
  year: number;
  target: Numeric;
}
export interface IndicatorValuesTable {
  ambito_id: string;
  id: Generated<string>;
  indicator_id: string;
  measured_on: string;
  value: Numeric;
  source: string;
  created_at: Timestamp;
}
export interface RewardProjectsTable {
  ambito_id: string;
  id: Generated<string>;
  plan_id: string;
  title: string;
  partner_ambiti: Generated<string[]>;
  same_district: Generated<boolean>;
  asst_involved: Generated<boolean>;
  objective_codes: Generated<string[]>;
}

export type UserArea = 'famiglia_minori' | 'disabilita_non_autosufficienza' | 'poverta_esclusione';
export type Intervention =
  | 'accesso'
  | 'presa_in_carico'
  | 'domiciliare'
  | 'diurni'
  | 'residenziali'
  | 'inclusione';

export interface FundsTable {
  id: Generated<string>;
  ambito_id: string | null;
  code: string;
  name: string;
  source: 'nazionale' | 'regionale' | 'ue' | 'comunale' | 'altro';
}

export interface FundYearsTable {
  fund_id: string;
  year: number;
  min_share_area: UserArea | null;
  min_share_bp: number | null;
  spend_months: number | null;
  note: Generated<string>;
}

export interface FundAssignmentsTable {
  ambito_id: string;
  id: Generated<string>;
  fund_id: string;
  year: number;
  amount_cents: number;
  act_id: string;
  carried_from_id: string | null;
  min_share_area: UserArea | null;
  min_share_bp: number | null;
  spend_by: string | null;
  report_by: Generated<string[]>;
  note: Generated<string>;
  created_at: Timestamp;
}

export interface FinancialYearsTable {
  ambito_id: string;
  year: number;
  closed_at: Timestamp;
  close_act_id: string;
}

export interface BudgetLinesTable {
  ambito_id: string;
  id: Generated<string>;
  assignment_id: string;
  year: number;
  code: string;
  action_id: string;
  area: UserArea;
  intervention: Intervention;
  amount_cents: number;
  description: Generated<string>;
  created_at: Timestamp;
}

export interface CommitmentsTable {
  ambito_id: string;
  id: Generated<string>;
  budget_line_id: string;
  year: number;
  number: string;
  act_id: string;
  commit_date: string;
  amount_cents: number;
  payee_kind: 'comune' | 'ente' | 'beneficiari';
  payee_name: string;
  comune_istat: string | null;
  description: Generated<string>;
  created_at: Timestamp;
}

export interface PaymentsTable {
  ambito_id: string;
  id: Generated<string>;
  commitment_id: string;
  year: number;
  number: string;
  act_id: string;
  pay_date: string;
  amount_cents: number;
  payee_name: string;
  beneficiaries: number | null;
  created_at: Timestamp;
}

export interface SplitsTable {
  ambito_id: string;
  id: Generated<string>;
  fund_id: string;
  year: number;
  total_cents: number;
  rule: unknown;
  act_id: string;
  superseded_at: Date | null;
  created_by: string;
  created_at: Timestamp;
}

export interface SplitSharesTable {
  ambito_id: string;
  split_id: string;
  istat_code: string;
  amount_cents: number;
}

export interface SocialWorkerFteTable {
  ambito_id: string;
  year: number;
  istat_code: string;
  fte_hundredths: number;
  updated_at: Timestamp;
}

export type CallStatus = 'draft' | 'published' | 'ranked' | 'final';
export type ApplicationStatus =
  | 'submitted'
  | 'integration_requested'
  | 'admissible'
  | 'excluded'
  | 'withdrawn';
export type Outcome = 'funded' | 'partially_funded' | 'not_funded' | 'excluded';

export interface CallsTable {
  ambito_id: string;
  id: Generated<string>;
  code: string;
  title: string;
  template: 'misura_b2' | 'dopo_di_noi' | 'sostegno_affitto' | null;
  description: Generated<string>;
  budget_line_id: string;
  approval_act_id: string;
  opens_at: Date;
  closes_at: Date;
  budget_cents: number;
  rules: unknown;
  debtor_name: string;
  debtor_iban: string;
  status: Generated<CallStatus>;
  ranked_at: Date | null;
  final_at: Date | null;
  commitment_id: string | null;
  revision: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApplicationsTable {
  ambito_id: string;
  id: Generated<string>;
  call_id: string;
  seq: number;
  protocol: string;
  received_at: Date;
  idempotency_key: string;
  applicant_cf: string;
  user_id: string | null;
  on_behalf: Generated<boolean>;
  data: unknown;
  data_hash: string;
  receipt_hash: string;
  eligibility: unknown;
  points: number;
  score: unknown;
  amount_cents: number;
  isee_cents: number;
  household: number;
  birth_date: string;
  status: Generated<ApplicationStatus>;
  status_reason: string | null;
  integration_due: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  /** 0008: who filed it for the beneficiary; `self` when the beneficiary did. */
  relationship: Generated<ApplicantRelationship>;
  contest_note: string | null;
  contested_at: Date | null;
}

export type ApplicantRelationship =
  | 'self'
  | 'familiare'
  | 'tutore'
  | 'amministratore_sostegno'
  | 'patronato'
  | 'operatore';

export interface ApplicationAttachmentsTable {
  ambito_id: string;
  application_id: string;
  code: string;
  filename: string;
  content_type: string;
  bytes: number;
  sha256: string;
  content: Buffer;
}

export interface ProtocolRegisterTable {
  ambito_id: string;
  seq: number;
  application_id: string;
  call_id: string;
  protocol: string;
  received_at: Date;
  data_hash: string;
  prev_hash: string;
  hash: string;
}

export interface RankingEntriesTable {
  ambito_id: string;
  call_id: string;
  application_id: string;
  position: number | null;
  points: number;
  outcome: Outcome;
  awarded_cents: Generated<number>;
}

export interface RankingChangesTable {
  ambito_id: string;
  id: Generated<number>;
  call_id: string;
  application_id: string;
  from_outcome: Outcome | null;
  to_outcome: Outcome;
  from_cents: Generated<number>;
  to_cents: Generated<number>;
  reason: string;
  changed_at: Timestamp;
  changed_by: string;
}

export interface PaymentListsTable {
  ambito_id: string;
  id: Generated<string>;
  call_id: string;
  period: string;
  commitment_id: string;
  payment_id: string;
  total_cents: number;
  lines: number;
  created_at: Timestamp;
  created_by: string;
}

export interface PaymentListLinesTable {
  ambito_id: string;
  list_id: string;
  application_id: string;
  amount_cents: number;
}
