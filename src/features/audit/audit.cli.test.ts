import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPgDatabase, dropPgDatabase, withDatabaseName } from '../../../test/helpers/pg-template.js';
import { openDatabase } from '../../db/database.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/ambito.mjs');

let tmp: string;
let anchorDir: string;
let env: NodeJS.ProcessEnv;
let pgName: string | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-audit-cli-'));
  anchorDir = path.join(tmp, 'ancore');
  env = { ...process.env, DATA_DIR: path.join(tmp, 'data'), AUDIT_ANCHOR_DIR: anchorDir };
  const url = process.env.DATABASE_URL;
  if (url) {
    pgName = await createPgDatabase(url, inject('pgTemplate') as string);
    env.DATABASE_URL = withDatabaseName(url, pgName);
  }
});
afterAll(async () => {
  if (pgName && process.env.DATABASE_URL) await dropPgDatabase(process.env.DATABASE_URL, pgName);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ambito(...args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The database owner, who can switch the append-only guard off. */
async function asOwner(fn: (db: import('kysely').Kysely<import('../../db/types.js').DB>) => Promise<void>) {
  const database = await openDatabase({
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    asOwner: true,
  });
  try {
    await fn(database.db);
  } finally {
    await database.close();
  }
}

const anchorFile = () => path.join(anchorDir, 'anchors.jsonl');

describe('ambito audit verify', { timeout: 300_000 }, () => {
  it('anchors the log outside the database, then exits non-zero on a truncated log and on a forged anchor', async () => {
    const created = await ambito(
      'user',
      'create',
      '--username',
      'revisione.ancore',
      '--password',
      'prova-sicura-della-suite-2026',
      '--role',
      'admin',
    );
    expect(created.code, created.stderr).toBe(0);

    const ok = await ambito('audit', 'verify');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^Registro integro: \d+ voci verificate, nessuna ancora precedente; nuova ancora in /,
    );
    expect(fs.statSync(path.join(anchorDir, 'anchor.key')).mode & 0o777).toBe(0o600);
    const anchored = fs.readFileSync(anchorFile(), 'utf8');
    expect(anchored.trim().split('\n')).toHaveLength(1);

    // The owner removes the last entry: the chain alone would still verify.
    await asOwner(async (db) => {
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
      await sql`delete from audit_log where id = (select max(id) from audit_log)`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    });
    const truncated = await ambito('audit', 'verify');
    expect(truncated.code).toBe(2);
    expect(truncated.stdout).toBe('');
    expect(truncated.stderr).toMatch(
      /^Errore: registro degli accessi non integro: registro troncato: l’ancora del \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d attesta \d+ voci fino alla voce \d+, il registro ne contiene \d+ \(nessuna nuova ancora scritta\)\n$/,
    );
    expect(fs.readFileSync(anchorFile(), 'utf8')).toBe(anchored);

    // Rewriting the anchor to match what is left needs the key: the altered line is refused.
    const line = JSON.parse(anchored);
    fs.writeFileSync(anchorFile(), `${JSON.stringify({ ...line, entries: line.entries - 1 })}\n`);
    const forged = await ambito('audit', 'verify');
    expect(forged.code).toBe(2);
    expect(forged.stderr).toContain('riga 1 del file delle ancore con firma non valida');
  });
});
