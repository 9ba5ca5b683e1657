import { z } from 'zod';
import { isSafeText, Text, UNSAFE_TEXT_REASON } from '../../contract/text.js';
import { Cents } from '../finance/finance.schemas.js';
import { ApplicantData, CallRules } from './rules.schemas.js';

export const CALL_TEMPLATES = ['misura_b2', 'dopo_di_noi', 'sostegno_affitto'] as const;
export const CALL_STATUSES = ['draft', 'published', 'ranked', 'final'] as const;
export const APPLICATION_STATUSES = [
  'submitted',
  'integration_requested',
  'admissible',
  'excluded',
  'withdrawn',
] as const;

const Instant = z.iso.datetime({ offset: true, message: 'data e ora non valide (ISO 8601 con fuso orario)' });

export const CallInput = z.object({
  code: Text()
    .trim()
    .regex(/^[A-Za-z0-9._-]{2,40}$/, 'da 2 a 40 caratteri tra lettere, cifre e . _ -'),
  title: Text().trim().min(3, 'almeno 3 caratteri').max(300),
  template: z.enum(CALL_TEMPLATES).nullable().default(null),
  description: Text().trim().max(5000).default(''),
  budgetLineId: z.uuid('linea di bilancio non valida'),
  approvalActId: z.uuid('atto non valido'),
  opensAt: Instant,
  closesAt: Instant,
  budgetCents: Cents.refine((v) => v > 0, 'il budget deve essere maggiore di zero'),
  rules: CallRules,
  debtorName: Text().trim().min(2).max(70),
  debtorIban: Text().trim().min(15).max(40),
});
export type CallInput = z.infer<typeof CallInput>;

export const CallView = z.object({
  id: z.uuid(),
  ambitoId: z.uuid(),
  code: z.string(),
  title: z.string(),
  template: z.enum(CALL_TEMPLATES).nullable(),
  description: z.string(),
  budgetLineId: z.uuid(),
  approvalAct: z.object({ id: z.uuid(), number: z.string(), date: z.string() }),
  opensAt: z.string(),
  closesAt: z.string(),
  budgetCents: z.number().int(),
  rules: CallRules,
  status: z.enum(CALL_STATUSES),
  open: z.boolean().describe('accetta domande in questo momento'),
  applications: z.number().int().nullable().describe('domande ricevute (solo per l’Ufficio di Piano)'),
  revision: z.number().int(),
});
export type CallView = z.infer<typeof CallView>;

export const Attachment = z.object({
  code: Text().min(1).max(40),
  filename: Text().trim().min(1, 'nome del file obbligatorio').max(200, 'al massimo 200 caratteri'),
  contentType: Text().min(3).max(100),
  contentBase64: Text().min(4).max(14_000_000, 'allegato troppo grande'),
});
/**
 * Who files the application for the beneficiary (the person in `applicant`): the beneficiary
 * themself, or someone with a declared capacity. `operatore` is the office's own staff and is
 * set by the server, never declared.
 */
export const DECLARED_RELATIONSHIPS = [
  'self',
  'familiare',
  'tutore',
  'amministratore_sostegno',
  'patronato',
] as const;
export const RELATIONSHIPS = [...DECLARED_RELATIONSHIPS, 'operatore'] as const;
export const SubmissionBody = z.object({
  relationship: z
    .enum(DECLARED_RELATIONSHIPS, 'scegliere per chi si presenta la domanda')
    .optional()
    .describe(
      'per chi si presenta la domanda: per sé (se omesso), o per un familiare, tutelato, amministrato, assistito',
    ),
  applicant: ApplicantData,
  attachments: z.array(Attachment).max(10).default([]),
});
export type SubmissionBody = z.infer<typeof SubmissionBody>;

export const Receipt = z.object({
  applicationId: z.uuid(),
  callId: z.uuid(),
  protocol: z.string(),
  receivedAt: z.string().describe('data e ora di ricezione, al millisecondo'),
  hash: z.string().describe('SHA-256 della ricevuta: protocollo, istante, bando e contenuto inviato'),
  dataHash: z.string().describe('SHA-256 di quanto inviato (dati e allegati)'),
});
export type Receipt = z.infer<typeof Receipt>;

/** Ids are compared as text in the intake's maps: one spelling, lower case, whatever the URL said. */
const Id = () => z.uuid('identificativo non valido').toLowerCase();
export const CallParams = z.object({ callId: Id() });
export const ApplicationParams = z.object({ callId: Id(), applicationId: Id() });
export const ContestBody = z.object({
  note: Text().trim().min(10, 'spiegare in almeno 10 caratteri').max(2000, 'al massimo 2000 caratteri'),
});
export type ContestBody = z.infer<typeof ContestBody>;

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string('intestazione Idempotency-Key obbligatoria')
    .refine(isSafeText, `Idempotency-Key: ${UNSAFE_TEXT_REASON}`)
    .min(8, 'Idempotency-Key: almeno 8 caratteri')
    .max(200, 'Idempotency-Key: al massimo 200 caratteri'),
});
export const TemplateQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/**
 * Why the whole record is read (ADR 0007): an auditor who states it reads names, codice fiscale,
 * ISEE, IBAN, disability and attachments, and the reason is recorded with the read; without it
 * the auditor reads pseudonymised views. The office may state one too.
 */
export const Purpose = z.object({
  purpose: Text()
    .trim()
    .min(10, 'indicare la finalità in almeno 10 caratteri (es. verifica a campione n. 12/2026)')
    .max(500, 'al massimo 500 caratteri')
    .optional(),
});
