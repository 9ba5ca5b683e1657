import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_NAME, type LockOwner, lockDataDir, readOwner } from './data-dir-lock.js';
import { openDatabase } from './database.js';

let dataDir: string;
const lockPath = () => path.join(dataDir, LOCK_NAME);

beforeEach(() => {
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-lockunit-')), 'data');
});
afterEach(() => {
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

/** A lock as another process would have left it. */
function plantLock(owner: Partial<LockOwner>, mtime = new Date()): void {
  fs.mkdirSync(lockPath(), { recursive: true });
  const full: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    holder: 'server',
    startedAt: '2026-12-07T15:40:00.000Z',
    ...owner,
  };
  fs.writeFileSync(path.join(lockPath(), 'owner.json'), JSON.stringify(full));
  fs.utimesSync(lockPath(), mtime, mtime);
}

/** The pid of a process that has run and exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

async function refusal(): Promise<DataDirLockedError> {
  const error = await lockDataDir(dataDir, 'command').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataDirLockedError);
  return error as DataDirLockedError;
}

describe('the data folder lock', () => {
  it('is held by one holder at a time, named to the one refused, and free again once released', async () => {
    const first = await lockDataDir(dataDir, 'command');
    expect(readOwner(lockPath())).toMatchObject({ pid: process.pid, holder: 'command' });

    const error = await refusal();
    expect(error.message).toContain('un altro comando ambito sta usando questa cartella dati:');
    expect(error.message).toContain(dataDir);
    expect(error.message).toContain(`processo ${process.pid}`);

    await first.release();
    expect(fs.existsSync(lockPath())).toBe(false);
    const again = await lockDataDir(dataDir, 'server');
    await again.release();
    await again.release(); // twice is harmless
  });

  it('names the server and when it started', async () => {
    plantLock({ holder: 'server' });
    const error = await refusal();
    expect(error.message).toMatch(
      /^il server è in esecuzione su questa cartella dati: .* \(processo \d+, avviato il 07\/12\/2026 alle 16:40\)/,
    );
  });

  it('takes over at once a lock whose process no longer runs', async () => {
    const pid = deadPid();
    plantLock({ pid });
    const lock = await lockDataDir(dataDir, 'command');
    expect(readOwner(lockPath())).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock whose pid now belongs to a process started at another instant', async () => {
    plantLock({ pid: process.pid, processStart: '1' });
    const lock = await lockDataDir(dataDir, 'command');
    expect(readOwner(lockPath())?.processStart).not.toBe('1');
    await lock.release();
  });

  it('takes over a lock from before the last reboot', async () => {
    plantLock({ pid: process.pid, bootId: 'another-boot' });
    const lock = await lockDataDir(dataDir, 'command');
    await lock.release();
  });

  it('leaves a lock held from another computer until it goes stale', async () => {
    plantLock({ hostname: 'altro-server', pid: 4242 });
    const error = await refusal();
    expect(error.message).toContain('processo 4242, sul computer altro-server');

    plantLock({ hostname: 'altro-server', pid: 4242 }, new Date(Date.now() - 5 * 60_000));
    const lock = await lockDataDir(dataDir, 'command');
    expect(readOwner(lockPath())).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    await lock.release();
  });

  it('refuses while another process is still writing its name into a fresh lock', async () => {
    fs.mkdirSync(lockPath(), { recursive: true });
    const error = await refusal();
    expect(error.message).toContain('un altro processo sta aprendo questa cartella dati:');
  });

  // A new PGlite folder is initialised first (initdb): tens of seconds under load.
  it('is taken by openDatabase on a data folder and released by close; a second open is refused', {
    timeout: 180_000,
  }, async () => {
    const database = await openDatabase({ dataDir, migrate: false, asOwner: true });
    await expect(openDatabase({ dataDir, migrate: false, asOwner: true })).rejects.toBeInstanceOf(
      DataDirLockedError,
    );
    await database.close();
    expect(fs.existsSync(lockPath())).toBe(false);
    const reopened = await openDatabase({ dataDir, migrate: false, asOwner: true });
    await reopened.close();
  });
});
