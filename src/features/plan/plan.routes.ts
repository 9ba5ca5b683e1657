import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { invalid } from '../../http/errors.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { AmbitoParams } from '../territory/territory.schemas.js';
import * as acts from './acts.service.js';
import { etag } from './plan.context.js';
import { renderPlanPdf } from './plan.pdf.js';
import {
  ActInput,
  ActionInput,
  ActView,
  Change,
  CompareQuery,
  CreatePlanBody,
  IndicatorInput,
  IndicatorValueInput,
  ItemParams,
  ObjectiveInput,
  PlanListQuery,
  PlanParams,
  PlanSummary,
  PlanTree,
  RewardProjectInput,
  TransitionBody,
  UpdatePlanBody,
  VersionView,
} from './plan.schemas.js';
import * as plans from './plan.service.js';
import { importPlanXlsx, renderPlanXlsx, XLSX_TYPE } from './plan.xlsx.js';
import * as items from './plan-items.service.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  428: ProblemSchema,
};
const Created = z.object({ id: z.uuid(), revision: z.number().int().optional() });
const Revision = z.object({ id: z.uuid(), revision: z.number().int() });
const DeleteQuery = z.object({ changeReason: z.string().trim().min(5).max(500).optional() });
const tags = ['piano di zona'];

export function planRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/plans', {
    schema: {
      tags,
      summary: 'Piani di Zona di un Ambito (le bozze solo per l’Ufficio di Piano)',
      querystring: PlanListQuery,
      response: { 200: z.object({ items: z.array(PlanSummary) }), ...errors },
    },
    handler: async (req) => ({ items: await plans.listPlans(db, req.actor, req.query.ambito) }),
  });

  r.post('/api/v1/plans', {
    schema: {
      tags,
      summary: 'Crea un Piano in bozza',
      body: CreatePlanBody,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(await plans.createPlan(db, req.actor, req.body)),
  });

  r.get('/api/v1/plans/:id', {
    schema: {
      tags,
      summary: 'Il Piano completo: obiettivi, azioni, indicatori, progetti premiali',
      params: PlanParams,
      response: { 200: PlanTree, ...errors },
    },
    handler: async (req, reply) => {
      const tree = await plans.getPlan(db, req.actor, req.params.id);
      reply.header('etag', etag(tree.revision));
      return tree;
    },
  });

  r.patch('/api/v1/plans/:id', {
    schema: {
      tags,
      summary: 'Modifica titolo, governance o metodologia (If-Match obbligatorio)',
      params: PlanParams,
      body: UpdatePlanBody,
      response: { 200: z.object({ revision: z.number().int() }), ...errors },
    },
    handler: async (req, reply) => {
      const result = await plans.updatePlan(db, req.actor, req.params.id, req.body, req.headers['if-match']);
      reply.header('etag', etag(result.revision));
      return result;
    },
  });

  r.post('/api/v1/plans/:id/transitions', {
    schema: {
      tags,
      summary: 'Approvazione, entrata in vigore, proroga, chiusura (If-Match obbligatorio)',
      params: PlanParams,
      body: TransitionBody,
      response: { 200: z.object({ status: z.string(), version: z.number().int() }), ...errors },
    },
    handler: async (req) =>
      plans.transitionPlan(db, req.actor, req.params.id, req.body, req.headers['if-match']),
  });

  r.get('/api/v1/plans/:id/versions', {
    schema: {
      tags,
      summary: 'Versioni del Piano con autore, data e motivo',
      params: PlanParams,
      response: { 200: z.object({ items: z.array(VersionView) }), ...errors },
    },
    handler: async (req) => ({ items: await plans.listVersions(db, req.actor, req.params.id) }),
  });

  r.get('/api/v1/plans/:id/compare', {
    schema: {
      tags,
      summary: 'Differenze tra due versioni',
      params: PlanParams,
      querystring: CompareQuery,
      response: { 200: z.object({ changes: z.array(Change) }), ...errors },
    },
    handler: async (req) => ({
      changes: await plans.compareVersions(db, req.actor, req.params.id, req.query.from, req.query.to),
    }),
  });

  r.get('/api/v1/plans/:id/overview', {
    schema: {
      tags,
      summary: 'Sintesi: obiettivi per macro-area, avanzamento degli indicatori, azioni in ritardo',
      params: PlanParams,
      querystring: z.object({ asOf: z.iso.date().optional() }),
    },
    handler: async (req) => plans.planOverview(db, req.actor, req.params.id, req.query.asOf),
  });

  const itemRoutes = [
    {
      path: 'objectives',
      table: 'objectives',
      body: ObjectiveInput,
      create: items.createObjective,
      label: 'obiettivo',
    },
    { path: 'actions', table: 'actions', body: ActionInput, create: items.createAction, label: 'azione' },
    {
      path: 'indicators',
      table: 'indicators',
      body: IndicatorInput,
      create: items.createIndicator,
      label: 'indicatore',
    },
  ] as const;
  for (const item of itemRoutes) {
    r.post(`/api/v1/plans/:id/${item.path}`, {
      schema: {
        tags,
        summary: `Aggiunge un ${item.label}`,
        params: PlanParams,
        body: item.body,
        response: { 201: Created, ...errors },
      },
      handler: async (req, reply) => {
        const row = await (item.create as (...a: unknown[]) => Promise<{ id: string; revision: number }>)(
          db,
          req.actor,
          req.params.id,
          req.body,
        );
        reply.header('etag', etag(row.revision));
        return reply.status(201).send(row);
      },
    });
    r.put(`/api/v1/plans/:id/${item.path}/:itemId`, {
      schema: {
        tags,
        summary: `Sostituisce un ${item.label} (If-Match obbligatorio)`,
        params: ItemParams,
        body: item.body,
        response: { 200: Revision, ...errors },
      },
      handler: async (req, reply) => {
        const row = await items.updateItem(
          db,
          req.actor,
          req.params.id,
          item.table,
          req.params.itemId,
          req.body as never,
          req.headers['if-match'],
        );
        reply.header('etag', etag(row.revision));
        return row;
      },
    });
    r.delete(`/api/v1/plans/:id/${item.path}/:itemId`, {
      schema: {
        tags,
        summary: `Elimina un ${item.label} (If-Match obbligatorio)`,
        params: ItemParams,
        querystring: DeleteQuery,
        response: { 204: z.null(), ...errors },
      },
      handler: async (req, reply) => {
        await items.deleteItem(
          db,
          req.actor,
          req.params.id,
          item.table,
          req.params.itemId,
          req.headers['if-match'],
          req.query.changeReason,
        );
        return reply.status(204).send(null);
      },
    });
  }

  r.post('/api/v1/plans/:id/indicators/:itemId/values', {
    schema: {
      tags,
      summary: 'Registra un valore misurato di un indicatore',
      params: ItemParams,
      body: IndicatorValueInput,
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await items.addIndicatorValue(db, req.actor, req.params.id, req.params.itemId, req.body)),
  });

  r.post('/api/v1/plans/:id/reward-projects', {
    schema: {
      tags,
      summary: 'Aggiunge un progetto premiale condiviso con altri Ambiti',
      params: PlanParams,
      body: RewardProjectInput.extend({ changeReason: z.string().trim().min(5).max(500).optional() }),
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await items.createRewardProject(db, req.actor, req.params.id, req.body)),
  });

  r.get('/api/v1/ambiti/:id/acts', {
    schema: {
      tags: ['atti'],
      summary: 'Registro degli atti dell’Ambito (pubblico)',
      params: AmbitoParams,
      response: { 200: z.object({ items: z.array(ActView) }), ...errors },
    },
    handler: async (req) => ({ items: await acts.listActs(db, req.params.id) }),
  });

  r.post('/api/v1/ambiti/:id/acts', {
    schema: {
      tags: ['atti'],
      summary: 'Registra un atto (delibera, determina, DGR, decreto)',
      params: AmbitoParams,
      body: ActInput,
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await acts.createAct(db, req.actor, req.params.id, req.body)),
  });

  const ActParams = AmbitoParams.extend({ actId: z.uuid('identificativo non valido') });
  r.get('/api/v1/ambiti/:id/acts/:actId/document.pdf', {
    schema: { tags: ['atti'], summary: 'Il PDF firmato dell’atto', params: ActParams },
    handler: async (req, reply) => {
      const doc = await acts.getActPdf(db, req.params.id, req.params.actId);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${doc.filename}"`)
        .send(doc.pdf);
    },
  });

  r.put('/api/v1/ambiti/:id/acts/:actId/document.pdf', {
    bodyLimit: acts.MAX_ACT_PDF_BYTES,
    schema: {
      tags: ['atti'],
      summary: 'Carica il PDF firmato dell’atto (corpo application/pdf)',
      params: ActParams,
      response: { 200: z.object({ sha256: z.string() }), ...errors, 413: ProblemSchema },
    },
    handler: async (req) => acts.attachActPdf(db, req.actor, req.params.id, req.params.actId, req.body),
  });

  // ---- Plan documents: the plan as PDF and Excel, and the Excel import (plan.pdf.ts, plan.xlsx.ts) ----
  const documentName = (tree: PlanTree, ext: string) => {
    const slug = `${tree.ambitoName}-${tree.period}-ed${tree.edition}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase();
    return `piano-di-zona-${slug}.${ext}`;
  };
  r.get('/api/v1/plans/:id/document.pdf', {
    schema: {
      tags,
      summary: 'Il Piano come documento PDF (le bozze solo per l’Ufficio di Piano)',
      params: PlanParams,
    },
    handler: async (req, reply) => {
      const tree = await plans.getPlan(db, req.actor, req.params.id);
      const pdf = await renderPlanPdf(tree);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${documentName(tree, 'pdf')}"`)
        .send(pdf);
    },
  });
  r.get('/api/v1/plans/:id/document.xlsx', {
    schema: {
      tags,
      summary: 'Il Piano come foglio Excel, un foglio per livello (rileggibile con l’importazione)',
      params: PlanParams,
    },
    handler: async (req, reply) => {
      const tree = await plans.getPlan(db, req.actor, req.params.id);
      const xlsx = await renderPlanXlsx(tree);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${documentName(tree, 'xlsx')}"`)
        .send(xlsx);
    },
  });
  r.post('/api/v1/plans/:id/import', {
    bodyLimit: 10 * 1024 * 1024,
    schema: {
      tags,
      summary: `Importa obiettivi, azioni e indicatori da un foglio Excel (corpo ${XLSX_TYPE}, al massimo 10 MB e 64 MB una volta decompresso): tutto o niente`,
      params: PlanParams,
      querystring: z.object({ changeReason: z.string().trim().min(5).max(500).optional() }),
      response: {
        201: z.object({
          objectives: z.number().int(),
          specific: z.number().int(),
          actions: z.number().int(),
          resources: z.number().int(),
          indicators: z.number().int(),
          targets: z.number().int(),
        }),
        ...errors,
        413: ProblemSchema,
        503: ProblemSchema,
      },
    },
    handler: async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        throw invalid('body', `inviare il file .xlsx con Content-Type ${XLSX_TYPE}`);
      const counts = await importPlanXlsx(db, req.actor, req.params.id, req.body, {
        changeReason: req.query.changeReason,
      });
      return reply.status(201).send(counts);
    },
  });
}
