import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.js';
import type { Database } from './database.js';
import { withReference, withTenant } from './scope.js';
import { seedDemo } from './seed.js';

let database: Database;
let ids: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db);
  const rows = await database.db.selectFrom('ambiti').select(['id', 'code']).execute();
  ids = Object.fromEntries(rows.map((r) => [r.code, r.id]));
});
afterAll(() => database?.close());

describe('row-level security', () => {
  it('shows one Ambito only its own rows, even without a WHERE clause', async () => {
    const monza = ids.monza as string;
    const rows = await withTenant(database.db, { ambitoId: monza }, (trx) =>
      sql<{ ambito_id: string; istat_code: string }>`select * from ambito_comuni`.execute(trx),
    );
    expect(rows.rows.map((r) => r.istat_code).sort()).toEqual(['108012', '108033', '108049']);
    expect(new Set(rows.rows.map((r) => r.ambito_id))).toEqual(new Set([monza]));
  });

  it('shows nothing outside a tenant session', async () => {
    const rows = await withReference(database.db, (trx) =>
      sql`select count(*)::int as n from ambito_comuni`.execute(trx),
    );
    expect(rows.rows).toEqual([{ n: 0 }]);
  });

  it('refuses to write rows of another Ambito from inside a tenant session', async () => {
    const attempt = withTenant(database.db, { ambitoId: ids.monza as string }, (trx) =>
      sql`insert into ambito_comuni (ambito_id, istat_code, valid_from) values (${ids.azzate}, '015146', '2030-01-01')`.execute(
        trx,
      ),
    );
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
    // The policy's WITH CHECK also refuses to hand an own row over to another tenant.
    const moved = withTenant(database.db, { ambitoId: ids.monza as string }, (trx) =>
      sql`update ambito_comuni set ambito_id = ${ids.azzate} where istat_code = '108033'`.execute(trx),
    );
    await expect(moved).rejects.toMatchObject({ code: '42501' });
  });

  it('runs as a role that owns nothing and cannot switch the policies off', async () => {
    const who = await sql<{ current_user: string }>`select current_user`.execute(database.db);
    expect(who.rows[0]?.current_user).toBe('ambito_app');
    await expect(
      sql`alter table ambito_comuni disable row level security`.execute(database.db),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('lets the database refuse overlapping memberships across tenants', async () => {
    const attempt = withTenant(database.db, { ambitoId: ids.azzate as string }, (trx) =>
      sql`insert into ambito_comuni (ambito_id, istat_code, valid_from) values (${ids.azzate}, '108033', '2020-01-01')`.execute(
        trx,
      ),
    );
    await expect(attempt).rejects.toMatchObject({ code: '23P01' });
  });
});
