import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type DataDirLock, type LockHolder, lockDataDir } from './data-dir-lock.js';
import { APP_ROLE, migrate, type ScriptRunner } from './migrate.js';
import { SerializedPGliteDialect } from './pglite-dialect.js';
import type { DB } from './types.js';

// Dates stay ISO strings ('2024-12-31') end to end; the driver must not shift them into a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

// As node-postgres does: dates and exact decimals stay strings, int8 counts become numbers.
const PGLITE_PARSERS = {
  [types.DATE]: (v: string) => v,
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => v,
};

export interface Database {
  kind: 'pglite' | 'postgres';
  /** Connected as the application role: row-level security applies to every query. */
  db: Kysely<DB>;
  close(): Promise<void>;
}

export interface OpenOptions {
  dataDir?: string;
  databaseUrl?: string;
  /** An already created PGlite instance (tests clone a migrated template). */
  pglite?: PGlite;
  migrate?: boolean;
  /** Stay the connecting (owner) role: maintenance commands such as `audit verify` only. */
  asOwner?: boolean;
  /** Who takes the lock on DATA_DIR (named to a second process that is refused): a command by default. */
  lockHolder?: LockHolder;
}

export async function createPGlite(dataDir?: string): Promise<PGlite> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  return PGlite.create({ dataDir, extensions: { btree_gist }, parsers: PGLITE_PARSERS });
}

/** A copy of a PGlite database (PGlite's own clone() would drop the type parsers). */
export async function clonePGlite(source: PGlite): Promise<PGlite> {
  const loadDataDir = await source.dumpDataDir('none');
  return PGlite.create({ loadDataDir, extensions: { btree_gist }, parsers: PGLITE_PARSERS });
}

/**
 * Opens the embedded PGlite database (data in DATA_DIR/pglite) or a PostgreSQL server.
 * Migrations run with the connecting (owner) role; afterwards every connection switches
 * to the non-owner application role so that row-level security cannot be bypassed by
 * the application's own queries.
 *
 * A PGlite data directory is opened by one process at a time: the lock is taken before the
 * files are touched (a second process gets DataDirLockedError) and released by close().
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.migrate ?? true, opts.asOwner ?? false);
  const lock: DataDirLock | undefined =
    !opts.pglite && opts.dataDir ? await lockDataDir(opts.dataDir, opts.lockHolder ?? 'command') : undefined;
  let pglite: PGlite | undefined;
  try {
    pglite =
      opts.pglite ?? (await createPGlite(opts.dataDir ? path.join(opts.dataDir, 'pglite') : undefined));
    if (opts.migrate ?? true) await migrate(pgliteRunner(pglite));
    const db = new Kysely<DB>({ dialect: new SerializedPGliteDialect({ pglite }) });
    if (!opts.asOwner) await sql`set role ${sql.id(APP_ROLE)}`.execute(db);
    await sql`set plan_cache_mode = force_custom_plan`.execute(db);
    const opened = pglite;
    return {
      kind: 'pglite',
      db,
      close: async () => {
        try {
          await db.destroy();
          if (!opened.closed) await opened.close();
        } finally {
          await lock?.release();
        }
      },
    };
  } catch (error) {
    if (pglite && !opts.pglite && !pglite.closed) await pglite.close().catch(() => {});
    await lock?.release();
    throw error;
  }
}

async function openPostgres(url: string, runMigrations: boolean, asOwner: boolean): Promise<Database> {
  if (runMigrations) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(pgRunner(client));
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and opens a new one on the next query.
  pool.on('error', (error) => console.error(`PostgreSQL: connessione inattiva chiusa (${error.message})`));
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (conn) => {
        if (!asOwner) await conn.executeQuery(sql`set role ${sql.id(APP_ROLE)}`.compile(db));
        await conn.executeQuery(sql`set plan_cache_mode = force_custom_plan`.compile(db));
      },
    }),
  });
  return { kind: 'postgres', db, close: () => db.destroy() };
}

export function pgliteRunner(pglite: PGlite): ScriptRunner {
  return {
    query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
    transaction: async (fn) => {
      await pglite.transaction(async (tx) => {
        await fn(async (script) => {
          await tx.exec(script);
        });
      });
    },
  };
}

export function pgRunner(client: pg.Client): ScriptRunner {
  return {
    query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
    transaction: async (fn) => {
      await client.query('begin');
      try {
        await fn(async (script) => {
          await client.query(script);
        });
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
  };
}
