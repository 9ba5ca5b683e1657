import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { seedDemo } from '../src/db/seed.js';
import { dropPgDatabase, withDatabaseName } from '../test/helpers/pg-template.js';
import { type ServerProcess, startServer } from '../test/helpers/server-process.js';
import {
  batchSizes,
  compareWithDatabase,
  fireSubmissions,
  loginClients,
  openCall,
  percentile,
  prepareUsers,
  submissionBody,
} from './clickday-client.js';
import { postgresUrl, report, round } from './lib.js';

/*
 * The click-day: the real server as a separate process (production mode, LOG_LEVEL=warn) on a
 * fresh database with the demo data; 200 logged-in citizens, each from its own loopback address
 * (the server throttles per address), send 20,000 distinct applications with a PDF attachment,
 * each client its next one when the previous has answered. Then the receipts are compared with
 * what is stored, and the rate with bare durable single-row INSERTs on the same database.
 * Knobs: CLICKDAY_SUBMISSIONS, CLICKDAY_CLIENTS, CLICKDAY_PGLITE_SUBMISSIONS,
 * CLICKDAY_PGLITE_CLIENTS; CLICKDAY_PROFILE=<dir> writes the server's CPU profile there;
 * CLICKDAY_SERVER_ROOT=<checkout> runs another checkout's server (to measure a change).
 */

interface Target {
  dataDir?: string;
  databaseUrl?: string;
}

/** About 500 bytes of JSON, different for every row. */
const payload = (i: number) => JSON.stringify({ i, note: randomBytes(230).toString('hex') });

/** CPU seconds of a process, from /proc: user, system (the kernel's share: sockets, files). */
function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return { user: 0, system: 0 };
  }
}

const cpuSeconds = (pid: number) => {
  const t = cpuTimes(pid);
  return t.user + t.system;
};

/**
 * CPU seconds of the PostgreSQL processes that work for this database: its backends and the
 * WAL writer, checkpointer and background writer (other databases on the server are not counted).
 */
function postgresCpuSeconds(database: string): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.includes(` ${database} `) || /: (walwriter|checkpointer|background writer)/.test(title))
        total += cpuSeconds(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** The ceiling: bare autocommit single-row INSERTs of ~500 bytes from `width` clients at once. */
async function baselinePostgres(url: string, n: number, width: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: width });
  await pool.query('create table clickday_baseline (id bigserial primary key, payload jsonb not null)');
  const insert = (i: number) =>
    pool.query('insert into clickday_baseline (payload) values ($1)', [payload(i)]);
  const run = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < count) await insert(next++);
      }),
    );
  };
  await run(width * 20); // warm-up: connections open, plans cached
  const start = performance.now();
  await run(n);
  const perSecond = (n / (performance.now() - start)) * 1000;
  await pool.query('drop table clickday_baseline');
  await pool.end();
  return perSecond;
}

/** The same on PGlite, as the owner of the data dir: one embedded session, so the callers queue. */
async function baselinePglite(target: Target, n: number, width: number): Promise<number> {
  const database = await openDatabase({ ...target, asOwner: true });
  const { db } = database;
  await sql`create table clickday_baseline (id bigserial primary key, payload jsonb not null)`.execute(db);
  const run = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < count)
          await sql`insert into clickday_baseline (payload) values (${payload(next++)})`.execute(db);
      }),
    );
  };
  await run(width * 10);
  const start = performance.now();
  await run(n);
  const perSecond = (n / (performance.now() - start)) * 1000;
  await sql`drop table clickday_baseline`.execute(db);
  await database.close();
  return perSecond;
}

/** Opens the call, logs every client in, fires the load and checks the register, as the office. */
async function drive(
  server: ServerProcess,
  users: { office: string; citizens: string[] },
  ambitoId: string,
  submissions: number,
  /** The PostgreSQL database's name, whose processes' CPU is counted; none on PGlite. */
  database: string | undefined,
) {
  const { office, callId } = await openCall(server.url, users.office, ambitoId);
  const loginStart = performance.now();
  const clients = await loginClients(server.url, users.citizens);
  const loginSeconds = round((performance.now() - loginStart) / 1000, 1);
  const bodies = Array.from({ length: submissions }, (_, i) => submissionBody(i));
  const pgCpu = () => (database ? postgresCpuSeconds(database) : 0);
  const loadAverage = round(os.loadavg()[0] ?? 0, 1);
  const before = { server: cpuTimes(server.pid), pg: pgCpu(), self: process.cpuUsage() };
  const load = await fireSubmissions({
    clients,
    callId,
    count: submissions,
    bodies,
    keyPrefix: `clickday-${callId}`,
  });
  const self = process.cpuUsage(before.self);
  // Where the time went: CPU seconds of each party against what the machine had in that time.
  const cpu = {
    server: round(cpuSeconds(server.pid) - before.server.user - before.server.system, 1),
    serverKernel: round(cpuTimes(server.pid).system - before.server.system, 1),
    postgres: database ? round(pgCpu() - before.pg, 1) : 'in the server process',
    loadGenerator: round((self.user + self.system) / 1e6, 1),
    available: round((load.wallMs / 1000) * os.cpus().length, 1),
    machineLoadAverageBefore: loadAverage,
  };
  const verify = await office.request({ url: `/api/v1/ambiti/${ambitoId}/protocol-register/verify` });
  for (const c of [office, ...clients]) c.close();
  return {
    callId,
    load,
    cpu,
    loginSeconds,
    register: verify.json() as { entries: number; firstBroken: unknown },
  };
}

async function measure(
  target: Target,
  submissions: number,
  clientCount: number,
  baseline: () => Promise<number>,
) {
  const database = await openDatabase(target);
  await seedDemo(database.db, { users: false });
  const sesto = await database.db
    .selectFrom('ambiti')
    .select('id')
    .where('code', '=', 'sesto-san-giovanni')
    .executeTakeFirstOrThrow();
  const users = await prepareUsers(database.db, sesto.id, clientCount);
  await database.close();
  // The ceiling is measured before and after the load, and the higher one counts: the machine
  // may be busy with something else during one of them.
  const baselineBefore = await baseline();

  const profileDir = process.env.CLICKDAY_PROFILE;
  const server = await startServer({
    ...target,
    root: process.env.CLICKDAY_SERVER_ROOT,
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  let run: Awaited<ReturnType<typeof drive>>;
  try {
    run = await drive(
      server,
      users,
      sesto.id,
      submissions,
      target.databaseUrl ? new URL(target.databaseUrl).pathname.slice(1) : undefined,
    );
  } finally {
    await server.kill('SIGTERM');
  }
  const { load } = run;
  const reopened = await openDatabase({ ...target, migrate: false });
  const stored = await compareWithDatabase(reopened.db, sesto.id, run.callId, load.receipts.values());
  const batches = await batchSizes(reopened.db, sesto.id, run.callId);
  await reopened.close();
  const baselineAfter = await baseline();
  const baselinePerSecond = Math.max(baselineBefore, baselineAfter);
  const perSecond = (load.acknowledged / load.wallMs) * 1000;
  return {
    submitted: load.submitted,
    acknowledged: load.acknowledged,
    stored: stored.stored,
    lost: stored.lost,
    duplicated: stored.duplicated,
    perSecond: round(perSecond, 0),
    p50Ms: round(percentile(load.latenciesMs, 50), 1),
    p99Ms: round(percentile(load.latenciesMs, 99), 1),
    errors: load.errors,
    baselinePerSecond: round(baselinePerSecond, 0),
    ratio: round(perSecond / baselinePerSecond, 2),
    baselineRuns: [round(baselineBefore, 0), round(baselineAfter, 0)],
    clients: clientCount,
    wallSeconds: round(load.wallMs / 1000, 2),
    protocolNumbersContiguous: stored.contiguous,
    everyApplicationRegistered: stored.registered,
    groupCommits: batches,
    register: run.register,
    cpuSecondsDuringLoad: run.cpu,
    loginSeconds: run.loginSeconds,
  };
}

async function onPostgres(submissions: number, clients: number) {
  const url = await postgresUrl();
  if (!url) return { postgres: 'skipped: no PostgreSQL server reachable' };
  const name = `ambito_bench_clickday_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const databaseUrl = withDatabaseName(url, name);
  try {
    return await measure({ databaseUrl }, submissions, clients, () =>
      baselinePostgres(databaseUrl, 20_000, 16),
    );
  } finally {
    await dropPgDatabase(url, name);
  }
}

async function onPglite(submissions: number, clients: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-bench-clickday-'));
  try {
    return await measure({ dataDir }, submissions, clients, () => baselinePglite({ dataDir }, 2_000, 16));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchClickday(): Promise<void> {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const postgres = await onPostgres(env('CLICKDAY_SUBMISSIONS', 20_000), env('CLICKDAY_CLIENTS', 200));
  let pglite: unknown;
  try {
    pglite = await onPglite(env('CLICKDAY_PGLITE_SUBMISSIONS', 2_000), env('CLICKDAY_PGLITE_CLIENTS', 50));
  } catch (error) {
    pglite = `failed: ${(error as Error).message}`;
  }
  report('clickday', { engine: 'postgres', ...postgres, pglite });
}
