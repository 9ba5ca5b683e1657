import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { Cents } from '../finance/finance.schemas.js';
import { IsoDate } from '../plan/plan.schemas.js';
import {
  APPLICATION_STATUSES,
  ApplicationParams,
  CALL_STATUSES,
  CallParams,
  Purpose,
  RELATIONSHIPS,
} from './calls.schemas.js';
import * as ranking from './ranking.service.js';
import * as review from './review.service.js';
import { ApplicantData, ISEE_TYPES } from './rules.schemas.js';

const OUTCOMES = ['funded', 'partially_funded', 'not_funded', 'excluded'] as const;
const Page = z.coerce.number().int().min(1, 'pagina da 1 in su').max(100_000).default(1);

const View = z
  .enum(['full', 'pseudonymised'])
  .describe('pseudonymised: dati personali sostituiti da pseudonimo, fasce e mascherature');

const PseudonymisedApplicant = z.object({
  pseudonym: z.string().describe('stabile nell’Ambito per lo stesso codice fiscale'),
  birthYear: z.number().int(),
  residenceIstat: z.string(),
  isee: z.object({
    type: z.enum(ISEE_TYPES),
    band: z.object({ fromCents: z.number().int(), toCents: z.number().int().nullable() }),
  }),
  householdMembers: z.number().int(),
  iban: z.string().describe('mascherato: paese e ultime quattro cifre'),
});

export const ReviewBody = z.object({
  decision: z.enum(['admissible', 'excluded', 'integration_requested'], 'esito non valido'),
  reason: z.string().trim().max(2000, 'al massimo 2000 caratteri').optional(),
  integrationDue: IsoDate.optional(),
});
export type ReviewBody = z.infer<typeof ReviewBody>;

export const RankingBody = z.object({
  phase: z.enum(['provisional', 'final'], 'fase non valida: provisional o final'),
  actId: z.uuid('atto non valido'),
});
export type RankingBody = z.infer<typeof RankingBody>;

export const BudgetBody = z.object({ budgetCents: Cents, actId: z.uuid('atto non valido') });
export type BudgetBody = z.infer<typeof BudgetBody>;

const Eligibility = z.object({
  eligible: z.boolean(),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
});
const Entry = z.object({
  position: z.number().int().nullable(),
  outcome: z.enum(OUTCOMES),
  awardedCents: z.number().int(),
});

export const ApplicationItem = z.object({
  id: z.uuid(),
  protocol: z.string(),
  receivedAt: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  points: z.number().int(),
  amountCents: z.number().int(),
  eligibility: z.object({ eligible: z.boolean(), reasons: z.array(z.string()) }),
  contest: z
    .object({ at: z.string(), note: z.string().nullable() })
    .nullable()
    .describe('contestata dalla persona per cui è stata presentata (la nota solo nella vista completa)'),
  applicant: z.union([
    z.object({ name: z.string(), codiceFiscale: z.string() }),
    z.object({ pseudonym: z.string() }),
  ]),
});
export type ApplicationItem = z.infer<typeof ApplicationItem>;

export const ApplicationDetail = z.object({
  id: z.uuid(),
  callId: z.uuid(),
  protocol: z.string(),
  receivedAt: z.string(),
  onBehalf: z.boolean(),
  status: z.enum(APPLICATION_STATUSES),
  statusReason: z.string().nullable(),
  integrationDue: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  points: z.number().int(),
  score: z.array(z.object({ criterion: z.string(), points: z.number().int() })),
  amountCents: z.number().int(),
  view: View,
  applicant: z.union([ApplicantData, PseudonymisedApplicant]),
  eligibility: Eligibility.describe('i requisiti verificati alla presentazione'),
  residence: z
    .object({
      istatCode: z.string(),
      comune: z.string().nullable(),
      on: z.string().describe('data a cui il bando chiede la residenza'),
      atSubmission: z.boolean(),
      now: z.boolean().describe('verificata ora sui Comuni dell’Ambito a quella data'),
    })
    .describe('residenza rispetto ai dati territoriali'),
  attachments: z.array(
    z.object({
      code: z.string(),
      filename: z.string(),
      contentType: z.string(),
      bytes: z.number().int(),
      sha256: z.string(),
    }),
  ),
  ranking: Entry.nullable(),
});
export type ApplicationDetail = z.infer<typeof ApplicationDetail>;

export const OwnApplication = z.object({
  applicationId: z.uuid(),
  callId: z.uuid(),
  call: z.object({ code: z.string(), title: z.string() }),
  protocol: z.string(),
  receivedAt: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  statusReason: z.string().nullable(),
  integrationDue: z.string().nullable(),
  beneficiary: z.object({ name: z.string() }).describe('la persona per cui è presentata la domanda'),
  relationship: z.enum(RELATIONSHIPS).describe('chi l’ha presentata per la persona: sé stessa o altri'),
  filedByMe: z.boolean().describe('presentata da chi consulta'),
  forMe: z.boolean().describe('presentata per chi consulta (stesso codice fiscale del suo account)'),
  contestedAt: z.string().nullable(),
  ranking: Entry.extend({ phase: z.enum(['provisional', 'final']) }).nullable(),
});
export type OwnApplication = z.infer<typeof OwnApplication>;

export const RankingResult = z.object({
  status: z.enum(CALL_STATUSES),
  rankedAt: z.string().nullable(),
  finalAt: z.string().nullable(),
  appealDeadline: z.string().nullable().describe('fine dei termini per i ricorsi sulla provvisoria'),
  budgetCents: z.number().int(),
  awardedCents: z.number().int(),
  counts: z.object({
    funded: z.number().int(),
    partiallyFunded: z.number().int(),
    notFunded: z.number().int(),
    excluded: z.number().int(),
  }),
  changes: z.number().int().describe('variazioni di assegnazione registrate'),
});
export type RankingResult = z.infer<typeof RankingResult>;

export const RankingView = RankingResult.omit({ changes: true }).extend({
  callId: z.uuid(),
  code: z.string(),
  title: z.string(),
  phase: z.enum(['provisional', 'final']),
  acts: z.array(z.object({ phase: z.enum(['provisional', 'final']), number: z.string(), date: z.string() })),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  entries: z.array(Entry.extend({ protocol: z.string(), points: z.number().int() })),
});
export type RankingView = z.infer<typeof RankingView>;

export const RankingChange = z.object({
  id: z.number().int(),
  protocol: z.string(),
  fromOutcome: z.string().nullable(),
  toOutcome: z.string(),
  fromCents: z.number().int(),
  toCents: z.number().int(),
  reason: z.string(),
  changedAt: z.string(),
  changedBy: z.string(),
});
export type RankingChange = z.infer<typeof RankingChange>;

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = { ...errors, 409: ProblemSchema, 422: ProblemSchema };
const tags = ['istruttoria e graduatoria'];

export function reviewRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/calls/:callId/applications', {
    schema: {
      tags,
      summary: 'Domande del bando per l’istruttoria (dati personali: lettura registrata)',
      params: CallParams,
      querystring: Purpose.extend({ status: z.enum(APPLICATION_STATUSES).optional(), page: Page }),
      response: {
        200: z.object({
          view: View,
          items: z.array(ApplicationItem),
          total: z.number().int(),
          page: z.number().int(),
          pageSize: z.number().int(),
        }),
        ...errors,
      },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return review.listApplications(db, req.actor, req.params.callId, req.query);
    },
  });

  r.get('/api/v1/calls/:callId/applications/:applicationId', {
    schema: {
      tags,
      summary:
        'Una domanda con le verifiche: requisiti, residenza sui dati territoriali, allegati (revisori: pseudonimizzata senza finalità)',
      params: ApplicationParams,
      querystring: Purpose,
      response: { 200: ApplicationDetail, ...errors },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const { callId, applicationId } = req.params;
      return review.getApplication(db, req.actor, callId, applicationId, req.query.purpose);
    },
  });

  r.get('/api/v1/calls/:callId/applications/:applicationId/attachments/:code', {
    schema: {
      tags,
      summary: 'Scarica un allegato della domanda (lettura registrata; revisori: solo con finalità)',
      params: ApplicationParams.extend({
        code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'codice non valido'),
      }),
      querystring: Purpose,
      response: { 200: z.any(), ...errors },
    },
    handler: async (req, reply) => {
      const { callId, applicationId, code } = req.params;
      const file = await review.getAttachment(db, req.actor, callId, applicationId, code, req.query.purpose);
      return reply
        .type(file.contentType)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`)
        .send(file.content);
    },
  });

  r.post('/api/v1/calls/:callId/applications/:applicationId/review', {
    schema: {
      tags,
      summary: 'Ammette, esclude con motivo o chiede un’integrazione entro una data (fino alla definitiva)',
      params: ApplicationParams,
      body: ReviewBody,
      response: {
        200: z.object({
          id: z.uuid(),
          status: z.enum(APPLICATION_STATUSES),
          statusReason: z.string().nullable(),
          integrationDue: z.string().nullable(),
          reviewedBy: z.string(),
          reviewedAt: z.string(),
          changes: z.number().int(),
        }),
        ...writeErrors,
      },
    },
    handler: async (req) =>
      review.reviewApplication(db, req.actor, req.params.callId, req.params.applicationId, req.body),
  });

  r.post('/api/v1/calls/:callId/applications/:applicationId/withdraw', {
    schema: {
      tags,
      summary:
        'Ritira la domanda (il richiedente, o l’Ufficio di Piano): i fondi liberati vanno ai successivi',
      params: ApplicationParams,
      response: {
        200: z.object({ id: z.uuid(), status: z.literal('withdrawn'), changes: z.number().int() }),
        ...writeErrors,
      },
    },
    handler: async (req) =>
      review.withdrawApplication(db, req.actor, req.params.callId, req.params.applicationId),
  });

  r.get('/api/v1/me/applications', {
    schema: {
      tags,
      summary: 'Le proprie domande in tutti gli Ambiti, con l’esito in graduatoria',
      response: { 200: z.object({ items: z.array(OwnApplication) }), ...errors },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await review.myApplications(db, req.actor) };
    },
  });

  r.post('/api/v1/calls/:callId/ranking', {
    schema: {
      tags,
      summary: 'Approva la graduatoria provvisoria o, dopo i ricorsi, la definitiva (calcolata nel database)',
      params: CallParams,
      body: RankingBody,
      response: { 200: RankingResult, ...writeErrors },
    },
    handler: async (req) => ranking.publishRanking(db, req.actor, req.params.callId, req.body),
  });

  r.get('/api/v1/calls/:callId/ranking', {
    schema: {
      tags,
      summary: 'La graduatoria pubblicata: numeri di protocollo, mai nomi',
      params: CallParams,
      querystring: z.object({ page: Page }),
      response: { 200: RankingView, ...errors },
    },
    handler: async (req) => ranking.getRanking(db, req.actor, req.params.callId, req.query.page),
  });

  r.get('/api/v1/calls/:callId/ranking/changes', {
    schema: {
      tags,
      summary: 'Le variazioni di assegnazione dopo la graduatoria (rinunce, esclusioni, fondi aggiunti)',
      params: CallParams,
      response: { 200: z.object({ items: z.array(RankingChange) }), ...errors },
    },
    handler: async (req) => ({ items: await ranking.listRankingChanges(db, req.actor, req.params.callId) }),
  });

  r.post('/api/v1/calls/:callId/budget', {
    schema: {
      tags,
      summary: 'Aumenta il budget del bando con un nuovo atto: la graduatoria finanzia i successivi',
      params: CallParams,
      body: BudgetBody,
      response: { 200: RankingResult, ...writeErrors },
    },
    handler: async (req) => ranking.increaseBudget(db, req.actor, req.params.callId, req.body),
  });
}
