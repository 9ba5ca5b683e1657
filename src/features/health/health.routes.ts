import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import { pendingMigrations } from '../../db/migrate.js';
import type { DB } from '../../db/types.js';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['up', 'down']),
  migrations: z.object({ pending: z.array(z.string()) }),
});

/**
 * Liveness and readiness in one answer: 200 when the database answers and every migration
 * is applied, 503 otherwise. `/status` is the name the Italian interoperability guidelines use.
 */
type HealthBody = z.infer<typeof Health>;

export function healthRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const check = async (): Promise<HealthBody> => {
    try {
      await sql`select 1`.execute(deps.db);
      const pending = await pendingMigrations(deps.db);
      return { status: pending.length ? 'unavailable' : 'ok', database: 'up', migrations: { pending } };
    } catch {
      return { status: 'unavailable', database: 'down', migrations: { pending: [] } };
    }
  };
  const r = app.withTypeProvider<ZodTypeProvider>();
  const schema = {
    tags: ['servizio'],
    summary: 'Stato del servizio',
    response: { 200: Health, 503: Health },
  };
  for (const url of ['/health', '/status']) {
    r.get(url, { schema }, async (_req, reply) => {
      const body = await check();
      return reply.status(body.status === 'ok' ? 200 : 503).send(body);
    });
  }
}
