// A worker thread's first module: plain JavaScript, so that it can register tsx (the loader the
// server runs under does not reach worker threads) before importing the TypeScript job.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
