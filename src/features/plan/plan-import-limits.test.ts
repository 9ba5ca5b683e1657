import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { workbookBomb } from '../../../test/helpers/zip-bomb.js';
import { XLSX_TYPE } from './plan.xlsx.js';

let t: TestApp;
let udp: Client;
let planId: string;
let workbook: Buffer;

const SHEET = 'xl/worksheets/sheet1.xml';

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const items = (await t.app.inject({ url: '/api/v1/ambiti' })).json().items as Array<{
    id: string;
    code: string;
  }>;
  const monza = items.find((a) => a.code === 'monza')?.id as string;
  udp = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
  const created = await udp.request({
    method: 'POST',
    url: '/api/v1/plans',
    payload: {
      ambitoId: monza,
      title: 'Piano bersaglio di file pesanti',
      period: '2025-2027',
      edition: 8,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
      governance: 'Assemblea dei Sindaci.',
      methodology: 'Dati ISTAT.',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  planId = created.json().id;
  workbook = (await udp.request({ url: `/api/v1/plans/${planId}/document.xlsx` })).rawPayload;
});
afterAll(() => t?.close());

/**
 * Uploads `body` to the import while `/health` is asked every 50 ms: the import's answer, the
 * slowest health answer, the longest the event loop stood still, and the heap growth.
 */
async function importUnderWatch(body: Buffer) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const heapBefore = process.memoryUsage().heapUsed;
  loop.enable();
  let done = false;
  let slowest = 0;
  let answers = 0;
  const health = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await t.app.inject({ url: '/health' });
      expect(res.statusCode).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      answers++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const res = await udp.request({
    method: 'POST',
    url: `/api/v1/plans/${planId}/import`,
    payload: body,
    headers: { 'content-type': XLSX_TYPE },
  });
  done = true;
  await health;
  loop.disable();
  return {
    res,
    slowest,
    answers,
    stalledMs: loop.max / 1e6,
    heapGrowthMb: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024,
  };
}

async function objectives(): Promise<unknown[]> {
  return (await udp.request({ url: `/api/v1/plans/${planId}` })).json().objectives;
}

describe('heavy plan workbooks', () => {
  it('refuses a decompression bomb from its zip directory, and the server keeps answering', async () => {
    const bomb = await workbookBomb(workbook, SHEET, 256);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { res, slowest, stalledMs, heapGrowthMb } = await importUnderWatch(bomb);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toBe(
      'Il foglio Excel del Piano: una sua parte occupa 256 MB una volta decompressa, il massimo è 32 MB',
    );
    expect(slowest).toBeLessThan(1000);
    expect(stalledMs).toBeLessThan(1000);
    expect(heapGrowthMb).toBeLessThan(100);
    expect(await objectives()).toEqual([]);
  });

  it('catches a bomb whose directory lies about its sizes while inflating, off the main thread', async () => {
    const bomb = await workbookBomb(workbook, SHEET, 256, 20_000);
    const { res, slowest, answers, stalledMs, heapGrowthMb } = await importUnderWatch(bomb);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().detail).toBe(
      'Il foglio Excel del Piano: il file è danneggiato o dichiara dimensioni false',
    );
    expect(answers).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(1000);
    expect(stalledMs).toBeLessThan(1000);
    expect(heapGrowthMb).toBeLessThan(100);
    expect(await objectives()).toEqual([]);
  });

  it('names the limit for a file too large to upload and for a file that is no workbook', async () => {
    const huge = await udp.request({
      method: 'POST',
      url: `/api/v1/plans/${planId}/import`,
      payload: Buffer.alloc(11 * 1024 * 1024, 'x'),
      headers: { 'content-type': XLSX_TYPE },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().detail).toBe(
      'Il corpo della richiesta supera la dimensione massima consentita (10 MB)',
    );
    const text = await udp.request({
      method: 'POST',
      url: `/api/v1/plans/${planId}/import`,
      payload: Buffer.from('Codice;Titolo\nOG1;Accesso\n'),
      headers: { 'content-type': XLSX_TYPE },
    });
    expect(text.statusCode).toBe(422);
    expect(text.json().detail).toBe(
      'Il foglio Excel del Piano: il file è danneggiato o non è nel formato atteso',
    );
  });
});
