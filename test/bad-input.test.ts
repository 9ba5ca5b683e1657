import { randomUUID } from 'node:crypto';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerErrorHandler } from '../src/http/errors.js';
import { Client, clientWith, createTestApp, type TestApp } from './helpers/app.js';
import { TINY_PDF } from './helpers/calls.js';

/**
 * Bad input, generated from the OpenAPI document: every operation, called by a user who may call
 * it, gets NULs and lone surrogates in each string field, unknown and garbage path ids, bodies of
 * the wrong shape and NULs in each query parameter. None may answer 5xx, every refusal is a
 * problem+json, and a refused request writes nothing.
 */

interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
}
interface Case {
  name: string;
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** The field the 400 must name, when the case is a bad character. */
  field?: string;
}

const NIL = '00000000-0000-0000-0000-000000000000';
const NUL = 'a\u0000b';
const SURROGATE = 'a\uD800b';

let t: TestApp;
let ops: Operation[];
const clients: Record<'anonymous' | 'admin' | 'office' | 'auditor', Client> = {} as never;
type Id =
  | 'ambito'
  | 'user'
  | 'assignment'
  | 'plan'
  | 'objective'
  | 'action'
  | 'indicator'
  | 'act'
  | 'budgetLine'
  | 'call'
  | 'application';
const ids = {} as Record<Id, string>;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const db = t.database.db;
  const ambito = async (code: string) =>
    (await db.selectFrom('ambiti').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const sesto = await ambito('sesto-san-giovanni');
  ids.ambito = sesto;
  const anonymous = new Client(t.app);
  anonymous.csrf = (await anonymous.request({ url: '/api/v1/session' })).json().csrfToken;
  clients.anonymous = anonymous;
  clients.admin = await clientWith(t, [{ role: 'admin' }]);
  clients.office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  clients.auditor = await clientWith(t, [{ role: 'revisore', ambitoId: sesto }]);
  const victim = await clientWith(t, [{ role: 'cittadino' }]);
  ids.user = victim.userId;
  ids.assignment = (
    await db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', victim.userId)
      .executeTakeFirstOrThrow()
  ).id;
  const office = clients.office;
  const [plan] = (await office.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items;
  ids.plan = plan.id;
  const tree = (await office.request({ url: `/api/v1/plans/${plan.id}` })).json();
  const objective = tree.objectives[0];
  ids.objective = objective.id;
  ids.action = objective.specific[0].actions[0].id;
  ids.indicator = objective.specific[0].actions[0].indicators[0].id;
  ids.act = (await office.request({ url: `/api/v1/ambiti/${sesto}/acts` })).json().items[0].id;
  ids.budgetLine = (
    await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines?year=2025` })
  ).json().items[0].id;
  const calls = (await office.request({ url: `/api/v1/ambiti/${sesto}/calls` })).json().items as Array<{
    id: string;
  }>;
  for (const call of calls) {
    const apps = (await office.request({ url: `/api/v1/calls/${call.id}/applications` })).json().items;
    if (apps?.length) {
      ids.call = call.id;
      ids.application = apps[0].id;
      break;
    }
  }
  if (!ids.call || !ids.application) throw new Error('the demo has no call with applications');

  const doc = t.app.swagger() as unknown as {
    paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: never }>>;
  };
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => {
      const body = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content?.['application/json']?.schema;
      return { method: method.toUpperCase(), path, parameters: op.parameters ?? [], body };
    }),
  );
});
afterAll(() => t?.close());

/** Who may call the operation (so that authorization is not what refuses the request). */
function clientFor(op: Operation): Client {
  const key = `${op.method} ${op.path}`;
  if (op.path.startsWith('/api/v1/session') && !op.path.includes('totp')) return clients.anonymous;
  if (op.path.startsWith('/api/v1/users') || op.path.startsWith('/api/v1/taxonomies/')) return clients.admin;
  if (
    key === 'POST /api/v1/ambiti' ||
    key === 'PATCH /api/v1/ambiti/{id}' ||
    op.path.startsWith('/api/v1/ambiti/{id}/comuni')
  )
    return clients.admin;
  if (op.path.includes('/audit')) return clients.auditor;
  return clients.office;
}

/** The real demo id for a path parameter. */
function realParam(op: Operation, name: string): string {
  const p = op.path;
  switch (name) {
    case 'id':
      return p.startsWith('/api/v1/users') ? ids.user : p.startsWith('/api/v1/plans') ? ids.plan : ids.ambito;
    case 'itemId':
      return p.includes('/budget-lines/')
        ? ids.budgetLine
        : p.includes('/objectives/')
          ? ids.objective
          : p.includes('/actions/')
            ? ids.action
            : ids.indicator;
    case 'actId':
      return ids.act;
    case 'assignmentId':
      return ids.assignment;
    case 'callId':
      return ids.call;
    case 'applicationId':
      return ids.application;
    case 'listId':
      return randomUUID();
    case 'istatCode':
      return '015209';
    case 'year':
      return '2025';
    case 'code':
      return 'verbale_disabilita';
    case 'period':
      return '2031-2033';
    default:
      throw new Error(`no demo value for the path parameter ${name} of ${p}`);
  }
}

function urlFor(op: Operation, params: Record<string, string> = {}, query: Record<string, string> = {}) {
  let url = op.path;
  for (const p of op.parameters.filter((x) => x.in === 'path'))
    url = url.replace(`{${p.name}}`, encodeURIComponent(params[p.name] ?? realParam(op, p.name)));
  const q: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'query' && x.required))
    q[p.name] = sampleQuery(p.name, p.schema);
  Object.assign(q, query);
  const qs = Object.entries(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return qs ? `${url}?${qs}` : url;
}

function sampleQuery(name: string, schema: JsonSchema): string {
  if (name === 'ambito') return ids.ambito;
  if (name === 'year') return '2025';
  if (name === 'from') return '1';
  if (name === 'to') return '2';
  return String(sample(schema));
}

const CANDIDATES = [
  'X-1',
  'prova',
  'codice_1',
  'A',
  '2025-2027',
  '2025-01-01',
  '2026-12',
  '015209',
  '000000',
  'IT60X0542811101000000123456',
  'F704',
  'M',
];

/** A value of the schema, valid where that is easy, so that the request gets as far as it can. */
function sample(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const chosen = alternatives.find((a) => a.type !== 'null') ?? alternatives[0];
    return sample(chosen, depth + 1);
  }
  if (schema.allOf?.[0]) return sample(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(v, depth + 1)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1, 1));
    case 'boolean':
      return true;
    case 'string': {
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2025-01-01';
      if (schema.format === 'date-time') return '2026-12-01T09:00:00+01:00';
      if (schema.format === 'email') return 'prova@example.org';
      if (schema.pattern) {
        const re = new RegExp(schema.pattern);
        const found = CANDIDATES.find((c) => re.test(c));
        if (found) return found;
      }
      return 'prova di testo'.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength ?? 100);
    }
    default:
      return null;
  }
}

/** Every path to a string inside the body schema, array items as index 0. */
function stringPaths(schema: JsonSchema | undefined, path: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 8) return [];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const chosen = alternatives.find((a) => a.type !== 'null') ?? alternatives[0];
    return stringPaths(chosen, path, depth + 1);
  }
  if (schema.allOf?.[0]) return stringPaths(schema.allOf[0], path, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (type === 'string') return [path];
  if (type === 'object')
    return Object.entries(schema.properties ?? {}).flatMap(([k, v]) =>
      stringPaths(v, [...path, k], depth + 1),
    );
  if (type === 'array') return stringPaths(schema.items, [...path, '0'], depth + 1);
  return [];
}

function withValue(body: unknown, path: string[], value: string): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
  return copy;
}

function headersFor(op: Operation): Record<string, string> {
  return op.parameters.some((p) => p.name === 'idempotency-key')
    ? { 'idempotency-key': `prova-${randomUUID()}` }
    : {};
}

function badCharacterCases(op: Operation): Case[] {
  const cases: Case[] = [];
  const key = `${op.method} ${op.path}`;
  if (op.body) {
    const base = sample(op.body);
    for (const path of stringPaths(op.body)) {
      for (const [label, value] of [
        ['NUL', NUL],
        ['lone surrogate', SURROGATE],
      ] as const)
        cases.push({
          name: `${key}: ${label} in body.${path.join('.')}`,
          method: op.method,
          url: urlFor(op),
          payload: withValue(base, path, value),
          headers: headersFor(op),
          field: ['body', ...path].join('.'),
        });
    }
  }
  for (const p of op.parameters.filter((x) => x.in === 'query'))
    cases.push({
      name: `${key}: NUL in query ${p.name}`,
      method: op.method,
      url: urlFor(op, {}, { [p.name]: NUL }),
      payload: op.body ? sample(op.body) : undefined,
      headers: headersFor(op),
      field: `querystring.${p.name}`,
    });
  for (const p of op.parameters.filter((x) => x.in === 'path'))
    cases.push({
      name: `${key}: NUL in path ${p.name}`,
      method: op.method,
      url: urlFor(op, { [p.name]: NUL }),
      payload: op.body ? sample(op.body) : undefined,
      headers: headersFor(op),
      field: `params.${p.name}`,
    });
  return cases;
}

function pathIdCases(op: Operation, upper: boolean): Case[] {
  const key = `${op.method} ${op.path}`;
  const cases: Case[] = [];
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const values: Array<[string, string]> = upper
      ? p.schema.format === 'uuid'
        ? [['upper-case', realParam(op, p.name).toUpperCase()]]
        : []
      : [
          ...(p.schema.format === 'uuid'
            ? ([
                ['nil UUID', NIL],
                ['random UUID', randomUUID()],
              ] as Array<[string, string]>)
            : []),
          ['garbage', 'zz-{}-9999999999999999999999'],
        ];
    for (const [label, value] of values)
      cases.push({
        name: `${key}: ${label} ${p.name}`,
        method: op.method,
        url: urlFor(op, { [p.name]: value }),
        payload: op.body ? sample(op.body) : undefined,
        headers: headersFor(op),
      });
  }
  return cases;
}

function bodyShapeCases(op: Operation): Case[] {
  if (!op.body) return [];
  const key = `${op.method} ${op.path}`;
  return [
    ['a bare string', 'testo'],
    ['an array', [1, 2]],
    ['a number', 42],
    ['null', null],
  ].map(([label, payload]) => ({
    name: `${key}: body is ${label}`,
    method: op.method,
    url: urlFor(op),
    payload: JSON.stringify(payload),
    headers: { ...headersFor(op), 'content-type': 'application/json' },
  }));
}

/** Rows and their newest writing transaction, per table: any insert, update or delete changes it. */
async function snapshot(): Promise<Record<string, string>> {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const tables = await sql<{ name: string }>`
      select tablename as name from pg_tables where schemaname = 'public'
        and tablename not in ('audit_log', 'login_attempts', 'sessions', 'schema_migrations')
      order by tablename`.execute(trx);
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const r = await sql<{ n: string; x: string }>`
        select count(*)::text as n, coalesce(max(xmin::text::bigint), 0)::text as x
        from ${sql.table(name)}`.execute(trx);
      out[name] = `${r.rows[0]?.n} rows, last xmin ${r.rows[0]?.x}`;
    }
    await sql`set role ambito_app`.execute(trx);
    return out;
  });
}

function problemOf(res: LightMyRequestResponse): { detail?: string; errors?: { field: string }[] } {
  return res.json();
}

/** Sends the cases in small groups; returns what went wrong, one line per case. */
async function run(
  cases: Case[],
  op: (c: Case) => Operation,
  check: (c: Case, res: LightMyRequestResponse) => string | undefined,
): Promise<string[]> {
  const failures: string[] = [];
  const GROUP = 4;
  for (let i = 0; i < cases.length; i += GROUP) {
    await Promise.all(
      cases.slice(i, i + GROUP).map(async (c) => {
        const res = await clientFor(op(c)).request(c);
        const problem = check(c, res);
        if (problem) failures.push(`${c.name}: ${problem} (${res.statusCode} ${res.body.slice(0, 200)})`);
      }),
    );
  }
  return failures;
}

function refused(res: LightMyRequestResponse): string | undefined {
  if (res.statusCode >= 500) return 'server error';
  if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json'))
    return 'not a problem+json';
  return undefined;
}

function generated(kind: (op: Operation) => Case[]): Array<[Operation, Case]> {
  return ops.flatMap((op) => kind(op).map((c) => [op, c] as [Operation, Case]));
}

describe('bad input on every operation of the OpenAPI document', () => {
  it('refuses NULs and lone surrogates in every string field, query and path parameter with a 400 naming it, writing nothing', async () => {
    const before = await snapshot();
    const pairs = generated(badCharacterCases);
    expect(pairs.length).toBeGreaterThan(200);
    const owner = new Map(pairs.map(([op, c]) => [c, op]));
    const failures = await run(
      pairs.map(([, c]) => c),
      (c) => owner.get(c) as Operation,
      (c, res) => {
        if (res.statusCode !== 400) return refused(res) ?? 'not a 400';
        const p = problemOf(res);
        if (!p.errors?.some((e) => e.field === c.field)) return `does not name ${c.field}`;
        return refused(res);
      },
    );
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('answers unknown and garbage path ids with a 4xx problem, writing nothing', async () => {
    const before = await snapshot();
    const pairs = generated((op) => pathIdCases(op, false));
    expect(pairs.length).toBeGreaterThan(100);
    const owner = new Map(pairs.map(([op, c]) => [c, op]));
    const failures = await run(
      pairs.map(([, c]) => c),
      (c) => owner.get(c) as Operation,
      (_c, res) => (res.statusCode < 400 ? `accepted (${res.statusCode})` : refused(res)),
    );
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bodies of the wrong shape with a 400, writing nothing', async () => {
    const before = await snapshot();
    const pairs = generated(bodyShapeCases);
    expect(pairs.length).toBeGreaterThan(150);
    const owner = new Map(pairs.map(([op, c]) => [c, op]));
    const failures = await run(
      pairs.map(([, c]) => c),
      (c) => owner.get(c) as Operation,
      (_c, res) => (res.statusCode !== 400 ? (refused(res) ?? 'not a 400') : refused(res)),
    );
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the cases of finding 10', () => {
  const pdf = Buffer.from(TINY_PDF, 'base64');
  const actUrl = (actId: string) => `/api/v1/ambiti/${ids.ambito}/acts/${actId}/document.pdf`;

  it('refuses a NUL in the comuni search with a 400 naming the query parameter', async () => {
    const res = await clients.anonymous.request({ url: '/api/v1/comuni?q=a%00b' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toEqual([
      { field: 'querystring.q', reason: expect.stringMatching(/controllo/) },
    ]);
    expect(res.json().detail).toMatch(/^querystring\.q: /);
  });

  it('refuses a NUL in the login username with a 400 and logs no error for it', async () => {
    const logged = vi.spyOn(t.app.log, 'error');
    const c = new Client(t.app);
    c.csrf = (await c.request({ url: '/api/v1/session' })).json().csrfToken;
    const res = await c.request({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'admin\u0000', password: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.username');
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });

  it('answers 404 for a PDF uploaded to an unknown act, the nil UUID included, and stores nothing', async () => {
    const before = await snapshot();
    for (const actId of [randomUUID(), NIL]) {
      const res = await clients.office.request({
        method: 'PUT',
        url: actUrl(actId),
        payload: pdf,
        headers: { 'content-type': 'application/pdf' },
      });
      expect(res.statusCode, actId).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an act upload with no body or a body that is not a PDF', async () => {
    const before = await snapshot();
    const none = await clients.office.request({ method: 'PUT', url: actUrl(ids.act) });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('body');
    const json = await clients.office.request({ method: 'PUT', url: actUrl(ids.act), payload: { pdf: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().detail).toMatch(/application\/pdf/);
    const text = await clients.office.request({
      method: 'PUT',
      url: actUrl(ids.act),
      payload: 'non un pdf',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    const fake = await clients.office.request({
      method: 'PUT',
      url: actUrl(ids.act),
      payload: Buffer.from('non un pdf'),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(fake.statusCode).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it('reads an upper-case UUID in a path, a query and a body as the same id', async () => {
    const lower = await clients.office.request({ url: `/api/v1/plans/${ids.plan}` });
    const upper = await clients.office.request({ url: `/api/v1/plans/${ids.plan.toUpperCase()}` });
    expect(upper.statusCode).toBe(200);
    expect(upper.json()).toEqual(lower.json());
    const listed = await clients.office.request({ url: `/api/v1/plans?ambito=${ids.ambito.toUpperCase()}` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((p: { id: string }) => p.id)).toContain(ids.plan);
    const audit = await clients.auditor.request({
      url: `/api/v1/ambiti/${ids.ambito.toUpperCase()}/audit?resourceId=${ids.plan.toUpperCase()}`,
    });
    expect(audit.statusCode).toBe(200);
    const created = await clients.office.request({
      method: 'POST',
      url: `/api/v1/plans/${ids.plan.toUpperCase()}/indicators`,
      payload: {
        actionId: ids.action.toUpperCase(),
        code: 'I-MAIUSCOLE',
        name: 'Indicatore con id in maiuscolo',
        kind: 'output',
        unit: 'numero',
      },
    });
    expect(created.statusCode).toBe(201);
    const tree = (await clients.office.request({ url: `/api/v1/plans/${ids.plan}` })).json();
    const action = tree.objectives[0].specific[0].actions[0];
    expect(action.id).toBe(ids.action);
    expect(action.indicators.map((i: { code: string }) => i.code)).toContain('I-MAIUSCOLE');
  });

  it('refuses a JSON body that is a bare string, a number or an array with a 400', async () => {
    for (const payload of ['"admin"', '42', '["admin"]']) {
      const res = await clients.admin.request({
        method: 'POST',
        url: '/api/v1/users',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, payload).toBe(400);
      expect(res.json().errors[0].field).toBe('body');
    }
  });

  it('refuses bad audit filters with a 400 naming the filter, in the search and in the CSV export', async () => {
    const bad: Array<[string, string]> = [
      ['from', '2025-13-45'],
      ['to', 'ieri'],
      ['from', '99999-01-01'],
      ['before', '99999999999999999999999'],
      ['before', '1e400'],
      ['limit', '1e30'],
      ['user', 'a\u0000b'],
      ['resourceId', 'a\u0000b'],
      ['action', 'a\u0007'],
    ];
    for (const path of ['audit', 'audit.csv']) {
      for (const [name, value] of bad) {
        if (path === 'audit.csv' && (name === 'before' || name === 'limit')) continue;
        const res = await clients.auditor.request({
          url: `/api/v1/ambiti/${ids.ambito}/${path}?${name}=${encodeURIComponent(value)}`,
        });
        expect(res.statusCode, `${path} ${name}=${value}`).toBe(400);
        expect(res.json().errors[0].field, `${path} ${name}=${value}`).toBe(`querystring.${name}`);
      }
    }
    const badId = await clients.auditor.request({ url: '/api/v1/ambiti/not-a-uuid/audit.csv' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0].field).toBe('params.id');
  });
});

describe('database errors reaching the handler', () => {
  // Real errors from the engine, each inside a transaction that rolls back.
  const statements: Record<string, string> = {
    duplicate: "insert into ambiti (code, name) select code, name from ambiti where code = 'monza'",
    check: "update ambiti set code = 'Codice Sbagliato' where code = 'monza'",
    reference: "update ambiti set capofila_istat = '999999' where code = 'monza'",
    missing: "update ambiti set name = null where code = 'monza'",
    bug: 'select 1 / 0',
  };

  async function answer(name: string) {
    const app = Fastify();
    registerErrorHandler(app, t.database.db);
    app.get('/:name', async () => {
      await t.database.db.transaction().execute(async (trx) => {
        await sql`reset role`.execute(trx);
        if (name === 'nul') await sql`select ${'a\u0000b'}::text`.execute(trx);
        else await sql.raw(statements[name] as string).execute(trx);
      });
      return {};
    });
    const res = await app.inject({ url: `/${name}` });
    await app.close();
    return res;
  }

  it('names the field and the reason in Italian, never the database message or the values', async () => {
    const expected: Record<string, [number, string]> = {
      duplicate: [409, 'code'],
      check: [422, 'code'],
      reference: [422, 'capofilaIstat'],
      missing: [422, 'name'],
    };
    for (const [name, [status, field]] of Object.entries(expected)) {
      const res = await answer(name);
      expect(res.statusCode, name).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body.errors, name).toEqual([{ field, reason: expect.any(String) }]);
      expect(body.detail, name).toMatch(new RegExp(`^${field}: `));
      expect(res.body, name).not.toMatch(/monza|999999|violates|Key \(|ambiti_|null value/i);
    }
  });

  it('refuses a NUL that reached the database with a 400, as the input guard would', async () => {
    const res = await answer('nul');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body', reason: expect.stringMatching(/controllo/) }]);
    expect(res.body).not.toMatch(/0x00|UTF8|encoding/i);
  });

  it('keeps a real bug a 500 with a generic detail', async () => {
    const res = await answer('bug');
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).toBe('Errore interno del server');
    expect(res.body).not.toMatch(/division/);
  });
});

it('the write check sees a write', async () => {
  const before = await snapshot();
  const res = await clients.admin.request({
    method: 'PATCH',
    url: `/api/v1/ambiti/${ids.ambito}`,
    payload: { district: 'Distretto cambiato dal test' },
  });
  expect(res.statusCode).toBe(204);
  expect(await snapshot()).not.toEqual(before);
});

// Last, since these may legitimately change data: a real id in upper case is the same id, and a
// route that takes no JSON body (an upload, an action) may well accept the request.
describe('requests that may be accepted', () => {
  it('reads an upper-case UUID in a path as the same id', async () => {
    const pairs = generated((op) => pathIdCases(op, true));
    expect(pairs.length).toBeGreaterThan(80);
    const owner = new Map(pairs.map(([op, c]) => [c, op]));
    const failures = await run(
      pairs.map(([, c]) => c),
      (c) => owner.get(c) as Operation,
      (_c, res) => refused(res),
    );
    expect(failures).toEqual([]);
  });

  it('never answers 5xx to a JSON body, a bare string, an array or a number sent to a route that takes no JSON body', async () => {
    const writes = ['POST', 'PUT', 'PATCH', 'DELETE'];
    const pairs = generated((op) =>
      !op.body && writes.includes(op.method) && op.path !== '/api/v1/session'
        ? bodyShapeCases({ ...op, body: {} }).concat({
            name: `${op.method} ${op.path}: an object body`,
            method: op.method,
            url: urlFor(op),
            payload: { campo: 'valore' },
            headers: headersFor(op),
          })
        : [],
    );
    expect(pairs.length).toBeGreaterThan(40);
    const owner = new Map(pairs.map(([op, c]) => [c, op]));
    const failures = await run(
      pairs.map(([, c]) => c),
      (c) => owner.get(c) as Operation,
      (_c, res) => refused(res),
    );
    expect(failures).toEqual([]);
  });
});
