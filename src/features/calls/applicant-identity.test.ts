import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../../../test/helpers/calls.js';
import { systemActor } from '../../http/auth.js';
import { codiceFiscaleClaim } from '../identity/oidc.js';
import { createUser } from '../identity/users.service.js';

/**
 * Issue 16, finding 2: who applies for whom. A citizen with a codice fiscale on their account
 * applies for themself unless they declare a capacity; the duplicate check never names another
 * person's protocol; an application filed in someone's name is theirs to see, withdraw or contest.
 */
let t: TestApp;
let sesto: string;
let office: Client;
let call: { id: string };

// The i-th applicant of the helpers is another person for every i: their codici fiscali.
const BOB = 7001;
const MALLORY = 7002;
const CAROL = 7003;
const DAVE = 7004;
const cfOf = (i: number) => buildB2Applicant(i).codiceFiscale;

let seq = 0;
async function citizenWithCf(i: number): Promise<Client & { userId: string }> {
  const username = `persona${i}.${++seq}`;
  const { id } = await createUser(t.database.db, systemActor('test'), {
    username,
    displayName: `Persona ${i}`,
    password: TEST_PASSWORD,
    roles: [{ role: 'cittadino' }],
    codiceFiscale: cfOf(i),
  });
  const client = new Client(t.app);
  const res = await client.login(username);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return Object.assign(client, { userId: id });
}

const submit = (c: Client, key: string, i: number, relationship?: string) =>
  c.request({
    method: 'POST',
    url: `/api/v1/calls/${call.id}/applications`,
    headers: { 'idempotency-key': key },
    payload: {
      ...(relationship ? { relationship } : {}),
      applicant: buildB2Applicant(i),
      attachments: b2Attachments(),
    },
  });
const mine = async (c: Client) => {
  const res = await c.request({ url: '/api/v1/me/applications' });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Array<Record<string, unknown>>).filter((a) => a.callId === call.id);
};

let bob: Client & { userId: string };
let mallory: Client & { userId: string };
let carol: Client & { userId: string };
let squat: { applicationId: string; protocol: string };

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
  call = await createCall(office, sesto);
  [bob, mallory, carol] = await Promise.all([
    citizenWithCf(BOB),
    citizenWithCf(MALLORY),
    citizenWithCf(CAROL),
  ]);
});
afterAll(() => t?.close());

describe('who applies for whom', () => {
  it('refuses an application for another codice fiscale without a declared capacity, naming the field', async () => {
    const res = await submit(mallory, 'squat-0001', BOB);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0].field).toBe('relationship');
    const own = await submit(mallory, 'squat-0002', MALLORY, 'familiare');
    expect(own.statusCode, own.body).toBe(400);
    expect(own.json().errors[0].field).toBe('relationship');
    const bad = await submit(mallory, 'squat-0003', BOB, 'cugino');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.relationship');
  });

  it('takes an application on someone’s behalf with the capacity declared', async () => {
    const res = await submit(mallory, 'squat-0004', BOB, 'familiare');
    expect(res.statusCode, res.body).toBe(201);
    squat = res.json();
  });

  it('never names the other application: the same refusal whoever holds it, “Le mie domande” to the person it is for', async () => {
    const forDave = await submit(mallory, 'squat-0005', DAVE, 'patronato');
    expect(forDave.statusCode, forDave.body).toBe(201);
    // Carol tries Bob (held by Mallory for Bob) and Dave (held by Mallory for Dave).
    const a = await submit(carol, 'carol-0001', BOB, 'tutore');
    const b = await submit(carol, 'carol-0002', DAVE, 'amministratore_sostegno');
    for (const res of [a, b]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().errors[0].field).toBe('applicant.codiceFiscale');
      // No protocol number (CODE/000001) in what the person reads (the instance URL holds a UUID).
      expect(`${res.json().detail} ${JSON.stringify(res.json().errors)}`).not.toMatch(/\/\d{6}/);
      expect(res.body).not.toContain(squat.protocol);
      expect(res.body).not.toContain('Le mie domande');
    }
    expect(a.json().detail).toBe(b.json().detail);
    // Bob, the person it is for, is pointed to where he can see it.
    const own = await submit(bob, 'bob-0001', BOB);
    expect(own.statusCode).toBe(409);
    expect(own.body).not.toContain(squat.protocol);
    expect(own.json().detail).toContain('Le mie domande');
    // And so is Mallory, who filed it.
    const again = await submit(mallory, 'squat-0006', BOB, 'familiare');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('Le mie domande');
  });

  it('shows the application to the person it was filed for, with the capacity of who filed it', async () => {
    const [forBob] = await mine(bob);
    expect(forBob).toMatchObject({
      applicationId: squat.applicationId,
      beneficiary: { name: `${buildB2Applicant(BOB).firstName} ${buildB2Applicant(BOB).lastName}` },
      relationship: 'familiare',
      filedByMe: false,
      forMe: true,
      contestedAt: null,
    });
    const filed = await mine(mallory);
    expect(filed.map((a) => a.relationship).sort()).toEqual(['familiare', 'patronato']);
    expect(filed.every((a) => a.filedByMe === true && a.forMe === false)).toBe(true);
    expect(await mine(carol)).toEqual([]);
    const receipt = await bob.request({
      url: `/api/v1/calls/${call.id}/applications/${squat.applicationId}/receipt`,
    });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.json().receipt.protocol).toBe(squat.protocol);
    const stranger = await carol.request({
      url: `/api/v1/calls/${call.id}/applications/${squat.applicationId}/receipt`,
    });
    expect(stranger.statusCode).toBe(404);
  });

  it('lets that person contest it to the office, once; the office sees the note in its review list', async () => {
    const url = `/api/v1/calls/${call.id}/applications/${squat.applicationId}/contest`;
    const note = 'Non ho mai chiesto a nessuno di presentare questa domanda per me.';
    expect((await mallory.request({ method: 'POST', url, payload: { note } })).statusCode).toBe(404);
    expect((await carol.request({ method: 'POST', url, payload: { note } })).statusCode).toBe(404);
    const short = await bob.request({ method: 'POST', url, payload: { note: 'no' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('body.note');
    const res = await bob.request({ method: 'POST', url, payload: { note } });
    expect(res.statusCode, res.body).toBe(200);
    const twice = await bob.request({ method: 'POST', url, payload: { note } });
    expect(twice.statusCode).toBe(409);
    const list = await office.request({ url: `/api/v1/calls/${call.id}/applications` });
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().items.find((i: { id: string }) => i.id === squat.applicationId);
    expect(item.contest).toMatchObject({ note });
    const others = list.json().items.filter((i: { id: string }) => i.id !== squat.applicationId);
    expect(others.every((i: { contest: unknown }) => i.contest === null)).toBe(true);
    const [forBob] = await mine(bob);
    expect(forBob?.contestedAt).toEqual(expect.any(String));
  });

  it('lets that person withdraw it, and then apply for themself', async () => {
    const res = await bob.request({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/applications/${squat.applicationId}/withdraw`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const own = await submit(bob, 'bob-0002', BOB);
    expect(own.statusCode, own.body).toBe(201);
    const list = await mine(bob);
    expect(list.map((a) => [a.relationship, a.status]).sort()).toEqual([
      ['familiare', 'withdrawn'],
      ['self', 'submitted'],
    ]);
  });
});

describe('the codice fiscale of a login through SPID or CIE', () => {
  it('is read from the fiscalNumber claim (TINIT- prefix) or fiscal_number, and only when well formed', () => {
    expect(codiceFiscaleClaim({ fiscalNumber: 'TINIT-bsscrl58c52i690q' })).toBe('BSSCRL58C52I690Q');
    expect(codiceFiscaleClaim({ fiscal_number: 'BSSCRL58C52I690Q' })).toBe('BSSCRL58C52I690Q');
    expect(codiceFiscaleClaim({ fiscalNumber: 'TINIT-123' })).toBeNull();
    expect(codiceFiscaleClaim({})).toBeNull();
  });
});
