import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { AmbitoParams } from '../territory/territory.schemas.js';
import { AuditList, AuditQuery } from './audit.schemas.js';
import * as service from './audit.service.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export function auditRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/ambiti/:id/audit', {
    schema: {
      tags: ['registro accessi'],
      summary: 'Registro degli accessi e delle modifiche dell’Ambito (revisori)',
      params: AmbitoParams,
      querystring: AuditQuery,
      response: { 200: AuditList, ...errors },
    },
    handler: async (req) => service.searchAudit(db, req.actor, req.params.id, req.query),
  });

  r.get('/api/v1/ambiti/:id/audit.csv', {
    schema: {
      tags: ['registro accessi'],
      summary: 'Esportazione CSV del registro (UTF-8 con BOM, separatore ;)',
      params: AmbitoParams,
      querystring: AuditQuery.omit({ limit: true, before: true }),
      response: { 200: z.string(), ...errors },
    },
    handler: async (req, reply) => {
      const csv = await service.exportAuditCsv(db, req.actor, req.params.id, req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="registro-accessi.csv"')
        .send(csv);
    },
  });
}
