import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_NAME, readOwner } from '../src/db/data-dir-lock.js';
import { openDatabase } from '../src/db/database.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';

// The embedded database's folder with two real processes on it: the server, and the `ambito`
// command run meanwhile. Always PGlite, whatever DATABASE_URL says: the lock is the embedded
// database's (a PostgreSQL server has its own).
const run = promisify(execFile);
const BIN = path.resolve('bin/ambito.mjs');

let tmp: string;
let dataDir: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-lock-'));
  dataDir = path.join(tmp, 'data');
});
afterAll(async () => {
  await server?.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ambito(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function usersNamed(username: string): Promise<number> {
  const database = await openDatabase({ dataDir, asOwner: true });
  try {
    const rows = await database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .execute();
    return rows.length;
  } finally {
    await database.close();
  }
}

const lockPath = () => path.join(dataDir, LOCK_NAME);

describe('one process at a time on the embedded data folder', { timeout: 300_000 }, () => {
  it('refuses a command while the server runs, and nothing of it is written', async () => {
    server = await startServer({ dataDir });
    expect(readOwner(lockPath())).toMatchObject({ pid: server.pid, holder: 'server' });

    const r = await ambito(
      'user',
      'create',
      '--username',
      'mario.rossi',
      '--password',
      'Una-password-lunga-2026',
      '--role',
      'admin',
    );
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toMatch(/creato/);
    expect(r.stderr).toContain('il server è in esecuzione su questa cartella dati:');
    expect(r.stderr).toContain(dataDir);
    expect(r.stderr).toContain(`processo ${server.pid}`);
    // The refused command left the server's lock alone.
    expect(readOwner(lockPath())).toMatchObject({ pid: server.pid, holder: 'server' });

    // SIGINT (Ctrl+C) stops the server and frees the folder; opened again, it has no such user.
    await server.kill('SIGINT');
    server = undefined;
    expect(fs.existsSync(lockPath())).toBe(false);
    expect(await usersNamed('mario.rossi')).toBe(0);
  });

  it('a lock left by a server killed with SIGKILL does not block the next start', async () => {
    const killed = await startServer({ dataDir });
    await killed.kill('SIGKILL');
    // Nothing could clean up: the lock is still there, naming a pid that no longer runs.
    expect(readOwner(lockPath())).toMatchObject({ pid: killed.pid, holder: 'server' });

    server = await startServer({ dataDir, timeoutMs: 60_000 });
    expect(readOwner(lockPath())).toMatchObject({ pid: server.pid });
    await server.kill('SIGTERM');
    server = undefined;
    expect(fs.existsSync(lockPath())).toBe(false);

    // And the command works on the folder once no server holds it.
    const r = await ambito(
      'user',
      'create',
      '--username',
      'mario.rossi',
      '--password',
      'Una-password-lunga-2026',
      '--role',
      'admin',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await usersNamed('mario.rossi')).toBe(1);
    expect(fs.existsSync(lockPath())).toBe(false);
  });
});
