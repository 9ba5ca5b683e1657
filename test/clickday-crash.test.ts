import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CLICKDAY_PASSWORD,
  compareWithDatabase,
  fireSubmissions,
  type LoadResult,
  loginClients,
  openCall,
  prepareUsers,
  submissionBody,
} from '../bench/clickday-client.js';
import { createPGlite, type Database, openDatabase, pgliteRunner } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { seedDemo } from '../src/db/seed.js';
import type { Receipt } from '../src/features/calls/calls.schemas.js';
import { engine } from './helpers/db.js';
import { createPgDatabase, dropPgDatabase, withDatabaseName } from './helpers/pg-template.js';
import { HttpClient, type ServerProcess, startServer } from './helpers/server-process.js';

/**
 * SLOW (about 30-60 s): the real server as a separate process, killed with SIGKILL while
 * citizens are submitting, then restarted on the same data. Every receipt a citizen received
 * must be stored as it was handed out; a retry of what was in flight must give one application.
 */
const CITIZENS = 20;
const KILL_AFTER = 100;

interface Target {
  dataDir?: string;
  databaseUrl?: string;
}

let target: Target;
let ambitoId: string;
let users: { office: string; citizens: string[] };
const servers: ServerProcess[] = [];
let cleanup: () => Promise<void> = async () => {};

/** Demo data and users, written with the project's own functions before any server runs. */
async function seedAndUsers(database: Database) {
  await seedDemo(database.db, { users: false });
  ambitoId = (
    await database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'sesto-san-giovanni')
      .executeTakeFirstOrThrow()
  ).id;
  users = await prepareUsers(database.db, ambitoId, CITIZENS, 'crash');
}

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = inject('pgTemplate');
    if (!template) throw new Error('PostgreSQL template missing: is the global setup configured?');
    const name = await createPgDatabase(url, template);
    target = { databaseUrl: withDatabaseName(url, name) };
    const database = await openDatabase({ databaseUrl: target.databaseUrl, migrate: false });
    await seedAndUsers(database);
    await database.close();
    cleanup = () => dropPgDatabase(url, name);
  } else {
    // Prepared in memory (much faster than on disk), then written into the server's data dir.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-crash-'));
    target = { dataDir };
    const memory = await createPGlite();
    await migrate(pgliteRunner(memory));
    const database = await openDatabase({ pglite: memory, migrate: false });
    await seedAndUsers(database);
    const tarball = await memory.dumpDataDir('none');
    await database.close();
    const onDisk = await PGlite.create({
      dataDir: path.join(dataDir, 'pglite'),
      loadDataDir: tarball,
      extensions: { btree_gist },
    });
    await onDisk.close();
    cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  for (const s of servers) await s.kill('SIGKILL');
  await cleanup();
});

const start = async (port?: number) => {
  const server = await startServer({ ...target, ...(port ? { port } : {}) });
  servers.push(server);
  return server;
};

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe(`a server killed with SIGKILL during a click-day (${engine}, separate process, slow)`, () => {
  it('keeps every acknowledged application, and a retry of what was in flight gives one application', async () => {
    const first = await start();
    const { office, callId } = await openCall(first.url, users.office, ambitoId);
    const clients = await loginClients(first.url, users.citizens);

    // Load from every client; the kill lands while the others' requests are in flight.
    let killed: Promise<void> | undefined;
    let killedAt = 0;
    const load: LoadResult = await fireSubmissions({
      clients,
      callId,
      count: 2_000,
      keyPrefix: `crash-${callId}`,
      stopOnNetworkError: true,
      stop: (acknowledged) => {
        if (acknowledged >= KILL_AFTER && !killed) {
          killedAt = Date.now();
          killed = first.kill('SIGKILL');
        }
        return false;
      },
    });
    await killed;
    office.close();
    expect(isAlive(first.pid), 'the process that held the database is gone').toBe(false);
    expect(load.acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(load.unsettled.length, 'requests were in flight at the kill').toBeGreaterThan(0);

    // Restarted on the same data and port: the clients' sessions are in the database.
    const second = await start(first.port);
    const auditor = new HttpClient(second.url, HttpClient.address(0));
    await auditor.login(users.office, CLICKDAY_PASSWORD);
    for (const [key, sent] of load.receipts) {
      const res = await auditor.request({
        url: `/api/v1/calls/${callId}/applications/${sent.applicationId}/receipt`,
      });
      expect(res.statusCode, `${key}: ${res.body}`).toBe(200);
      expect(res.json().receipt).toEqual(sent);
    }

    // What was in flight: the same key again gives one application, stored before the kill or now.
    const retried = new Map<string, Receipt>();
    for (const [n, sent] of load.unsettled.entries()) {
      const client = clients[n % clients.length] as HttpClient;
      const again = async () =>
        client.request({
          method: 'POST',
          url: `/api/v1/calls/${callId}/applications`,
          body: submissionBody(sent.applicant),
          headers: { 'idempotency-key': sent.key },
        });
      const res = await again();
      expect(res.statusCode, res.body).toBe(201);
      retried.set(sent.key, res.json());
      expect((await again()).json(), 'a second retry returns the same receipt').toEqual(res.json());
    }
    const storedBeforeKill = [...retried.values()].filter(
      (r) => new Date(r.receivedAt).getTime() < killedAt,
    ).length;

    const register = (
      await auditor.request({ url: `/api/v1/ambiti/${ambitoId}/protocol-register/verify` })
    ).json();
    expect(register.firstBroken).toBeNull();
    for (const c of [auditor, ...clients]) c.close();
    await second.kill('SIGTERM');

    const database = await openDatabase({ ...target, migrate: false });
    try {
      const stored = await compareWithDatabase(database.db, ambitoId, callId, [
        ...load.receipts.values(),
        ...retried.values(),
      ]);
      expect(stored.lost).toBe(0);
      expect(stored.duplicated).toBe(0);
      expect(stored.contiguous).toBe(true);
      expect(stored.stored).toBe(load.receipts.size + retried.size);
      expect(stored.registered, 'every application has its one register entry').toBe(true);
      for (const [key, receipt] of retried) expect(stored.keys.get(key)?.id).toBe(receipt.applicationId);
    } finally {
      await database.close();
    }
    console.log(
      `clickday crash (${engine}): ${load.acknowledged} acknowledged before SIGKILL, all stored; ` +
        `${load.unsettled.length} in flight, ${storedBeforeKill} of them committed before the kill, ` +
        `each retried to exactly one application`,
    );
  }, 120_000);
});
