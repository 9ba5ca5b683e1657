import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';

/** The role the application runs as: it owns nothing, so row-level security always applies to it. */
export const APP_ROLE = 'ambito_app';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/** The minimal SQL access migrations need; multi-statement scripts require the simple protocol. */
export interface ScriptRunner {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction; `exec` there accepts a whole multi-statement script. */
  transaction(fn: (exec: (script: string) => Promise<void>) => Promise<void>): Promise<void>;
}

/**
 * Applies pending forward-only migrations, each in its own transaction, under an advisory
 * lock so that two processes starting together do not race. An applied migration whose
 * file changed afterwards stops the start-up: migrations are never edited once landed.
 */
export async function migrate(runner: ScriptRunner): Promise<string[]> {
  const applied: string[] = [];
  await runner.query('select pg_advisory_lock(727274)');
  try {
    await runner.query(`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const done = await runner.query<{ version: string; checksum: string }>(
      'select version, checksum from schema_migrations',
    );
    const byVersion = new Map(done.map((r) => [r.version, r.checksum]));
    for (const m of listMigrations()) {
      const previous = byVersion.get(m.version);
      if (previous !== undefined) {
        if (previous !== m.checksum)
          throw new Error(`La migrazione ${m.name} è stata modificata dopo l'applicazione`);
        continue;
      }
      await runner.transaction(async (exec) => {
        await exec(m.sql);
        await exec(
          `insert into schema_migrations (version, name, checksum) values ('${m.version}', '${m.name}', '${m.checksum}')`,
        );
      });
      applied.push(m.name);
    }
  } finally {
    await runner.query('select pg_advisory_unlock(727274)');
  }
  return applied;
}

/** True when every migration file has been applied (readiness). */
// biome-ignore lint/suspicious/noExplicitAny: readiness check reads the bookkeeping table only
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const done = await sql<{ version: string }>`select version from schema_migrations`.execute(db);
  const versions = new Set(done.rows.map((r) => r.version));
  return listMigrations()
    .filter((m) => !versions.has(m.version))
    .map((m) => m.name);
}
