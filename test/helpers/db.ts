import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import {
  clonePGlite,
  createPGlite,
  type Database,
  openDatabase,
  pgliteRunner,
} from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { SerializedPGliteDialect } from '../../src/db/pglite-dialect.js';
import { ensureReferenceData } from '../../src/db/seed.js';
import type { DB } from '../../src/db/types.js';
import { createPgDatabase, dropPgDatabase, withDatabaseName } from './pg-template.js';

export const engine: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

// One migrated PGlite per worker (vitest runs files with isolate: false), cloned per test file.
let template: Promise<PGlite> | undefined;

async function buildTemplate(): Promise<PGlite> {
  const pglite = await createPGlite();
  await migrate(pgliteRunner(pglite));
  const db = new Kysely<DB>({ dialect: new SerializedPGliteDialect({ pglite }) });
  await ensureReferenceData(db);
  return pglite;
}

/** A fresh, migrated database with the ISTAT reference list, private to the caller. */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const tpl = inject('pgTemplate');
    if (!tpl) throw new Error('PostgreSQL template missing: is the global setup configured?');
    const name = await createPgDatabase(url, tpl);
    const database = await openDatabase({ databaseUrl: withDatabaseName(url, name), migrate: false });
    return {
      ...database,
      close: async () => {
        await database.close();
        await dropPgDatabase(url, name);
      },
    };
  }
  template ??= buildTemplate();
  const clone = await clonePGlite(await template);
  return openDatabase({ pglite: clone, migrate: false });
}
