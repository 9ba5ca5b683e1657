import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../../../test/helpers/calls.js';
import { isOpen } from './calls.service.js';

/**
 * Many submissions at once, with retries and double clicks mixed in. On PostgreSQL
 * (DATABASE_URL) the requests really run in parallel; the assertions are the same on PGlite.
 */
let t: TestApp;
let sesto: string;
let office: Client;
let citizens: Client[];
let call: { id: string };

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  sesto = (
    await t.database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'sesto-san-giovanni')
      .executeTakeFirstOrThrow()
  ).id;
  office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  citizens = await Promise.all(Array.from({ length: 8 }, () => clientWith(t, [{ role: 'cittadino' }])));
  call = await createCall(office, sesto);
});
afterAll(() => t?.close());

describe('concurrent submissions', () => {
  it('lose nothing and duplicate nothing: 120 applicants, each sent twice with one key, some twice with two keys', async () => {
    const sends = [];
    for (let i = 0; i < 120; i++) {
      const client = citizens[i % citizens.length] as Client;
      const send = (key: string) =>
        client.request({
          method: 'POST',
          url: `/api/v1/calls/${call.id}/applications`,
          headers: { 'idempotency-key': key },
          payload: { applicant: buildB2Applicant(1000 + i), attachments: b2Attachments() },
        });
      // A double click (same key) for everyone, and for every tenth a second form (another key).
      sends.push(send(`conc-${i}-a`), send(`conc-${i}-a`));
      if (i % 10 === 0) sends.push(send(`conc-${i}-b`));
    }
    const results = await Promise.all(sends);
    const accepted = results.filter((r) => r.statusCode === 201).map((r) => r.json());
    const refused = results.filter((r) => r.statusCode !== 201);
    // Same key, same receipt; a second key for a live application is refused as a duplicate person.
    expect(
      refused.every((r) => r.statusCode === 409 && r.json().errors[0].field === 'applicant.codiceFiscale'),
    ).toBe(true);
    expect(new Set(accepted.map((r) => r.protocol)).size).toBe(120);
    const stored = await t.database.db.transaction().execute(async (trx) => {
      const { sql } = await import('kysely');
      await sql`select set_config('app.ambito_id', ${sesto}, true)`.execute(trx);
      return trx
        .selectFrom('applications')
        .select(['protocol', 'receipt_hash', 'seq'])
        .where('call_id', '=', call.id)
        .execute();
    });
    expect(stored).toHaveLength(120);
    const byProtocol = new Map(stored.map((s) => [s.protocol, s.receipt_hash]));
    for (const receipt of accepted) expect(byProtocol.get(receipt.protocol)).toBe(receipt.hash);
    // Numbers run 1..120 without gaps, in the order the server accepted the applications.
    expect(stored.map((s) => s.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
    const order = [...accepted].sort((a, b) => a.protocol.localeCompare(b.protocol));
    for (let i = 1; i < order.length; i++)
      expect(order[i].receivedAt >= (order[i - 1] as { receivedAt: string }).receivedAt).toBe(true);
    const register = (
      await office.request({ url: `/api/v1/ambiti/${sesto}/protocol-register/verify` })
    ).json();
    expect(register.firstBroken).toBeNull();
  });
});

describe('the window', () => {
  const call = {
    status: 'published',
    opens_at: new Date('2026-12-01T08:00:00.000Z'),
    closes_at: new Date('2026-12-31T11:00:00.000Z'),
  };
  it('opens at the opening instant and closes at the closing one, to the millisecond', () => {
    expect(isOpen(call, new Date('2026-12-01T07:59:59.999Z'))).toBe(false);
    expect(isOpen(call, new Date('2026-12-01T08:00:00.000Z'))).toBe(true);
    expect(isOpen(call, new Date('2026-12-31T10:59:59.999Z'))).toBe(true);
    expect(isOpen(call, new Date('2026-12-31T11:00:00.000Z'))).toBe(false);
    expect(isOpen({ ...call, status: 'draft' }, new Date('2026-12-10T00:00:00.000Z'))).toBe(false);
  });
});
