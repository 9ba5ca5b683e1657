import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database.js';
import { dropPgDatabase, withDatabaseName } from '../test/helpers/pg-template.js';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Prints a benchmark's figures and writes them to bench/results/<name>.json. */
export function report(name: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const body = { name, measuredAt: new Date().toISOString(), ...figures };
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
  console.log(`\n## ${name}`);
  for (const [k, v] of Object.entries(figures))
    console.log(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
}

/** The PostgreSQL server to measure against: DATABASE_URL, else the local one if it answers. */
export async function postgresUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return undefined;
  }
}

/**
 * Runs `measure` on a fresh embedded database and, when a server answers, on a fresh
 * PostgreSQL database of its own (dropped afterwards): the same figures on both engines.
 */
export async function onBothEngines<T>(name: string, measure: (database: Database) => Promise<T>) {
  const results: Record<string, T | string> = {};
  const lite = await openDatabase({});
  try {
    results.pglite = await measure(lite);
  } finally {
    await lite.close();
  }
  const url = await postgresUrl();
  if (!url) {
    results.postgres = 'skipped: no PostgreSQL server reachable';
    return results;
  }
  const dbName = `ambito_bench_${name}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const server = await openDatabase({ databaseUrl: withDatabaseName(url, dbName) });
  try {
    results.postgres = await measure(server);
  } finally {
    await server.close();
    await dropPgDatabase(url, dbName);
  }
  return results;
}
