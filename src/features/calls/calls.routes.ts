import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { AmbitoParams } from '../territory/territory.schemas.js';
import { Applications, contestApplication, getReceipt } from './applications.service.js';
import {
  ApplicationParams,
  CallInput,
  CallParams,
  CallView,
  ContestBody,
  IdempotencyHeaders,
  Receipt,
  SubmissionBody,
  TemplateQuery,
} from './calls.schemas.js';
import * as calls from './calls.service.js';
import { Intake } from './intake.js';
import { renderReceiptPdf } from './receipt.pdf.js';
import { verifyRegister } from './register.js';
import { CallRules } from './rules.schemas.js';
import { CALL_TEMPLATES, templateFor } from './templates.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  428: ProblemSchema,
  503: ProblemSchema,
};
const tags = ['bandi e domande'];

export function callRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const applications = new Applications(db, new Intake(db));

  r.get('/api/v1/call-templates', {
    schema: {
      tags,
      summary:
        'Modelli di bando (Misura B2, Dopo di Noi, sostegno affitto) con i valori dell’anno, modificabili',
      querystring: TemplateQuery,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              code: z.string(),
              title: z.string(),
              fundCode: z.string(),
              description: z.string(),
              rules: CallRules,
            }),
          ),
        }),
        ...errors,
      },
    },
    handler: async (req) => ({
      items: Object.keys(CALL_TEMPLATES).map((code) => {
        const t = templateFor(code as keyof typeof CALL_TEMPLATES, req.query.year);
        return { code, title: t.title, fundCode: t.fundCode, description: t.description, rules: t.rules };
      }),
    }),
  });

  r.get('/api/v1/ambiti/:id/calls', {
    schema: {
      tags,
      summary: 'Bandi dell’Ambito (le bozze solo per l’Ufficio di Piano)',
      params: AmbitoParams,
      response: { 200: z.object({ items: z.array(CallView) }), ...errors },
    },
    handler: async (req) => ({ items: await calls.listCalls(db, req.actor, req.params.id) }),
  });

  r.post('/api/v1/ambiti/:id/calls', {
    schema: {
      tags,
      summary: 'Crea un bando in bozza: regole come dati, validate al salvataggio',
      params: AmbitoParams,
      body: CallInput,
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await calls.createCall(db, req.actor, req.params.id, req.body)),
  });

  r.get('/api/v1/calls/:callId', {
    schema: { tags, summary: 'Un bando', params: CallParams, response: { 200: CallView, ...errors } },
    handler: async (req, reply) => {
      const call = await calls.getCall(db, req.actor, req.params.callId);
      reply.header('etag', `"${call.revision}"`);
      return call;
    },
  });

  r.put('/api/v1/calls/:callId', {
    schema: {
      tags,
      summary: 'Modifica un bando non ancora aperto (If-Match obbligatorio)',
      params: CallParams,
      body: CallInput,
      response: { 200: z.object({ revision: z.number().int() }), ...errors },
    },
    handler: async (req) =>
      calls.updateCall(db, req.actor, req.params.callId, req.body, req.headers['if-match']),
  });

  r.post('/api/v1/calls/:callId/publish', {
    schema: {
      tags,
      summary: 'Pubblica il bando: dall’apertura accetta domande ed è congelato',
      params: CallParams,
      response: { 200: z.object({ status: z.literal('published') }), ...errors },
    },
    handler: async (req) => calls.publishCall(db, req.actor, req.params.callId),
  });

  r.post('/api/v1/calls/:callId/applications', {
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags,
      summary:
        'Presenta una domanda. Con la stessa Idempotency-Key un nuovo tentativo restituisce la stessa ricevuta; la ricevuta arriva solo dopo la registrazione definitiva',
      params: CallParams,
      headers: IdempotencyHeaders,
      body: SubmissionBody,
      response: { 201: Receipt, ...errors },
    },
    handler: async (req, reply) => {
      const receipt = await applications.submit(
        req.actor,
        req.params.callId,
        req.headers['idempotency-key'],
        req.body,
      );
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(receipt);
    },
  });

  r.get('/api/v1/calls/:callId/applications/:applicationId/receipt', {
    schema: {
      tags,
      summary: 'La ricevuta di una domanda (al richiedente e agli operatori dell’Ambito)',
      params: ApplicationParams,
      response: {
        200: z.object({
          receipt: Receipt,
          call: z.object({ code: z.string(), title: z.string() }),
          status: z.string(),
        }),
        ...errors,
      },
    },
    handler: async (req) => {
      const { receipt, call, status } = await getReceipt(
        db,
        req.actor,
        req.params.callId,
        req.params.applicationId,
      );
      return { receipt, call, status };
    },
  });

  r.get('/api/v1/calls/:callId/applications/:applicationId/receipt.pdf', {
    schema: {
      tags,
      summary: 'La ricevuta in PDF',
      params: ApplicationParams,
      response: { 200: z.any(), ...errors },
    },
    handler: async (req, reply) => {
      const found = await getReceipt(db, req.actor, req.params.callId, req.params.applicationId);
      const pdf = await renderReceiptPdf(found);
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="ricevuta-${found.receipt.protocol.replace(/[^\w-]/g, '_')}.pdf"`,
        )
        .send(pdf);
    },
  });

  r.post('/api/v1/calls/:callId/applications/:applicationId/contest', {
    schema: {
      tags,
      summary:
        'La persona per cui è stata presentata una domanda la contesta all’Ufficio di Piano con una nota (una sola volta)',
      params: ApplicationParams,
      body: ContestBody,
      response: { 200: z.object({ id: z.uuid(), contestedAt: z.string() }), ...errors },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return contestApplication(db, req.actor, req.params.callId, req.params.applicationId, req.body);
    },
  });

  r.get('/api/v1/ambiti/:id/protocol-register/verify', {
    schema: {
      tags,
      summary: 'Verifica la catena del registro di protocollo e indica la prima voce alterata',
      params: AmbitoParams,
      response: {
        200: z.object({
          entries: z.number().int(),
          firstBroken: z
            .object({ seq: z.number().int(), protocol: z.string(), reason: z.string() })
            .nullable(),
        }),
        ...errors,
      },
    },
    handler: async (req) => verifyRegister(db, req.actor, req.params.id),
  });
}
