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
import { romeTime, THROTTLE } from './throttle.js';

let t: TestApp;
let ipCounter = 1;
/** A client of its own address: the account, not the address, is what these tests lock. */
const freshClient = () =>
  Object.assign(new Client(t.app), { ip: `10.1.${ipCounter >> 8}.${ipCounter++ % 256}` });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

/** Reads as the owner: the platform-wide audit entries are not visible to the application role. */
async function loginReasons(username: string): Promise<string[]> {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const rows = await sql<{ reason: string | null; outcome: string }>`
      select detail->>'reason' as reason, outcome from audit_log
      where action = 'session.login' and actor_username = ${username} order by id`.execute(trx);
    await sql`set role ambito_app`.execute(trx);
    return rows.rows.map((r) => r.reason ?? r.outcome);
  });
}

async function lockOf(username: string): Promise<Date | null> {
  const { rows } = await sql<{ locked_until: Date | string | null }>`
    select locked_until from login_throttle where scope = 'account' and subject = ${username}`.execute(
    t.database.db,
  );
  return rows[0]?.locked_until ? new Date(rows[0].locked_until) : null;
}

/** Ends the lock now, as the passing of time would. */
async function expireLock(username: string) {
  await sql`update login_throttle set locked_until = now() - interval '1 second'
    where scope = 'account' and subject = ${username}`.execute(t.database.db);
}

/** `n` wrong passwords at once, each from its own address, its CSRF token fetched first. */
async function burst(username: string, n: number, password = 'password-sbagliata-lunga') {
  const clients = await Promise.all(
    Array.from({ length: n }, async () => {
      const c = freshClient();
      c.csrf = (await c.request({ url: '/api/v1/session' })).json().csrfToken;
      return c;
    }),
  );
  return Promise.all(
    clients.map((c) =>
      c.request({ method: 'POST', url: '/api/v1/session', payload: { username, password } }),
    ),
  );
}

const LOCKED =
  /^Account temporaneamente bloccato .* dopo le (\d{2}\/\d{2}\/\d{4}) alle (\d{2}:\d{2}) \(ora italiana\)$/;

describe('account lockout under parallel guessing', () => {
  it('checks exactly the allowed number of passwords in two bursts of 25, then refuses the right one', async () => {
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    const first = await burst(user.username, 25);
    const second = await burst(user.username, 25);
    for (const res of [...first, ...second]) expect(res.statusCode).toBe(401);
    const reasons = await loginReasons(user.username);
    expect(reasons.filter((r) => r === 'bad_password')).toHaveLength(THROTTLE.perAccount);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(50 - THROTTLE.perAccount);

    const right = await freshClient().login(user.username);
    expect(right.statusCode).toBe(401);
    expect(right.json().detail).toMatch(LOCKED);
    const until = (await lockOf(user.username)) as Date;
    expect(right.json().detail).toContain(romeTime(until).replace(' ', ' alle '));
    expect(until.getTime() - Date.now()).toBeLessThanOrEqual(THROTTLE.lockMs);

    await expireLock(user.username);
    expect((await freshClient().login(user.username)).statusCode).toBe(200);
  }, 120_000);

  it('never extends a lock: wrong passwords during it leave its end where it was', async () => {
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    for (let i = 0; i <= THROTTLE.perAccount; i++)
      await freshClient().login(user.username, 'sbagliata-sbagliata');
    const until = await lockOf(user.username);
    expect(until).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    await burst(user.username, 10);
    for (let i = 0; i < 3; i++) await freshClient().login(user.username, 'sbagliata-sbagliata');
    expect((await lockOf(user.username))?.getTime()).toBe(until?.getTime());
  });

  it('answers an unknown username exactly like a real one, lock included', async () => {
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    const answers = async (username: string) => {
      const out: Array<{ status: number; detail: string }> = [];
      for (let i = 0; i <= THROTTLE.perAccount + 1; i++) {
        const res = await freshClient().login(username, 'sbagliata-sbagliata');
        out.push({
          status: res.statusCode,
          detail: res.json().detail.replace(LOCKED, 'bloccato fino a <ora>'),
        });
      }
      return out;
    };
    const real = await answers(user.username);
    const unknown = await answers('nessuno.mai.registrato');
    expect(unknown).toEqual(real);
    expect(real.at(-1)?.detail).toBe('bloccato fino a <ora>');
    expect(real[0]?.detail).toBe('Nome utente o password non corretti');
  });
});

describe('ways out of a lock', () => {
  it('opens a locked account to its right password with a valid second factor, and to nothing less', async () => {
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
    const confirm = await staff.request({
      method: 'POST',
      url: '/api/v1/session/totp/confirm',
      payload: { code: totp.generate() },
    });
    expect(confirm.statusCode).toBe(200);
    await burst(staff.username, THROTTLE.perAccount + 1);
    expect(await lockOf(staff.username)).not.toBeNull();

    // The right password alone does not even ask for the code: nothing tells it was right.
    const noCode = await freshClient().login(staff.username);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().detail).toMatch(LOCKED);
    const wrongCode = await freshClient().login(staff.username, TEST_PASSWORD, '000000');
    expect(wrongCode.json().detail).toMatch(LOCKED);
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const wrongPassword = await freshClient().login(staff.username, 'sbagliata-sbagliata', next);
    expect(wrongPassword.json().detail).toMatch(LOCKED);

    const opened = await freshClient().login(staff.username, TEST_PASSWORD, next);
    expect(opened.statusCode).toBe(200);
    expect(await lockOf(staff.username)).toBeNull();
    expect((await loginReasons(staff.username)).at(-1)).toBe('ok');
  });

  it('lets an administrator unlock an account, audited; nobody else may', async () => {
    const admin = await clientWith(t, [{ role: 'admin' }]);
    const citizen = await clientWith(t, [{ role: 'cittadino' }]);
    const user = await createTestUser(t, [{ role: 'cittadino' }]);
    await burst(user.username, THROTTLE.perAccount + 1);
    expect((await freshClient().login(user.username)).statusCode).toBe(401);

    const refused = await citizen.request({ method: 'POST', url: `/api/v1/users/${user.id}/unlock` });
    expect(refused.statusCode).toBe(403);
    const unknown = await admin.request({
      method: 'POST',
      url: '/api/v1/users/00000000-0000-4000-8000-000000000000/unlock',
    });
    expect(unknown.statusCode).toBe(404);
    const done = await admin.request({ method: 'POST', url: `/api/v1/users/${user.id}/unlock` });
    expect(done.statusCode).toBe(204);
    expect((await freshClient().login(user.username)).statusCode).toBe(200);

    const entries = await t.database.db.transaction().execute(async (trx) => {
      await sql`reset role`.execute(trx);
      const r = await sql<{ actor_username: string; detail: { wasLocked: boolean } }>`
        select actor_username, detail from audit_log where action = 'user.unlock' and resource_id = ${user.id}`.execute(
        trx,
      );
      await sql`set role ambito_app`.execute(trx);
      return r.rows;
    });
    expect(entries).toEqual([{ actor_username: admin.username, detail: { wasLocked: true } }]);
  });
});

describe('per-address throttling', () => {
  it('counts a burst from one address atomically too', async () => {
    const c = freshClient();
    c.csrf = (await c.request({ url: '/api/v1/session' })).json().csrfToken;
    const results = await Promise.all(
      Array.from({ length: 28 }, (_, i) =>
        c.request({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: `ignoto.burst${i}`, password: 'password-sbagliata-lunga' },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(THROTTLE.perIp);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(28 - THROTTLE.perIp);
    expect(results.find((r) => r.statusCode === 429)?.json().detail).toMatch(
      /^Troppi tentativi di accesso da questo indirizzo: riprovare dopo le \d{2}\/\d{2}\/\d{4} alle \d{2}:\d{2}/,
    );
  });
});
