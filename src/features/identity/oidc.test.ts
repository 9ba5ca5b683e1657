import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawBuilder, sql } from 'kysely';
// @ts-expect-error oidc-provider 9 ships no type declarations and @types/oidc-provider is not a dependency.
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestUser, type TestApp } from '../../../test/helpers/app.js';
import { isLocalPath, type OidcOptions, openFlow, sealFlow } from './oidc.js';

/** The accounts of the test provider; the dev login form takes the account id (here the sub) as the login name. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  mario: {
    sub: 'TINIT-RSSMRA80A01F205X',
    name: 'Mario Rossi',
    preferred_username: 'Mario.Rossi',
    email: 'mario.rossi@example.it',
    email_verified: true,
  },
  staff: {
    sub: 'TINIT-BNCLRA75B41F205Y',
    name: 'Laura Bianchi',
    email: 'laura.bianchi@comune.example.it',
    email_verified: true,
  },
};

let t: TestApp;
let server: http.Server;
let issuer: string;
let appOrigin: string;
const oidc: OidcOptions = {
  issuer: '',
  clientId: 'ambito',
  clientSecret: 'segreto-di-prova-del-client',
  redirectUri: 'http://127.0.0.1/pending',
};

beforeAll(async () => {
  // Both ports are ephemeral: the provider's is known before the app is built, the app's only
  // after it listens, so the redirect URI is filled in (the app reads it when a login starts).
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  oidc.issuer = issuer;
  t = await createTestApp({ oidc });
  appOrigin = await t.app.listen({ port: 0, host: '127.0.0.1' });
  oidc.redirectUri = `${appOrigin}/api/v1/auth/oidc/callback`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: oidc.clientId,
        client_secret: oidc.clientSecret,
        redirect_uris: [oidc.redirectUri],
        post_logout_redirect_uris: [`${appOrigin}/`],
      },
    ],
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    cookies: { keys: ['chiave-dei-cookie-del-fornitore-di-prova'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600 },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // The dev interactions (login and consent forms) are driven below with fetch.
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = Object.values(ACCOUNTS).find((a) => a.sub === sub);
      return account ? { accountId: sub, claims: async () => account } : undefined;
    },
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => console.error('oidc-provider', error));
  server.on('request', provider.callback());
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await t?.close();
});

/** A browser's cookies, kept per host:port (enough here: every cookie is host-only). */
class Jar {
  private byHost = new Map<string, Map<string, string>>();

  header(url: string): string {
    return [...(this.byHost.get(new URL(url).host) ?? new Map()).entries()]
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }

  store(url: string, res: Response): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    this.byHost.set(host, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      // Both servers clear a cookie with an empty value or Max-Age=0.
      const expired = /;\s*max-age=0\b/i.test(line);
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.header(url) },
    });
    this.store(url, res);
    return res;
  }
}

/**
 * Follows a login as a browser would, filling the provider's forms as `account`, until the
 * browser is sent back into the application; `tamper` may rewrite the provider's redirect.
 */
async function browseLogin(
  jar: Jar,
  account: string,
  opts: { start?: string; tamper?: (callback: URL) => void } = {},
): Promise<URL> {
  let url = `${appOrigin}${opts.start ?? '/api/v1/auth/oidc/login'}`;
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await jar.fetch(url, form ? { method: 'POST', body: form } : {});
    form = undefined;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin === appOrigin && !next.pathname.startsWith('/api/v1/auth/oidc/')) return next;
      if (next.pathname === '/api/v1/auth/oidc/callback') opts.tamper?.(next);
      url = next.href;
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (res.status !== 200 || !prompt)
      throw new Error(`unexpected ${res.status} at ${url}: ${html.slice(0, 300)}`);
    form = new URLSearchParams(
      prompt === 'login'
        ? { prompt, login: String(ACCOUNTS[account]?.sub), password: 'qualsiasi' }
        : { prompt },
    );
  }
  throw new Error('too many redirects');
}

async function session(jar: Jar) {
  const res = await jar.fetch(`${appOrigin}/api/v1/session`);
  return {
    status: res.status,
    body: (await res.json()) as {
      user?: { id: string; username: string; displayName: string };
      roles?: { role: string }[];
      csrfToken: string;
    },
  };
}

/** Reads as the owner: login entries are platform-wide, not visible to the application role. */
async function ownerQuery<R>(query: RawBuilder<R>): Promise<R[]> {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const { rows } = await query.execute(trx);
    await sql`set role ambito_app`.execute(trx);
    return rows;
  });
}

describe('OpenID Connect login', () => {
  const browser = new Jar();
  let userId: string;

  it('tells the login page that the external login is available', async () => {
    const res = await browser.fetch(`${appOrigin}/api/v1/auth/oidc`);
    expect(await res.json()).toEqual({ enabled: true, label: 'SPID / CIE' });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce kept in a Lax, httpOnly cookie', async () => {
    const res = await new Jar().fetch(`${appOrigin}/api/v1/auth/oidc/login`);
    expect(res.status).toBe(302);
    const auth = new URL(res.headers.get('location') ?? '');
    expect(auth.origin).toBe(issuer);
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(auth.searchParams.get(p)).toMatch(/^[\w-]{22,}$/);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ambito_oidc='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/oidc/);
  });

  it('provisions a cittadino linked to (issuer, sub) on the first login, and returns to the page asked for', async () => {
    const landed = await browseLogin(browser, 'mario', {
      start: '/api/v1/auth/oidc/login?returnTo=%2Fservizi%3Fa%3D1',
    });
    expect(landed.pathname + landed.search).toBe('/servizi?a=1');
    const s = await session(browser);
    expect(s.status).toBe(200);
    expect(s.body.user).toMatchObject({ username: 'mario.rossi', displayName: 'Mario Rossi' });
    expect(s.body.roles?.map((r) => r.role)).toEqual(['cittadino']);
    userId = s.body.user?.id as string;
    const links = await t.database.db
      .selectFrom('user_identities')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    expect(links).toEqual([expect.objectContaining({ issuer, subject: ACCOUNTS.mario?.sub })]);
  });

  it('reuses the linked user on the next login', async () => {
    const again = new Jar();
    await browseLogin(again, 'mario');
    expect((await session(again)).body.user?.id).toBe(userId);
    const users = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('username', 'like', 'mario.rossi%')
      .execute();
    expect(users).toHaveLength(1);
  });

  it('refuses a tampered state, back on the login page or as problem+json', async () => {
    const jar = new Jar();
    const landed = await browseLogin(jar, 'mario', {
      tamper: (u) => u.searchParams.set('state', 'falsificato'),
    });
    expect(landed.pathname + landed.search).toBe('/accesso?errore=stato_non_valido');
    expect((await session(jar)).status).toBe(401);
    const json = await jar.fetch(`${appOrigin}/api/v1/auth/oidc/callback?code=x&state=y`, {
      headers: { accept: 'application/json' },
    });
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a return address outside the site', async () => {
    const res = await browser.fetch(
      `${appOrigin}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent('//evil.example/x')}`,
    );
    expect(res.status).toBe(400);
  });

  it('does not link an identity to a staff account with the same e-mail', async () => {
    const staff = await createTestUser(t, [{ role: 'admin' }]);
    await t.database.db
      .updateTable('users')
      .set({ email: ACCOUNTS.staff?.email as string })
      .where('id', '=', staff.id)
      .execute();
    const landed = await browseLogin(new Jar(), 'staff');
    expect(landed.pathname + landed.search).toBe('/accesso?errore=account_personale');
    const links = await t.database.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('subject', '=', ACCOUNTS.staff?.sub as string)
      .execute();
    expect(links).toHaveLength(0);
  });

  it('gives the provider logout URL for an OIDC session, and DELETE ends the local session', async () => {
    const s = await session(browser);
    const res = await browser.fetch(`${appOrigin}/api/v1/auth/oidc/logout-url`);
    const { url } = (await res.json()) as { url: string };
    expect(new URL(url).origin).toBe(issuer);
    expect(new URL(url).searchParams.get('post_logout_redirect_uri')).toBe(`${appOrigin}/`);
    expect((await browser.fetch(url)).status).toBe(200); // the provider's own logout confirmation
    const out = await browser.fetch(`${appOrigin}/api/v1/session`, {
      method: 'DELETE',
      headers: { 'x-csrf-token': s.body.csrfToken },
    });
    expect(out.status).toBe(204);
    expect((await session(browser)).status).toBe(401);
  });

  it('records the logins in the audit log with the method and the issuer', async () => {
    const rows = await ownerQuery(sql<{ outcome: string; detail: Record<string, unknown> }>`
      select outcome, detail from audit_log where action = 'session.login' and detail->>'method' = 'oidc' order by id`);
    expect(rows.filter((r) => r.outcome === 'ok')).toHaveLength(2);
    expect(rows[0]?.detail).toMatchObject({ method: 'oidc', issuer });
    expect(rows.map((r) => r.detail.reason).filter(Boolean)).toEqual([
      'stato_non_valido',
      'stato_non_valido',
      'account_personale',
    ]);
  });
});

describe('flow cookie and return addresses', () => {
  it('refuses a forged or expired flow cookie', () => {
    const flow = { state: 's', nonce: 'n', verifier: 'v', exp: Date.now() + 60_000 };
    const sealed = sealFlow('chiave', flow);
    expect(openFlow('chiave', sealed)).toEqual(flow);
    expect(openFlow('altra-chiave', sealed)).toBeNull();
    expect(openFlow('chiave', sealFlow('chiave', { ...flow, exp: Date.now() - 1 }))).toBeNull();
    const forged = Buffer.from(JSON.stringify({ ...flow, returnTo: '/x' })).toString('base64url');
    expect(openFlow('chiave', `${forged}.${sealed.split('.')[1]}`)).toBeNull();
  });

  it('accepts as return address only paths of this site', () => {
    expect(['/', '/servizi?a=1#b'].every(isLocalPath)).toBe(true);
    const foreign = [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/a\nb',
      '',
    ];
    expect(foreign.filter(isLocalPath)).toEqual([]);
  });
});

describe('without OIDC_ISSUER', () => {
  it('keeps the routes, answering 404 problem+json', async () => {
    const off = await createTestApp();
    try {
      expect((await off.app.inject({ url: '/api/v1/auth/oidc' })).json()).toEqual({
        enabled: false,
        label: 'SPID / CIE',
      });
      for (const url of [
        '/api/v1/auth/oidc/login',
        '/api/v1/auth/oidc/callback',
        '/api/v1/auth/oidc/logout-url',
      ]) {
        const res = await off.app.inject({ url });
        expect(res.statusCode).toBe(404);
        expect(res.json().detail).toBe('accesso esterno non configurato');
      }
    } finally {
      await off.close();
    }
  });
});
