/**
 * Wire types of the /api/v1 calls endpoints (bandi, domande, graduatorie, elenchi di liquidazione),
 * mirroring the server's Zod schemas in src/features/calls. Money is integer cents, dates ISO.
 */

export const ISEE_TYPES = ['ordinario', 'sociosanitario', 'minorenni', 'corrente'] as const;
export type IseeType = (typeof ISEE_TYPES)[number];
export const DISABILITY_CODES = [
  'l104_art3_c3',
  'indennita_accompagnamento',
  'invalidita_100',
  'l104_art3_c1',
] as const;
export type DisabilityCode = (typeof DISABILITY_CODES)[number];
type FieldKind = 'text' | 'number' | 'boolean' | 'date' | 'select' | 'cents';
type TieBreaker = 'isee_asc' | 'household_desc' | 'age_desc' | 'age_asc' | 'received_asc';
export type AwardMode = 'stop' | 'skip' | 'partial';
type TemplateCode = 'misura_b2' | 'dopo_di_noi' | 'sostegno_affitto';
type CallStatus = 'draft' | 'published' | 'ranked' | 'final';
export const APPLICATION_STATUSES = [
  'submitted',
  'integration_requested',
  'admissible',
  'excluded',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export type Outcome = 'funded' | 'partially_funded' | 'not_funded' | 'excluded';

export interface FieldRule {
  code: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  max?: number;
}

export interface AttachmentRule {
  code: string;
  label: string;
  required: boolean;
  maxBytes: number;
  types: string[];
}

interface IseeRule {
  type: IseeType;
  maxCents: number;
  alternatives?: Array<{ when: string; type: IseeType; maxCents: number }>;
}

export type AmountRule =
  | { kind: 'fixed'; cents: number }
  | { kind: 'bands'; bands: Array<{ upToIseeCents: number; cents: number }> }
  | { kind: 'requested'; maxCents: number };

export interface CallRules {
  eligibility: {
    residenceOn: string;
    age?: { min?: number; max?: number; on: string };
    isee?: IseeRule;
    disability?: { anyOf: DisabilityCode[] };
    conditions: Array<{ code: string; label: string; required: boolean }>;
  };
  fields: FieldRule[];
  attachments: AttachmentRule[];
  scoring: {
    isee: Array<{ upToCents: number; points: number }>;
    household?: Array<{ minMembers: number; points: number }>;
    age?: Array<{ from: number; to: number; points: number }>;
    disability?: Array<{ code: DisabilityCode; points: number }>;
    conditions?: Array<{ code: string; points: number }>;
  };
  ties: TieBreaker[];
  amount: AmountRule;
  onDoesNotFit: AwardMode;
  appealDays: number;
}

export interface CallView {
  id: string;
  ambitoId: string;
  code: string;
  title: string;
  template: TemplateCode | null;
  description: string;
  budgetLineId: string;
  approvalAct: { id: string; number: string; date: string };
  opensAt: string;
  closesAt: string;
  budgetCents: number;
  rules: CallRules;
  status: CallStatus;
  open: boolean;
  applications: number | null;
  revision: number;
}

export interface CallTemplateView {
  code: TemplateCode;
  title: string;
  fundCode: string;
  description: string;
  rules: CallRules;
}

/** What creating (or editing) a call sends; the rules are checked by the server as a whole. */
export type CallInput = Pick<
  CallView,
  | 'code'
  | 'title'
  | 'template'
  | 'description'
  | 'budgetLineId'
  | 'opensAt'
  | 'closesAt'
  | 'budgetCents'
  | 'rules'
> & { approvalActId: string; debtorName: string; debtorIban: string };

export type FieldValue = string | number | boolean | null;

export interface ApplicantData {
  codiceFiscale: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  birthPlace: string;
  gender: 'M' | 'F';
  residenceIstat: string;
  address: string;
  isee: { type: IseeType; valueCents: number; dsuProtocol: string; dsuDate: string };
  householdMembers: number;
  disability: DisabilityCode[];
  conditions: Record<string, boolean>;
  fields: Record<string, FieldValue>;
  requestedCents?: number;
  iban: string;
  email?: string;
  phone?: string;
}

export interface AttachmentUpload {
  code: string;
  filename: string;
  contentType: string;
  contentBase64: string;
}

export interface SubmissionBody {
  relationship?: DeclaredRelationship;
  applicant: ApplicantData;
  attachments: AttachmentUpload[];
}

export interface Receipt {
  applicationId: string;
  callId: string;
  protocol: string;
  /** ISO instant with milliseconds. */
  receivedAt: string;
  hash: string;
  dataHash: string;
}

export interface ReceiptView {
  receipt: Receipt;
  call: { code: string; title: string };
  status: string;
}

/** A line of the office's list of a call's applications (GET /calls/:callId/applications). */
export interface ApplicationItem {
  id: string;
  protocol: string;
  receivedAt: string;
  status: ApplicationStatus;
  points: number;
  amountCents: number;
  /** Requirements checked at submission; `reasons` are the codes of those not met. */
  eligibility: { eligible: boolean; reasons: string[] };
  /** Auditors without a stated purpose get a pseudonym instead of name and codice fiscale. */
  applicant: { name: string; codiceFiscale: string } | { pseudonym: string };
  /** Contested by the person it was filed for; the note only in the full view. */
  contest?: { at: string; note: string | null } | null;
}

/** `pseudonymised`: an auditor's view without a stated purpose (pseudonym, bands, masks). */
export type ApplicationView = 'full' | 'pseudonymised';

/** What an auditor reads of an applicant without a stated purpose. */
export interface PseudonymisedApplicant {
  pseudonym: string;
  birthYear: number;
  residenceIstat: string;
  isee: { type: ApplicantData['isee']['type']; band: { fromCents: number; toCents: number | null } };
  householdMembers: number;
  /** Country code and last four characters. */
  iban: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Where an application stands in the ranking, once there is one. */
interface RankingPlace {
  position: number | null;
  outcome: Outcome;
  awardedCents: number;
}

export interface ApplicationDetail {
  id: string;
  callId: string;
  protocol: string;
  receivedAt: string;
  onBehalf: boolean;
  status: ApplicationStatus;
  statusReason: string | null;
  integrationDue: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  points: number;
  score: Array<{ criterion: string; points: number }>;
  amountCents: number;
  view: ApplicationView;
  applicant: ApplicantData | PseudonymisedApplicant;
  eligibility: { eligible: boolean; reasons: Array<{ code: string; message: string }> };
  /** The residence against the territory data: at submission, and checked again now. */
  residence: { istatCode: string; comune: string | null; on: string; atSubmission: boolean; now: boolean };
  attachments: Array<{ code: string; filename: string; contentType: string; bytes: number; sha256: string }>;
  ranking: RankingPlace | null;
}

/** One of the logged-in person's own applications (GET /me/applications). */
export interface OwnApplication {
  applicationId: string;
  callId: string;
  call: { code: string; title: string };
  protocol: string;
  receivedAt: string;
  status: ApplicationStatus;
  statusReason: string | null;
  integrationDue: string | null;
  /** The person the application is for, and who filed it for them. */
  beneficiary: { name: string };
  relationship: Relationship;
  filedByMe: boolean;
  forMe: boolean;
  contestedAt: string | null;
  ranking: (RankingPlace & { phase: RankingPhase }) | null;
}

/** Who files an application for the person in it: themself, or someone in a declared capacity. */
export type DeclaredRelationship = 'self' | 'familiare' | 'tutore' | 'amministratore_sostegno' | 'patronato';
export type Relationship = DeclaredRelationship | 'operatore';

export interface ReviewInput {
  decision: 'admissible' | 'excluded' | 'integration_requested';
  reason?: string;
  integrationDue?: string;
}

export type RankingPhase = 'provisional' | 'final';

/** What approving a ranking (or adding budget) answers. */
export interface RankingResult {
  status: CallStatus;
  rankedAt: string | null;
  finalAt: string | null;
  /** End of the appeals window on the provisional ranking. */
  appealDeadline: string | null;
  budgetCents: number;
  awardedCents: number;
  counts: { funded: number; partiallyFunded: number; notFunded: number; excluded: number };
  changes: number;
}

interface RankingEntry extends RankingPlace {
  protocol: string;
  points: number;
}

/** The published ranking, a page at a time: protocol numbers, never names. */
export interface RankingView extends Omit<RankingResult, 'changes'> {
  callId: string;
  code: string;
  title: string;
  phase: RankingPhase;
  acts: Array<{ phase: RankingPhase; number: string; date: string }>;
  page: number;
  pageSize: number;
  total: number;
  entries: RankingEntry[];
}

export interface RankingChange {
  id: number;
  protocol: string;
  fromOutcome: string | null;
  toOutcome: string;
  fromCents: number;
  toCents: number;
  reason: string;
  changedAt: string;
  changedBy: string;
}

export interface PaymentListView {
  id: string;
  period: string;
  totalCents: number;
  lines: number;
  executionDate: string;
  /** Numbers of the payment (liquidazione) and the call's commitment in the accounts. */
  payment: string;
  commitment: string;
  createdAt: string;
  createdBy: string;
}

export interface PaymentListInput {
  /** AAAA-MM: one list per month paid. */
  period: string;
  actId: string;
  executionDate: string;
  /** Equal instalments each award is paid in (1: all in one list). */
  instalments?: number;
}
