import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';

/**
 * The router decodes percent escapes before matching (`/%61pi/v1/...` is `/api/v1/...`), so the
 * CSRF check and the no-store header must not be decided on the raw URL.
 */
let t: TestApp;
let sesto: string;
let routes: Array<{ method: string; path: string }>;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const ambiti = (await t.app.inject({ url: '/api/v1/ambiti' })).json().items as Array<{
    id: string;
    code: string;
  }>;
  sesto = ambiti.find((a) => a.code === 'sesto-san-giovanni')?.id as string;
  const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
  );
});
afterAll(() => t?.close());

function concrete(path: string): string {
  return path
    .replace('{id}', sesto)
    .replace('{year}', '2025')
    .replace('{period}', '2031-2033')
    .replace('{istatCode}', '015209')
    .replace('{code}', 'verbale_disabilita')
    .replace(/\{[A-Za-z]+\}/g, UNKNOWN);
}

const hex = (c: string, upper: boolean) => {
  const h = (c.codePointAt(0) as number).toString(16);
  return `%${upper ? h.toUpperCase() : h}`;
};

/** Escapes one letter of each fixed segment, preferring letters whose escape has hex letters (%6D/%6d). */
function escapeSegments(path: string, upper: boolean): string {
  return path
    .split('/')
    .map((seg, i) => {
      if (i === 0 || seg === '' || /^[0-9a-f-]{36}$/.test(seg) || /^\d/.test(seg)) return seg;
      const at = seg.search(/[j-oz]/);
      const k = Math.max(at, 0);
      return seg.slice(0, k) + hex(seg[k] as string, upper) + seg.slice(k + 1);
    })
    .join('/');
}

/** The same path as the router sees it, written in ways a raw-URL prefix test does not recognise. */
function encodedVariants(path: string): string[] {
  const rest = path.slice('/api'.length);
  return [
    `/%61pi${rest}`,
    `/%61%70%69${rest}`,
    path.replace('/api/v1/', '/api/v%31/'),
    escapeSegments(path, true),
    escapeSegments(path, false),
  ];
}

/** Row counts of every table, read as the owner (the audit log records the refusals, so it is left out). */
async function tableCounts(): Promise<Record<string, number>> {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'audit_log'
      order by table_name`.execute(trx);
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(trx);
      counts[name] = Number(r.rows[0]?.n);
    }
    await sql`set role ambito_app`.execute(trx);
    return counts;
  });
}

describe('CSRF on encoded paths', () => {
  it('refuses a fund created through /%61pi/... without the token, and writes nothing', async () => {
    const office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
    const before = await tableCounts();
    const res = await office.request({
      method: 'POST',
      url: `/%61pi/v1/ambiti/${sesto}/funds`,
      headers: { 'x-csrf-token': '' },
      payload: { code: 'FONDO_CSRF', name: 'Fondo di prova', source: 'altro' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0].field).toBe('X-CSRF-Token');
    expect(await tableCounts()).toEqual(before);
    // The same request with the token is served: the refusal above was the CSRF check.
    const ok = await office.request({
      method: 'POST',
      url: `/%61pi/v1/ambiti/${sesto}/funds`,
      payload: { code: 'FONDO_CSRF', name: 'Fondo di prova', source: 'altro' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses every write route of the API description under every encoding, for every kind of caller', async () => {
    const callers: Client[] = [
      await clientWith(t, [{ role: 'admin' }]),
      await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]),
      new Client(t.app),
    ];
    // The anonymous caller holds the pre-session cookie its token would be bound to.
    await (callers[2] as Client).request({ url: '/api/v1/session' });
    const writes = routes.filter((r) => WRITES.has(r.method));
    expect(writes.length).toBeGreaterThan(40);
    const before = await tableCounts();
    const served: string[] = [];
    for (const { method, path } of writes)
      for (const url of encodedVariants(concrete(path)))
        for (const caller of callers) {
          const res = await caller.request({ method, url, payload: {}, headers: { 'x-csrf-token': '' } });
          if (res.statusCode !== 403 || res.json().errors?.[0]?.field !== 'X-CSRF-Token')
            served.push(`${method} ${url} → ${res.statusCode}`);
        }
    expect(served).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  }, 300_000);
});

describe('no-store on encoded paths', () => {
  it('marks the answer of every API read, whatever the encoding of its path', async () => {
    const admin = await clientWith(t, [{ role: 'admin' }]);
    // The variants rewrite the `/api` prefix: /health and /status are outside it (and, rewritten,
    // would name web pages of the built UI, cached as static files).
    const reads = routes.filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
    expect(reads.length).toBeGreaterThan(30);
    const cached: string[] = [];
    for (const { path } of reads)
      for (const url of encodedVariants(concrete(path))) {
        const res = await admin.request({ url });
        if (res.headers['cache-control'] !== 'no-store')
          cached.push(`GET ${url} → ${res.statusCode} ${res.headers['cache-control'] ?? '(none)'}`);
      }
    expect(cached).toEqual([]);
    const users = await admin.request({ url: '/%61pi/v1/users' });
    expect(users.statusCode).toBe(200);
    expect(users.headers['cache-control']).toBe('no-store');
  }, 300_000);
});
