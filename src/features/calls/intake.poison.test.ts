import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../../../test/helpers/calls.js';

/**
 * Issue 16, finding 1: a few poisoned submissions sent together with legitimate ones must not
 * sink the click-day batch they share. The poisoned ones are refused with a 400 naming the field;
 * every legitimate one is acknowledged, numbered without gaps in acceptance order.
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
  citizens = await Promise.all(Array.from({ length: 6 }, () => clientWith(t, [{ role: 'cittadino' }])));
  call = await createCall(office, sesto);
});
afterAll(() => t?.close());

describe('a click-day burst with poisoned submissions', () => {
  it('acknowledges every legitimate application and refuses only the poisoned ones, naming the field', async () => {
    const send = (i: number, payload: unknown, callId = call.id) =>
      (citizens[i % citizens.length] as Client).request({
        method: 'POST',
        url: `/api/v1/calls/${callId}/applications`,
        headers: { 'idempotency-key': `poison-${i}-key` },
        payload,
      });
    const poisoned = new Map<number, string>([
      [7, 'body.applicant.address'],
      [19, 'body.applicant.fields.caregiver'],
      [33, 'body.attachments.0.filename'],
      [48, 'body.applicant.lastName'],
    ]);
    const sends = [];
    for (let i = 0; i < 60; i++) {
      const applicant = buildB2Applicant(3000 + i);
      const attachments = b2Attachments();
      if (i === 7) applicant.address = 'via Roma 1\u0000; drop';
      if (i === 19) applicant.fields = { ...applicant.fields, caregiver: 'Anna \uD800 Rossi' };
      if (i === 33) (attachments[0] as { filename: string }).filename = 'verbale\u0000.pdf';
      if (i === 48) applicant.lastName = `${applicant.lastName}\uDC00`;
      // Upper-case call ids are the same call: normalised, not a second numbering sequence.
      sends.push(send(i, { applicant, attachments }, i % 5 === 0 ? call.id.toUpperCase() : call.id));
    }
    const results = await Promise.all(sends);

    for (const [i, field] of poisoned) {
      const res = results[i];
      expect(res?.statusCode, res?.body).toBe(400);
      const problem = res?.json();
      expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(JSON.stringify(problem)).toContain('caratteri di controllo o non validi');
    }
    const accepted = results.filter((_, i) => !poisoned.has(i));
    for (const res of accepted) expect(res.statusCode, res.body).toBe(201);
    const receipts = accepted.map((r) => r.json());
    expect(receipts.every((r) => r.callId === call.id)).toBe(true);

    const stored = await t.database.db.transaction().execute(async (trx) => {
      await sql`select set_config('app.ambito_id', ${sesto}, true)`.execute(trx);
      return trx
        .selectFrom('applications')
        .select(['protocol', 'seq', 'received_at'])
        .where('call_id', '=', call.id)
        .orderBy('seq')
        .execute();
    });
    // Numbers 1..56 without gaps, and in the order the server accepted the applications.
    expect(stored.map((s) => s.seq)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    for (let i = 1; i < stored.length; i++)
      expect(stored[i]?.received_at.getTime()).toBeGreaterThanOrEqual(
        stored[i - 1]?.received_at.getTime() ?? 0,
      );
    expect(new Set(receipts.map((r) => r.protocol))).toEqual(new Set(stored.map((s) => s.protocol)));
    const register = (
      await office.request({ url: `/api/v1/ambiti/${sesto}/protocol-register/verify` })
    ).json();
    expect(register.firstBroken).toBeNull();
  });
});
