import { type Kysely, sql } from 'kysely';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/database.js';
import { withTenant } from '../src/db/scope.js';
import { seedDemo } from '../src/db/seed.js';
import type { DB } from '../src/db/types.js';
import { audit } from '../src/features/audit/audit.js';
import { hashPassword, verifyPassword } from '../src/features/identity/password.js';
import { createUser } from '../src/features/identity/users.service.js';
import { systemActor } from '../src/http/auth.js';
import { onBothEngines, report, round, time } from './lib.js';

const PASSWORD = 'cavallo-batteria-graffetta-bench';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function latencies(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

async function measure(database: Database) {
  await seedDemo(database.db, { users: false });
  const ambito = await database.db
    .selectFrom('ambiti')
    .select('id')
    .where('code', '=', 'azzate')
    .executeTakeFirstOrThrow();
  const actor = systemActor('bench');

  // The read every tenant route does, three ways: bare (the owner's session would be needed to
  // see rows without the tenant setting, so the bare read filters explicitly), in the tenant
  // session, and in the tenant session with an audit row.
  const read = (db: Kysely<DB>) =>
    db.selectFrom('ambito_comuni').selectAll().where('ambito_id', '=', ambito.id).execute();
  const bare = await latencies(300, () =>
    sql`select * from ambito_comuni where ambito_id = ${ambito.id}`.execute(database.db),
  );
  const tenant = await latencies(300, () =>
    withTenant(database.db, { ambitoId: ambito.id }, (trx) => read(trx)),
  );
  const audited = await latencies(300, () =>
    withTenant(database.db, { ambitoId: ambito.id }, async (trx) => {
      const rows = await read(trx);
      await audit(trx, actor, {
        action: 'bench.read',
        resourceType: 'ambito',
        resourceId: ambito.id,
        ambitoId: ambito.id,
      });
      return rows;
    }),
  );

  // Login throughput through HTTP, against argon2id verification alone as the baseline.
  await createUser(database.db, actor, {
    username: 'bench.user',
    displayName: 'Bench',
    password: PASSWORD,
    roles: [{ role: 'cittadino' }],
  });
  const app = await buildApp({ db: database.db, rateLimitPerMinute: 1_000_000 });
  const pre = await app.inject({ url: '/api/v1/session', remoteAddress: '10.9.9.9' });
  const csrfCookie = pre.cookies.find((c) => c.name === 'ambito_csrf')?.value;
  const csrf = pre.json().csrfToken;
  // Below the per-address login rate limit (30 a minute), which is part of what is measured.
  const logins = 25;
  const httpLogin = await time(async () => {
    for (let i = 0; i < logins; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: '10.9.9.9',
        headers: { cookie: `ambito_csrf=${csrfCookie}`, 'x-csrf-token': csrf },
        payload: { username: 'bench.user', password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${res.statusCode}`);
    }
  });
  await app.close();
  const hash = await hashPassword(PASSWORD);
  const verify = await time(async () => {
    for (let i = 0; i < logins; i++) await verifyPassword(hash, PASSWORD);
  });

  const p50 = (v: number[]) => round(percentile(v, 50), 3);
  return {
    readP50Ms: { bare: p50(bare), tenantSession: p50(tenant), tenantSessionAndAudit: p50(audited) },
    ratioTenantToBare: round(percentile(tenant, 50) / percentile(bare, 50)),
    ratioTenantAuditToBare: round(percentile(audited, 50) / percentile(bare, 50)),
    loginsPerSecond: round((logins / httpLogin.ms) * 1000, 1),
    argon2VerifyPerSecond: round((logins / verify.ms) * 1000, 1),
    ratioLoginToArgon2: round(httpLogin.ms / verify.ms),
  };
}

export async function benchAuth(): Promise<void> {
  report('auth', await onBothEngines('auth', measure));
}
