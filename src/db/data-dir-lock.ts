import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * One process at a time on an embedded (PGlite) data directory.
 *
 * PGlite is Postgres in the process itself: a second process on the same directory never sees
 * the first one's writes (and loses its own when the first one checkpoints), and the two can
 * corrupt the files. So a process that opens the directory takes an exclusive lock on it:
 * proper-lockfile creates `DATA_DIR/pglite.lock/` atomically (mkdir), keeps its mtime fresh and
 * removes it on exit, on SIGINT/SIGTERM and on an uncaught error (through signal-exit).
 * Inside it, `owner.json` says who holds it (pid, host, start instant), so that
 * - a second process refuses at once, naming the directory and the pid;
 * - a lock left by a process that was killed (SIGKILL, power loss) is taken over at once
 *   when that pid no longer runs on this host, or runs but started at another instant (pid reused),
 *   or the machine has rebooted since; a lock held from another host (a shared volume) is taken
 *   over only when its mtime has not been refreshed for STALE_MS.
 */

export const LOCK_NAME = 'pglite.lock';
const OWNER_FILE = 'owner.json';
/** A lock whose mtime is older than this is stale whoever holds it (the holder refreshes it every UPDATE_MS). */
const STALE_MS = 60_000;
const UPDATE_MS = 10_000;

export type LockHolder = 'server' | 'command';

export interface LockOwner {
  pid: number;
  hostname: string;
  holder: LockHolder;
  /** ISO instant the lock was taken. */
  startedAt: string;
  /** Linux: the kernel boot and the process start (clock ticks since boot), to tell a reused pid. */
  bootId?: string;
  processStart?: string;
}

export interface DataDirLock {
  readonly dataDir: string;
  release(): Promise<void>;
}

/** The directory is held by another live process. The message is for the person at the terminal. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(lockedMessage(dataDir, owner));
    this.name = 'DataDirLockedError';
  }
}

// proper-lockfile removes its lock with rmdir; ours holds owner.json, so it is removed whole.
const lockFs = {
  ...fs,
  rmdir: (p: string, cb: (err: NodeJS.ErrnoException | null) => void) =>
    fs.rm(p, { recursive: true, force: true }, cb),
  rmdirSync: (p: string) => fs.rmSync(p, { recursive: true, force: true }),
};

/** Takes the lock on `dataDir` (created if missing) or throws DataDirLockedError. */
export async function lockDataDir(dataDir: string, holder: LockHolder): Promise<DataDirLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_NAME);
  const previous = readOwner(lockPath);
  const state = previous && ownerState(previous);
  if (state === 'running') throw new DataDirLockedError(dataDir, previous);
  if (state === 'gone' && previous) removeIfStillOwnedBy(lockPath, previous);
  // 'elsewhere' (another host) and an unnamed holder: proper-lockfile's mtime staleness decides.

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path.join(dataDir, 'pglite'), {
      realpath: false,
      lockfilePath: lockPath,
      stale: STALE_MS,
      update: UPDATE_MS,
      fs: lockFs,
      onCompromised: (error) => {
        // Another process removed or took the lock (or this one stalled past STALE_MS): going on
        // would let two processes write the same files.
        console.error(
          `Errore: il blocco della cartella dati ${dataDir} è stato perso (${error.message}); arresto per non danneggiare i dati.`,
        );
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED')
      throw new DataDirLockedError(dataDir, readOwner(lockPath));
    throw error;
  }
  writeOwner(lockPath, holder);
  let released = false;
  return {
    dataDir,
    release: async () => {
      if (released) return;
      released = true;
      await release();
    },
  };
}

/** Who holds the lock on `dataDir`, if anyone wrote it down. */
export function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(lockPath, OWNER_FILE), 'utf8')) as LockOwner;
    return Number.isInteger(value.pid) && value.pid > 0 && typeof value.hostname === 'string'
      ? value
      : undefined;
  } catch {
    return undefined; // no lock, a lock being created, or a file cut short
  }
}

function writeOwner(lockPath: string, holder: LockHolder): void {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    holder,
    startedAt: new Date().toISOString(),
    bootId: bootId(),
    processStart: processStart(process.pid),
  };
  // Writing into the directory moves its mtime, which proper-lockfile checks as its own:
  // put it back as proper-lockfile set it.
  const before = fs.statSync(lockPath);
  fs.writeFileSync(path.join(lockPath, OWNER_FILE), JSON.stringify(owner));
  fs.utimesSync(lockPath, before.atime, before.mtime);
}

/** 'gone' only when the owner certainly no longer runs; a holder on another host cannot be checked. */
export function ownerState(owner: LockOwner): 'running' | 'gone' | 'elsewhere' {
  if (owner.hostname !== os.hostname()) return 'elsewhere';
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return 'gone';
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
    // EPERM: it runs, as another user
  }
  const start = processStart(owner.pid);
  return owner.processStart && start && owner.processStart !== start ? 'gone' : 'running';
}

/** Removes a dead owner's lock unless another process replaced it in the meantime. */
function removeIfStillOwnedBy(lockPath: string, owner: LockOwner): void {
  const now = readOwner(lockPath);
  if (now && now.pid === owner.pid && now.startedAt === owner.startedAt)
    fs.rmSync(lockPath, { recursive: true, force: true });
}

function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Linux: field 22 of /proc/<pid>/stat, the start time in clock ticks since boot. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const DAY = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  hour: '2-digit',
  minute: '2-digit',
});

function lockedMessage(dataDir: string, owner: LockOwner | undefined): string {
  if (!owner)
    return `un altro processo sta aprendo questa cartella dati: ${dataDir}. Attendere qualche secondo e riprovare; due processi sulla stessa cartella la danneggerebbero.`;
  const started = new Date(owner.startedAt);
  const where = [
    `processo ${owner.pid}`,
    owner.hostname !== os.hostname() ? `sul computer ${owner.hostname}` : '',
    Number.isNaN(started.getTime()) ? '' : `avviato il ${DAY.format(started)} alle ${TIME.format(started)}`,
  ]
    .filter(Boolean)
    .join(', ');
  return owner.holder === 'server'
    ? `il server è in esecuzione su questa cartella dati: ${dataDir} (${where}). Fermare il server e riprovare, oppure fare l'operazione dall'interfaccia web: due processi sulla stessa cartella la danneggerebbero.`
    : `un altro comando ambito sta usando questa cartella dati: ${dataDir} (${where}). Attendere che finisca e riprovare: due processi sulla stessa cartella la danneggerebbero.`;
}
