import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { type AppDeps, buildApp } from '../../app.js';
import { loadConfig, parseTrustProxy } from '../../config.js';
import type { Database } from '../../db/database.js';
import { systemActor } from '../../http/auth.js';
import { THROTTLE } from './throttle.js';
import { createUser } from './users.service.js';

const PASSWORD = 'prova-sicura-della-suite-2026';
let database: Database;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await createUser(database.db, systemActor('test'), {
    username: 'dietro.proxy',
    displayName: 'Dietro il proxy',
    password: PASSWORD,
    roles: [{ role: 'cittadino' }],
  });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await database?.close();
});

async function appWith(deps: Partial<AppDeps>): Promise<FastifyInstance> {
  const app = await buildApp({ db: database.db, rateLimitPerMinute: 100_000, ...deps });
  await app.ready();
  apps.push(app);
  return app;
}

/** A login as a browser behind the proxy would make it: the proxy at 127.0.0.1 forwards for `client`. */
async function loginVia(
  app: FastifyInstance,
  client: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) {
  const forwarded = { 'x-forwarded-for': client, ...headers };
  const pre = await app.inject({ url: '/api/v1/session', remoteAddress: '127.0.0.1', headers: forwarded });
  const csrf = pre.cookies.find((c) => c.name === 'ambito_csrf')?.value as string;
  return app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: '127.0.0.1',
    headers: { ...forwarded, cookie: `ambito_csrf=${csrf}`, 'x-csrf-token': pre.json().csrfToken },
    payload: { username, password },
  });
}

describe('TRUST_PROXY', () => {
  it('parses off, on, a hop count and addresses or CIDRs; refuses anything else naming the value', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('TRUE')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['0', 'proxy.local', '10.0.0.0/33', '10.0.0.1/8/1', '127.0.0.1,', 'yes'])
      expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '300.1.1.1' })).toThrow(
      /Configurazione non valida: TRUST_PROXY: "300.1.1.1"/,
    );
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
  });

  it('listens on this machine only unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

describe('behind a reverse proxy', () => {
  it('throttles each client behind a trusted proxy by its own address, not the proxy’s', async () => {
    const app = await appWith({ trustProxy: ['127.0.0.1'] });
    for (let i = 0; i < THROTTLE.perIp; i++)
      expect((await loginVia(app, '203.0.113.7', `ignoto.proxy${i}`, 'sbagliata-sbagliata')).statusCode).toBe(
        401,
      );
    expect((await loginVia(app, '203.0.113.7', 'ignoto.altro', 'sbagliata-sbagliata')).statusCode).toBe(429);
    // Another citizen behind the same proxy is not locked out by the first one's failures.
    expect((await loginVia(app, '198.51.100.20', 'dietro.proxy', PASSWORD)).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const app = await appWith({ trustProxy: ['10.9.9.9'] });
    const res = await app.inject({
      url: '/api/v1/session',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.99', 'x-forwarded-proto': 'https' },
    });
    const cookie = res.cookies.find((c) => c.name === 'ambito_csrf');
    expect(cookie?.secure).toBeFalsy();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('makes the session cookie Secure and sends HSTS when the proxy says the client used HTTPS', async () => {
    const trusted = await appWith({ trustProxy: ['127.0.0.1'] });
    const tls = await loginVia(trusted, '198.51.100.21', 'dietro.proxy', PASSWORD, {
      'x-forwarded-proto': 'https',
    });
    expect(tls.statusCode).toBe(200);
    expect(tls.cookies.find((c) => c.name === 'ambito_session')?.secure).toBe(true);
    expect(tls.headers['strict-transport-security']).toMatch(/^max-age=\d+/);

    const plain = await loginVia(trusted, '198.51.100.22', 'dietro.proxy', PASSWORD);
    expect(plain.cookies.find((c) => c.name === 'ambito_session')?.secure).toBeFalsy();
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('always makes the session cookie Secure in production', async () => {
    const app = await appWith({ production: true });
    const res = await loginVia(app, '198.51.100.23', 'dietro.proxy', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'ambito_session')?.secure).toBe(true);
  });
});
