/** The worker side of runInWorker: the job reads the transferred bytes and answers once. */
import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../http/errors.js';
import type { WorkerReply } from './worker.js';

export function serveWorker(job: (input: Buffer) => Promise<unknown>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker runs inside a worker thread');
  const { input } = workerData as { input: Uint8Array };
  const answer = (reply: WorkerReply) => port.postMessage(reply);
  answer({ started: true });
  job(Buffer.from(input.buffer, input.byteOffset, input.byteLength)).then(
    (value) => answer({ ok: true, value }),
    (error: unknown) =>
      answer(
        error instanceof DomainError
          ? { ok: false, error: { code: error.code, message: error.message, errors: error.errors } }
          : { ok: false, unexpected: error instanceof Error ? error.name : 'error' },
      ),
  );
}
