/** A worker for worker.test.ts: the first byte of the input says how it behaves. */
import { DomainError } from '../http/errors.js';
import { serveWorker } from './worker-entry.js';

serveWorker(async (input) => {
  switch (input[0]) {
    case 1: // never answers
      for (;;);
    case 2: {
      // holds ever more memory
      const hoard: string[][] = [];
      for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => `riga ${i} ${hoard.length}`));
    }
    case 3:
      throw new DomainError('INVALID', 'Il file contiene un errore', [{ field: 'A1', reason: 'vuota' }]);
    case 4:
      throw new TypeError('a parser tripped on a malformed file');
    default:
      return { bytes: input.length, sum: input.reduce((s, b) => s + b, 0) };
  }
});
