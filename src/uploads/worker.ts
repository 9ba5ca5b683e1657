/**
 * Heavy uploads are parsed on a worker thread, so that a large or hostile file costs that thread
 * its time and memory and the server keeps answering: each job gets a fresh worker with a heap
 * limit (resourceLimits) and a deadline, after which the worker is terminated. At most two
 * jobs run at once (the machines have two cores); a few more wait, the rest are refused.
 */
import { Worker } from 'node:worker_threads';
import { DomainError, type DomainErrorCode, type FieldError } from '../http/errors.js';
import { formatBytes, tooLarge, unreadable } from './limits.js';

export interface WorkerLimits {
  timeoutMs: number;
  /** The worker's V8 old generation: what its parse may hold at once. */
  maxHeapMb: number;
}

/** What a worker entry (worker-entry.ts) says: that the job started, then its answer. */
export type WorkerReply =
  | { started: true }
  | { ok: true; value: unknown }
  | { ok: false; error: { code: DomainErrorCode; message: string; errors: FieldError[] } }
  | { ok: false; unexpected: string };

/** Loading the job's modules (tsx transpiling them) is not the file's doing: it has its own deadline. */
const STARTUP_MS = 60_000;
const MAX_RUNNING = 2;
const MAX_WAITING = 8;
let running = 0;
const waiting: Array<() => void> = [];

// The sources are TypeScript run through tsx (no build step), whose loader does not reach worker
// threads: each worker starts on a JavaScript bootstrap that registers tsx, then imports the job.
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

async function acquire(): Promise<void> {
  if (running < MAX_RUNNING) {
    running++;
    return;
  }
  if (waiting.length >= MAX_WAITING)
    throw new DomainError(
      'UNAVAILABLE',
      'Troppi file in lettura in questo momento: riprovare tra qualche minuto',
    );
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/**
 * Runs the worker module `entry` on `input` (transferred, not shared: the caller's buffer stays
 * intact) and returns its value, or rethrows its DomainError. `file` names the upload in errors.
 */
export async function runInWorker<T>(
  entry: URL,
  input: Uint8Array,
  file: string,
  limits: WorkerLimits,
): Promise<T> {
  await acquire();
  try {
    return (await run(entry, input, file, limits)) as T;
  } finally {
    release();
  }
}

function run(entry: URL, input: Uint8Array, file: string, limits: WorkerLimits): Promise<unknown> {
  const copy = new Uint8Array(input);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const worker = new Worker(BOOTSTRAP, {
      workerData: { entry: entry.href, input: copy },
      transferList: [copy.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 16 },
    });
    let timer = setTimeout(
      () => settle(() => reject(new Error('upload worker did not start in time'))),
      STARTUP_MS,
    );
    const expire = () =>
      settle(() =>
        reject(
          tooLarge(
            file,
            `la lettura richiede più di ${Math.round(limits.timeoutMs / 1000)} secondi: ridurre o dividere il file`,
          ),
        ),
      );
    worker.on('message', (reply: WorkerReply) => {
      if ('started' in reply) {
        clearTimeout(timer);
        timer = setTimeout(expire, limits.timeoutMs);
        return;
      }
      settle(() => {
        if (reply.ok) resolve(reply.value);
        else if ('error' in reply)
          reject(new DomainError(reply.error.code, reply.error.message, reply.error.errors));
        // A library that throws on malformed input (not a DomainError) still means a bad file.
        else reject(unreadable(file, 'il file è danneggiato o non è nel formato atteso'));
      });
    });
    worker.on('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooLarge(
                file,
                `la lettura richiede più di ${formatBytes(limits.maxHeapMb * 1024 * 1024)} di memoria: ridurre o dividere il file`,
              )
            : error,
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`upload worker exited with code ${code} before answering`))),
    );
  });
}
