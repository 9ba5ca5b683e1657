import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  clientWith,
  createTestApp,
  createTestUser,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/helpers/app.js';
import { verifyAuditChain } from '../audit/audit.js';
import { THROTTLE } from './identity.service.js';

let t: TestApp;
let ipCounter = 10;
const freshClient = () => Object.assign(new Client(t.app), { ip: `10.0.0.${ipCounter++}` });

beforeAll(async () => {
  t = await createTestApp({ seed: true, sessionPolicy: { idleMs: 1500, absoluteMs: 3500 } });
});
afterAll(() => t?.close());

/** Reads as the owner: the platform-wide audit entries are not visible to the application role. */
async function auditRows(action: string) {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const rows = await sql<{
      action: string;
      outcome: string;
      actor_username: string | null;
      detail: Record<string, unknown>;
    }>`
      select action, outcome, actor_username, detail from audit_log where action = ${action} order by id`.execute(
      trx,
    );
    await sql`set role ambito_app`.execute(trx);
    return rows.rows;
  });
}

describe('login and the session', () => {
  it('gives anonymous clients a CSRF token with the 401, and logs in with a rotated session cookie', async () => {
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    const c = freshClient();
    const pre = await c.request({ url: '/api/v1/session' });
    expect(pre.statusCode).toBe(401);
    expect(pre.json().csrfToken).toMatch(/^[\w-]{20,}$/);
    c.csrf = pre.json().csrfToken;
    c.cookies.ambito_session = 'attacker-chosen-session-token';
    const res = await c.request({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((k) => k.name === 'ambito_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).not.toBe('attacker-chosen-session-token');
    expect(res.json()).toMatchObject({ user: { username: user.username }, roles: [{ role: 'cittadino' }] });
    expect(res.json().csrfToken).not.toBe(pre.json().csrfToken);
    c.csrf = res.json().csrfToken;
    const me = await c.request({ url: '/api/v1/session' });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('refuses state-changing requests without the right CSRF token', async () => {
    const c = await clientWith(t, [{ role: 'cittadino' }]);
    const none = await c.request({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { 'x-csrf-token': '' },
    });
    expect(none.statusCode).toBe(403);
    expect(none.json().errors[0].field).toBe('X-CSRF-Token');
    const wrong = await c.request({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await c.request({ url: '/api/v1/session' })).statusCode).toBe(200);
    const anonymousLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'a', password: 'b' },
    });
    expect(anonymousLogin.statusCode).toBe(403);
  });

  it('answers every failure with the same generic message and records failed logins', async () => {
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    const unknown = await freshClient().login('nessuno.esiste', 'qualsiasi-password-lunga');
    const wrong = await freshClient().login(user.username, 'password-sbagliata-lunga');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
    const failed = await auditRows('session.login');
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'failed', actor_username: 'nessuno.esiste' }),
      ]),
    );
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    for (let i = 0; i < THROTTLE.perAccount; i++)
      expect((await freshClient().login(user.username, 'password-sbagliata-lunga')).statusCode).toBe(401);
    const locked = await freshClient().login(user.username);
    expect(locked.statusCode).toBe(401);
    // The lock ends, as the passing of time would end it.
    await sql`update login_throttle set locked_until = now() - interval '1 second'
      where scope = 'account' and subject = ${user.username}`.execute(t.database.db);
    expect((await freshClient().login(user.username)).statusCode).toBe(200);
  });

  it('throttles an address that fails too often', async () => {
    const c = freshClient();
    for (let i = 0; i < THROTTLE.perIp; i++) await c.login(`ignoto${i}`, 'password-sbagliata-lunga');
    const res = await c.login('ignoto', 'password-sbagliata-lunga');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('ends idle sessions and sessions past their absolute lifetime', async () => {
    const idle = await clientWith(t, [{ role: 'cittadino' }]);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await idle.request({ url: '/api/v1/session' })).statusCode).toBe(401);

    const busy = await clientWith(t, [{ role: 'cittadino' }]);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 6000) {
      await new Promise((r) => setTimeout(r, 400));
      status = (await busy.request({ url: '/api/v1/session' })).statusCode;
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it('logs out here, or everywhere', async () => {
    const a = await clientWith(t, [{ role: 'cittadino' }]);
    const b = new Client(t.app);
    expect((await b.login(a.username)).statusCode).toBe(200);
    expect((await a.request({ method: 'DELETE', url: '/api/v1/session' })).statusCode).toBe(204);
    expect((await a.request({ url: '/api/v1/session' })).statusCode).toBe(401);
    expect((await b.request({ url: '/api/v1/session' })).statusCode).toBe(200);
    const c = new Client(t.app);
    await c.login(a.username);
    expect((await c.request({ method: 'DELETE', url: '/api/v1/session?everywhere=true' })).statusCode).toBe(
      204,
    );
    expect((await b.request({ url: '/api/v1/session' })).statusCode).toBe(401);
  });
});

describe('responses are private to their user', () => {
  it('answers interleaved requests of different users each with their own data, never cached', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => clientWith(t, [{ role: 'cittadino' }])));
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => users[i % users.length] as (typeof users)[number]).map(
        async (c) => ({
          expected: c.username,
          res: await c.request({ url: '/api/v1/session' }),
        }),
      ),
    );
    for (const { expected, res } of responses) {
      expect(res.json().user.username).toBe(expected);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('second factor (TOTP)', () => {
  it('is enrolled by staff, then required at login; codes are single-use; recovery codes work once', async () => {
    const staff = await clientWith(t, [{ role: 'admin' }]);
    const setup = await staff.request({
      method: 'POST',
      url: '/api/v1/session/totp',
      payload: { password: TEST_PASSWORD },
    });
    expect(setup.statusCode).toBe(200);
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(setup.json().secret),
      digits: 6,
      period: 30,
    });
    const code = totp.generate();
    const confirm = await staff.request({
      method: 'POST',
      url: '/api/v1/session/totp/confirm',
      payload: { code },
    });
    expect(confirm.statusCode).toBe(200);
    const recovery: string[] = confirm.json().recoveryCodes;
    expect(recovery).toHaveLength(10);

    const noCode = await new Client(t.app).login(staff.username);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().errors[0].field).toBe('totp');
    // The code just used to confirm cannot be replayed.
    expect((await new Client(t.app).login(staff.username, TEST_PASSWORD, code)).statusCode).toBe(401);
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await new Client(t.app).login(staff.username, TEST_PASSWORD, next)).statusCode).toBe(200);
    expect((await new Client(t.app).login(staff.username, TEST_PASSWORD, recovery[0])).statusCode).toBe(200);
    expect((await new Client(t.app).login(staff.username, TEST_PASSWORD, recovery[0])).statusCode).toBe(401);
  });

  it('is not offered to citizens', async () => {
    const citizen = await clientWith(t, [{ role: 'cittadino' }]);
    const res = await citizen.request({
      method: 'POST',
      url: '/api/v1/session/totp',
      payload: { password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the audit log', () => {
  it('is append-only for the application and its hash chain verifies', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.database.db)).rejects.toMatchObject({
      code: '42501',
    });
    await expect(sql`delete from audit_log`.execute(t.database.db)).rejects.toMatchObject({ code: '42501' });
    const check = await t.database.db.transaction().execute(async (trx) => {
      await sql`reset role`.execute(trx);
      const result = await verifyAuditChain(trx);
      await sql`set role ambito_app`.execute(trx);
      return result;
    });
    expect(check.firstBroken).toBeNull();
    expect(check.entries).toBeGreaterThan(10);
  });
});
