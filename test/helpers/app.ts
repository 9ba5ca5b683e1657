import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { seedDemo } from '../../src/db/seed.js';
import { createTestDatabase } from './db.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const adminAuth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The whole application on its own fresh database; `seed` loads the demo data. */
export async function createTestApp(opts: { seed?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  if (opts.seed) await seedDemo(database.db);
  const app = await buildApp({ db: database.db, adminToken: ADMIN_TOKEN, rateLimitPerMinute: 100_000 });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
