import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type AppDeps, buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { seedDemo } from '../../src/db/seed.js';
import type { GrantBody } from '../../src/features/identity/identity.schemas.js';
import { createUser } from '../../src/features/identity/users.service.js';
import { type SessionPolicy, systemActor } from '../../src/http/auth.js';
import { createTestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The whole application on its own fresh database; `seed` loads the demo data. */
export async function createTestApp(
  opts: { seed?: boolean; sessionPolicy?: SessionPolicy; oidc?: AppDeps['oidc'] } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  if (opts.seed) await seedDemo(database.db, { users: false });
  const app = await buildApp({
    db: database.db,
    rateLimitPerMinute: 100_000,
    sessionPolicy: opts.sessionPolicy,
    oidc: opts.oidc,
  });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const TEST_PASSWORD = 'prova-sicura-della-suite-2026';

let counter = 0;
/** A user with the given role assignments, created as the platform would (password policy included). */
export async function createTestUser(
  t: TestApp,
  roles: GrantBody[],
  username = `utente${++counter}.${Date.now() % 100000}`,
) {
  const { id } = await createUser(t.database.db, systemActor('test'), {
    username,
    displayName: `Utente ${username}`,
    password: TEST_PASSWORD,
    roles,
  });
  return { id, username };
}

export function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

/** A client with a cookie jar: what a browser or a script does with the session API. */
export class Client {
  cookies: Record<string, string> = {};
  csrf = '';
  /** The client's address as the server sees it (throttling is per address). */
  ip = '127.0.0.1';

  constructor(readonly app: FastifyInstance) {}

  get headers(): Record<string, string> {
    const cookie = Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    return { ...(cookie ? { cookie } : {}), ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}) };
  }

  async request(opts: {
    method?: string;
    url: string;
    payload?: unknown;
    headers?: Record<string, string> | undefined;
  }) {
    const res = await this.app.inject({
      method: (opts.method ?? 'GET') as 'GET',
      url: opts.url,
      payload: opts.payload as never,
      headers: { ...this.headers, ...opts.headers },
      remoteAddress: this.ip,
    });
    for (const c of res.cookies) {
      if (
        c.value === '' ||
        (c.maxAge !== undefined && c.maxAge <= 0) ||
        (c.expires && c.expires.getTime() < Date.now())
      )
        delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
    return res;
  }

  /** Fetches the CSRF token as any client must, then logs in. */
  async login(username: string, password = TEST_PASSWORD, totp?: string) {
    const pre = await this.request({ url: '/api/v1/session' });
    this.csrf = pre.json().csrfToken;
    const res = await this.request({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password, ...(totp ? { totp } : {}) },
    });
    if (res.statusCode === 200) this.csrf = res.json().csrfToken;
    return res;
  }
}

/** A logged-in client for a new user with these roles. */
export async function clientWith(
  t: TestApp,
  roles: GrantBody[],
): Promise<Client & { userId: string; username: string }> {
  const user = await createTestUser(t, roles);
  const client = new Client(t.app);
  const res = await client.login(user.username);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return Object.assign(client, { userId: user.id, username: user.username });
}
