import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantBody } from '../src/features/identity/identity.schemas.js';
import { ROLES } from '../src/http/auth.js';
import { Client, clientWith, createTestApp, type TestApp } from './helpers/app.js';

/**
 * For every route of the OpenAPI document and every role: what must happen. A new route
 * without a line here fails this test. Outcomes: 'ok' (the request is served: 2xx, or a 4xx
 * about the request body itself), 'unauth' (401), 'forbidden' (403), 'notfound' (404: the
 * resource belongs to another Ambito, so its existence is not revealed).
 */
type Outcome = 'ok' | 'unauth' | 'forbidden' | 'notfound';
type Who = 'anonymous' | (typeof ROLES)[number];
type Row = Record<Who, Outcome>;

const all = (o: Outcome): Row => Object.fromEntries(['anonymous', ...ROLES].map((w) => [w, o])) as Row;
const only = (who: Who[], yes: Outcome, no: Outcome, anonymous: Outcome = 'unauth'): Row => ({
  ...all(no),
  ...Object.fromEntries(who.map((w) => [w, yes])),
  anonymous: who.includes('anonymous') ? yes : anonymous,
});
const loggedIn: Row = { ...all('ok'), anonymous: 'unauth' };
const staff: Row = { ...loggedIn, cittadino: 'forbidden' };

// Requests use the Ambito of the role holders (Sesto) unless the line says 'other' (Monza).
const MATRIX: Record<string, Row & { ambito?: 'own' | 'other' }> = {
  'GET /health': all('ok'),
  'GET /status': all('ok'),
  'GET /api/v1/session': loggedIn,
  // Everyone may try to log in; with wrong credentials everyone gets the same 401.
  'POST /api/v1/session': all('unauth'),
  'DELETE /api/v1/session': all('ok'),
  'POST /api/v1/session/totp': staff,
  'POST /api/v1/session/totp/confirm': staff,
  'DELETE /api/v1/session/totp': staff,
  // External login: the status is public; the flow answers 404 while no provider is configured.
  'GET /api/v1/auth/oidc': all('ok'),
  'GET /api/v1/auth/oidc/login': all('notfound'),
  'GET /api/v1/auth/oidc/callback': all('notfound'),
  'GET /api/v1/auth/oidc/logout-url': all('notfound'),
  'GET /api/v1/users': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users/{id}/disable': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/users/{id}/roles': only(['admin'], 'ok', 'forbidden'),
  'DELETE /api/v1/users/{id}/roles/{assignmentId}': only(['admin'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti': all('ok'),
  'GET /api/v1/ambiti/{id}': all('ok'),
  'POST /api/v1/ambiti': only(['admin'], 'ok', 'forbidden'),
  'PATCH /api/v1/ambiti/{id}': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/comuni': only(['admin'], 'ok', 'forbidden'),
  'POST /api/v1/ambiti/{id}/comuni/{istatCode}/end': only(['admin'], 'ok', 'forbidden'),
  'GET /api/v1/comuni': all('ok'),
  'GET /api/v1/ambiti/{id}/audit': only(['revisore'], 'ok', 'forbidden'),
  'GET /api/v1/ambiti/{id}/audit.csv': only(['revisore'], 'ok', 'forbidden'),
  // The auditor of Sesto guessing Monza's audit log learns nothing.
  'GET /api/v1/ambiti/{id}/audit#other': { ...only(['revisore'], 'notfound', 'forbidden'), ambito: 'other' },
};

let t: TestApp;
let sesto: string;
let monza: string;
const clients = new Map<Who, Client>();
let target: { userId: string; assignmentId: string };

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const items = (await t.app.inject({ url: '/api/v1/ambiti' })).json().items as Array<{
    id: string;
    code: string;
  }>;
  sesto = items.find((a) => a.code === 'sesto-san-giovanni')?.id as string;
  monza = items.find((a) => a.code === 'monza')?.id as string;
  const org = await t.database.db
    .insertInto('organizations')
    .values({ name: 'ETS di prova', runts_number: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grants: Record<(typeof ROLES)[number], GrantBody> = {
    admin: { role: 'admin' },
    ufficio_di_piano: { role: 'ufficio_di_piano', ambitoId: sesto },
    assistente_sociale: { role: 'assistente_sociale', ambitoId: sesto, comuneIstat: '015209' },
    assemblea: { role: 'assemblea', ambitoId: sesto, comuneIstat: '015081' },
    terzo_settore: { role: 'terzo_settore', organizationId: org.id },
    ats_asst: { role: 'ats_asst', ambitoId: sesto },
    cittadino: { role: 'cittadino' },
    revisore: { role: 'revisore', ambitoId: sesto },
  };
  // Anonymous clients fetch the CSRF token first, as any client must.
  const anonymous = new Client(t.app);
  anonymous.csrf = (await anonymous.request({ url: '/api/v1/session' })).json().csrfToken;
  clients.set('anonymous', anonymous);
  for (const role of ROLES) clients.set(role, await clientWith(t, [grants[role]]));
  const victim = await clientWith(t, [{ role: 'cittadino' }]);
  const assignment = await t.database.db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', victim.userId)
    .executeTakeFirstOrThrow();
  target = { userId: victim.userId, assignmentId: assignment.id };
});
afterAll(() => t?.close());

/** A request for the route with valid parameters and bodies, so that authorization is what decides. */
function requestFor(method: string, path: string, ambito: string) {
  const url = path
    .replace('{id}', path.startsWith('/api/v1/users') ? target.userId : ambito)
    .replace('{assignmentId}', target.assignmentId)
    .replace('{istatCode}', '015209');
  const bodies: Record<string, unknown> = {
    'POST /api/v1/session': { username: 'nessuno', password: 'x' },
    'POST /api/v1/session/totp/confirm': { code: '000000' },
    'DELETE /api/v1/session/totp': { code: '000000' },
    'POST /api/v1/users': {
      username: `nuovo${Math.random().toString(36).slice(2, 8)}`,
      displayName: 'Nuovo utente',
      roles: [],
    },
    'POST /api/v1/users/{id}/roles': { role: 'cittadino' },
    'POST /api/v1/ambiti': {
      code: `prova-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Ambito di prova',
      capofilaIstat: '098031',
      comuni: [{ istatCode: '098031', validFrom: '2030-01-01' }],
    },
    'PATCH /api/v1/ambiti/{id}': { district: 'Distretto di prova' },
    'POST /api/v1/ambiti/{id}/comuni': { istatCode: '015209', validFrom: '2021-01-01' },
    // 015209 is the capofila: the administrator gets a 409, nobody changes anything.
    'POST /api/v1/ambiti/{id}/comuni/{istatCode}/end': { validTo: '2099-12-31' },
  };
  return { method, url, payload: bodies[`${method} ${path}`] };
}

function classify(status: number): Outcome {
  if (status === 401) return 'unauth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notfound';
  return 'ok';
}

describe('permission matrix', () => {
  it('has a line for every route of the API description', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const missing = routes.filter((r) => !(r in MATRIX));
    expect(missing, 'routes without a line in the permission matrix').toEqual([]);
    const stale = Object.keys(MATRIX).filter((k) => !routes.includes(k.split('#')[0] as string));
    expect(stale, 'matrix lines for routes that no longer exist').toEqual([]);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    it(`${key}`, async () => {
      const [method, path] = (key.split('#')[0] as string).split(' ') as [string, string];
      const ambito = row.ambito === 'other' ? monza : sesto;
      const got: Partial<Row> = {};
      for (const who of ['anonymous', ...ROLES] as Who[]) {
        const client = clients.get(who) as Client;
        // Logging out would end the role's session for the next lines: use a throw-away session.
        const c =
          key === 'DELETE /api/v1/session' && who !== 'anonymous'
            ? await clientWith(t, [{ role: 'cittadino' }])
            : client;
        const res = await c.request(requestFor(method, path, ambito));
        got[who] = classify(res.statusCode);
        if (res.statusCode >= 500) throw new Error(`${key} as ${who}: ${res.statusCode} ${res.body}`);
      }
      const { ambito: _ignored, ...expected } = row;
      expect(got).toEqual(expected);
    });
  }
});

describe('cross-tenant attempts', () => {
  it('are refused and recorded in the audit log as denied', async () => {
    const auditor = clients.get('revisore') as Client;
    const res = await auditor.request({ url: `/api/v1/ambiti/${monza}/audit` });
    expect(res.statusCode).toBe(404);
    const denied = await t.database.db.transaction().execute(async (trx) => {
      const { sql } = await import('kysely');
      await sql`reset role`.execute(trx);
      const rows = await trx
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'ambito_id', 'actor_username'])
        .where('outcome', '=', 'denied')
        .where('ambito_id', '=', monza)
        .execute();
      await sql`set role ambito_app`.execute(trx);
      return rows;
    });
    expect(denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'audit:read',
          actor_username: (auditor as Client & { username: string }).username,
        }),
      ]),
    );
  });

  it('lets the auditor read and export their own Ambito’s log, with no-store', async () => {
    const auditor = clients.get('revisore') as Client;
    const res = await auditor.request({ url: `/api/v1/ambiti/${sesto}/audit?action=ambito.create` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().items).toEqual([expect.objectContaining({ action: 'ambito.create', outcome: 'ok' })]);
    const csv = await auditor.request({ url: `/api/v1/ambiti/${sesto}/audit.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFFid;data e ora;utente')).toBe(true);
  });
});
