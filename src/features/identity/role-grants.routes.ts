import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { ROLES } from '../../http/auth.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { AmbitoParams } from '../territory/territory.schemas.js';
import { listRoleGrants } from './role-grants.service.js';

const RoleGrantEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  change: z.enum(['granted', 'revoked']),
  role: z.enum(ROLES),
  comuneIstat: z.string().nullable(),
  user: z.object({ username: z.string(), displayName: z.string() }).nullable(),
  by: z.string().nullable().describe('chi ha assegnato o revocato il ruolo'),
});

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export function roleGrantRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/ambiti/:id/role-grants', {
    schema: {
      tags: ['registro accessi'],
      summary:
        'Assegnazioni e revoche dei ruoli che leggono dati personali nell’Ambito: chi, quando, da chi (Ufficio di Piano, revisori)',
      params: AmbitoParams,
      querystring: z.object({
        before: z.coerce.number().int().min(1, 'identificativo da 1 in su').optional(),
      }),
      response: { 200: z.object({ items: z.array(RoleGrantEvent) }), ...errors },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return listRoleGrants(db, req.actor, req.params.id, req.query);
    },
  });
}
