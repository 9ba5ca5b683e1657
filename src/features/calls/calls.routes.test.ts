import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../../../test/helpers/calls.js';

let t: TestApp;
let sesto: string;
let office: Client;
let citizen: Client;
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
  citizen = await clientWith(t, [{ role: 'cittadino' }]);
  call = await createCall(office, sesto);
});
afterAll(() => t?.close());

const submit = (c: Client, callId: string, key: string, i: number, over = {}) =>
  c.request({
    method: 'POST',
    url: `/api/v1/calls/${callId}/applications`,
    headers: { 'idempotency-key': key },
    payload: { applicant: buildB2Applicant(i, over), attachments: b2Attachments() },
  });

describe('applying', () => {
  it('answers at once with a receipt: protocol, instant to the millisecond, hash', async () => {
    const res = await submit(citizen, call.id, 'chiave-0001', 1);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    expect(receipt.protocol).toMatch(/^B2-[a-z0-9]+\/000001$/);
    expect(receipt.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(receipt.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('returns the same receipt for a retry with the same key, and refuses a second live application', async () => {
    const first = await submit(citizen, call.id, 'chiave-0002', 2);
    const again = await submit(citizen, call.id, 'chiave-0002', 2);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const twice = await submit(citizen, call.id, 'chiave-0003', 2);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0].field).toBe('applicant.codiceFiscale');
    const reused = await submit(citizen, call.id, 'chiave-0002', 3);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().errors[0].field).toBe('Idempotency-Key');
  });

  it('refuses bad input naming every field, and a missing key', async () => {
    const bad = await submit(citizen, call.id, 'chiave-0004', 4, {
      codiceFiscale: 'RSSMRA50C15F704A',
      iban: 'IT00X0542811101000000123456',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['applicant.codiceFiscale', 'applicant.iban']),
    );
    const noKey = await citizen.request({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/applications`,
      payload: { applicant: buildB2Applicant(5), attachments: b2Attachments() },
    });
    expect(noKey.statusCode).toBe(400);
  });

  it('refuses before the opening instant and after the closing one', async () => {
    const soon = await createCall(office, sesto, {
      opensAt: new Date(Date.now() + 3_600_000),
      closesAt: new Date(Date.now() + 7_200_000),
    });
    const early = await submit(citizen, soon.id, 'chiave-0010', 10);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/apre il/);
    const closing = await createCall(office, sesto, {
      opensAt: new Date(Date.now() - 60_000),
      closesAt: new Date(Date.now() + 1_500),
    });
    expect((await submit(citizen, closing.id, 'chiave-0011', 11)).statusCode).toBe(201);
    await new Promise((r) => setTimeout(r, 1_600));
    const late = await submit(citizen, closing.id, 'chiave-0012', 12);
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(/è chiuso/);
  });

  it('lets the applicant download the receipt as PDF, and nobody else', async () => {
    const receipt = (await submit(citizen, call.id, 'chiave-0020', 20)).json();
    const pdf = await citizen.request({
      url: `/api/v1/calls/${call.id}/applications/${receipt.applicationId}/receipt.pdf`,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const stranger = await clientWith(t, [{ role: 'cittadino' }]);
    const denied = await stranger.request({
      url: `/api/v1/calls/${call.id}/applications/${receipt.applicationId}/receipt`,
    });
    expect(denied.statusCode).toBe(404);
  });
});

describe('the protocol register', () => {
  it('verifies, and names the first altered entry', async () => {
    const ok = (await office.request({ url: `/api/v1/ambiti/${sesto}/protocol-register/verify` })).json();
    expect(ok.firstBroken).toBeNull();
    expect(ok.entries).toBeGreaterThanOrEqual(4);
    await t.database.db.transaction().execute(async (trx) => {
      await sql`reset role`.execute(trx);
      await sql`alter table protocol_register disable trigger protocol_register_immutable`.execute(trx);
      await sql`update protocol_register set data_hash = repeat('0', 64) where seq = 2 and ambito_id = ${sesto}`.execute(
        trx,
      );
      await sql`alter table protocol_register enable trigger protocol_register_immutable`.execute(trx);
      await sql`set role ambito_app`.execute(trx);
    });
    const broken = (await office.request({ url: `/api/v1/ambiti/${sesto}/protocol-register/verify` })).json();
    expect(broken.firstBroken).toMatchObject({ seq: 2, reason: 'contenuto della voce alterato' });
  });
});
