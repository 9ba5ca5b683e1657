import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { AmbitoParams } from '../territory/territory.schemas.js';
import * as budget from './budget.service.js';
import * as lines from './budget-lines.service.js';
import {
  AssignmentInput,
  AssignmentView,
  BudgetLineDetail,
  BudgetLineInput,
  BudgetLinesQuery,
  BudgetLineUpdate,
  BudgetLineView,
  BudgetView,
  CloseYearBody,
  CommitmentInput,
  FinanceItemParams,
  FundInput,
  FundView,
  PaymentInput,
  YearParams,
  YearQuery,
} from './finance.schemas.js';
import * as finance from './finance.service.js';
import * as planning from './planning.service.js';
import * as workers from './social-workers.service.js';
import {
  FteInput,
  SocialWorkersView,
  SplitListQuery,
  SplitPreview,
  SplitPreviewBody,
  SplitSaveBody,
  SplitView,
} from './split.schemas.js';
import * as splits from './split.service.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
const Created = z.object({ id: z.uuid() });
const tags = ['bilancio e fondi'];

export function financeRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/ambiti/:id/funds', {
    schema: {
      tags,
      summary: 'Catalogo dei fondi e fondi propri dell’Ambito',
      params: AmbitoParams,
      response: { 200: z.object({ items: z.array(FundView) }), ...errors },
    },
    handler: async (req) => ({ items: await budget.listFunds(db, req.actor, req.params.id) }),
  });

  r.post('/api/v1/ambiti/:id/funds', {
    schema: {
      tags,
      summary: 'Aggiunge un fondo proprio dell’Ambito',
      params: AmbitoParams,
      body: FundInput,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await planning.createFund(db, req.actor, req.params.id, req.body)),
  });

  r.get('/api/v1/ambiti/:id/budget', {
    schema: {
      tags,
      summary: 'Bilancio dell’anno: per fondo, fonte, macro-area, obiettivo e Comune, con vincoli e scadenze',
      params: AmbitoParams,
      querystring: YearQuery,
      response: { 200: BudgetView, ...errors },
    },
    handler: async (req) => budget.getBudget(db, req.actor, req.params.id, req.query.year),
  });

  r.get('/api/v1/ambiti/:id/fund-assignments', {
    schema: {
      tags,
      summary:
        'Assegnazioni dei fondi all’Ambito nell’anno, con l’atto e quanto programmato, impegnato e liquidato',
      params: AmbitoParams,
      querystring: YearQuery,
      response: { 200: z.object({ items: z.array(AssignmentView) }), ...errors },
    },
    handler: async (req) => ({
      items: await lines.listAssignments(db, req.actor, req.params.id, req.query.year),
    }),
  });

  r.post('/api/v1/ambiti/:id/fund-assignments', {
    schema: {
      tags,
      summary: 'Registra l’assegnazione di un fondo (con l’atto che la dispone)',
      params: AmbitoParams,
      body: AssignmentInput,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await planning.createAssignment(db, req.actor, req.params.id, req.body)),
  });

  r.get('/api/v1/ambiti/:id/budget-lines', {
    schema: {
      tags,
      summary: 'Linee di bilancio dell’anno (facoltativamente di un fondo)',
      params: AmbitoParams,
      querystring: BudgetLinesQuery,
      response: { 200: z.object({ items: z.array(BudgetLineView) }), ...errors },
    },
    handler: async (req) => ({
      items: await lines.listBudgetLines(db, req.actor, req.params.id, req.query.year, req.query.fund),
    }),
  });

  r.post('/api/v1/ambiti/:id/budget-lines', {
    schema: {
      tags,
      summary: 'Programma una somma di un’assegnazione su un’azione del Piano',
      params: AmbitoParams,
      body: BudgetLineInput,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await planning.createBudgetLine(db, req.actor, req.params.id, req.body)),
  });

  r.get('/api/v1/ambiti/:id/budget-lines/:itemId', {
    schema: {
      tags,
      summary: 'Una linea di bilancio con impegni, liquidazioni e relativi atti',
      params: FinanceItemParams,
      response: { 200: BudgetLineDetail, ...errors },
    },
    handler: async (req) => lines.getBudgetLine(db, req.actor, req.params.id, req.params.itemId),
  });

  r.patch('/api/v1/ambiti/:id/budget-lines/:itemId', {
    schema: {
      tags,
      summary: 'Varia l’importo di una linea (mai sotto l’impegnato)',
      params: FinanceItemParams,
      body: BudgetLineUpdate,
      response: { 200: Created, ...errors },
    },
    handler: async (req) =>
      planning.updateBudgetLine(db, req.actor, req.params.id, req.params.itemId, req.body),
  });

  r.delete('/api/v1/ambiti/:id/budget-lines/:itemId', {
    schema: {
      tags,
      summary: 'Elimina una linea senza impegni',
      params: FinanceItemParams,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await planning.deleteBudgetLine(db, req.actor, req.params.id, req.params.itemId);
      return reply.status(204).send(null);
    },
  });

  r.post('/api/v1/ambiti/:id/commitments', {
    schema: {
      tags,
      summary: 'Registra un impegno di spesa su una linea (mai oltre il disponibile)',
      params: AmbitoParams,
      body: CommitmentInput,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await finance.createCommitment(db, req.actor, req.params.id, req.body)),
  });

  r.post('/api/v1/ambiti/:id/payments', {
    schema: {
      tags,
      summary: 'Registra una liquidazione su un impegno (mai oltre l’impegnato)',
      params: AmbitoParams,
      body: PaymentInput,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await finance.createPayment(db, req.actor, req.params.id, req.body)),
  });

  r.post('/api/v1/ambiti/:id/financial-years/:year/close', {
    schema: {
      tags,
      summary: 'Chiude l’esercizio e riporta all’anno successivo i residui non impegnati',
      params: YearParams,
      body: CloseYearBody,
      response: {
        200: z.object({
          year: z.number().int(),
          carried: z.array(z.object({ fund: z.string(), amountCents: z.number().int() })),
        }),
        ...errors,
      },
    },
    handler: async (req) => planning.closeYear(db, req.actor, req.params.id, req.params.year, req.body.actId),
  });

  r.post('/api/v1/ambiti/:id/splits/preview', {
    schema: {
      tags,
      summary: 'Simula un riparto tra i Comuni (non scrive nulla)',
      params: AmbitoParams,
      body: SplitPreviewBody,
      response: { 200: SplitPreview, ...errors },
    },
    handler: async (req) => splits.previewSplit(db, req.actor, req.params.id, req.body),
  });

  r.get('/api/v1/ambiti/:id/splits', {
    schema: {
      tags,
      summary: 'Riparti approvati (in vigore), con la deliberazione',
      params: AmbitoParams,
      querystring: SplitListQuery,
      response: { 200: z.object({ items: z.array(SplitView) }), ...errors },
    },
    handler: async (req) => ({
      items: await splits.listSplits(db, req.actor, req.params.id, req.query.year),
    }),
  });

  r.post('/api/v1/ambiti/:id/splits', {
    schema: {
      tags,
      summary:
        'Salva il riparto approvato dall’Assemblea (sostituisce un riparto precedente dello stesso fondo e anno)',
      params: AmbitoParams,
      body: SplitSaveBody,
      response: { 201: SplitPreview.extend({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await splits.saveSplit(db, req.actor, req.params.id, req.body)),
  });

  r.get('/api/v1/ambiti/:id/social-workers', {
    schema: {
      tags,
      summary: 'LEPS assistenti sociali (L. 178/2020): rapporto, stato e contributo dell’anno',
      params: AmbitoParams,
      querystring: YearQuery,
      response: { 200: SocialWorkersView, ...errors },
    },
    handler: async (req) => workers.getSocialWorkers(db, req.actor, req.params.id, req.query.year),
  });

  r.put('/api/v1/ambiti/:id/social-workers/:year', {
    schema: {
      tags,
      summary: 'Registra gli assistenti sociali equivalenti a tempo pieno di ogni Comune',
      params: YearParams,
      body: FteInput,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await workers.setSocialWorkers(db, req.actor, req.params.id, req.params.year, req.body.comuni);
      return reply.status(204).send(null);
    },
  });
}
