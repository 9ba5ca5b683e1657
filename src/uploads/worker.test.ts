import { describe, expect, it } from 'vitest';
import { DomainError } from '../http/errors.js';
import { runInWorker } from './worker.js';

const FIXTURE = new URL('./worker.fixture.ts', import.meta.url);
/** Starting a worker (tsx transpiling its modules) takes seconds on a busy machine. */
const STARTUP_BUDGET_MS = 15_000;
const run = (first: number, limits = { timeoutMs: 10_000, maxHeapMb: 64 }) =>
  runInWorker<{ bytes: number; sum: number }>(FIXTURE, Uint8Array.from([first, 5, 7]), 'Il file', limits);

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('runInWorker', () => {
  it('answers with what the worker computed, and leaves the caller’s bytes alone', async () => {
    const input = Uint8Array.from([0, 5, 7]);
    expect(await runInWorker(FIXTURE, input, 'Il file', { timeoutMs: 10_000, maxHeapMb: 64 })).toEqual({
      bytes: 3,
      sum: 12,
    });
    expect([...input]).toEqual([0, 5, 7]);
  });

  it('terminates a worker past its deadline and says so, while the main thread keeps running', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const started = Date.now();
    const error = await refusal(run(1, { timeoutMs: 1_000, maxHeapMb: 64 }));
    clearInterval(ticker);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('Il file: la lettura richiede più di 1 secondi: ridurre o dividere il file');
    expect(Date.now() - started).toBeLessThan(STARTUP_BUDGET_MS);
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops a worker that outgrows its heap with a 413, not a crash', async () => {
    const error = await refusal(run(2, { timeoutMs: 20_000, maxHeapMb: 32 }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/più di 32 MB di memoria/);
  });

  it('passes a DomainError through with its fields, and any other throw as an unreadable file', async () => {
    const domain = await refusal(run(3));
    expect(domain.code).toBe('INVALID');
    expect(domain.errors).toEqual([{ field: 'A1', reason: 'vuota' }]);
    const other = await refusal(run(4));
    expect(other.code).toBe('INVALID');
    expect(other.message).toBe('Il file: il file è danneggiato o non è nel formato atteso');
  });
});
