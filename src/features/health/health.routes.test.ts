import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('health and API description', () => {
  it.each(['/health', '/status'])('%s answers 200 when the database is up and migrated', async (url) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'up', migrations: { pending: [] } });
  });

  it('describes the API as OpenAPI 3.1 with every public route', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/ambiti',
        '/api/v1/ambiti/{id}',
        '/api/v1/comuni',
        '/health',
        '/status',
      ]),
    );
    const docs = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('answers unknown API paths with problem+json', async () => {
    const res = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 503 when a migration is missing', async () => {
    // Simulate a database behind the code: as the owner, forget the last applied migration.
    await t.database.db.transaction().execute(async (trx) => {
      await sql`reset role`.execute(trx);
      await sql`delete from schema_migrations where version = (select max(version) from schema_migrations)`.execute(
        trx,
      );
      await sql`set role ambito_app`.execute(trx);
    });
    const res = await t.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().migrations.pending.length).toBe(1);
  });
});
