import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../../../test/helpers/calls.js';
import type { AwardMode } from './rules.schemas.js';

let t: TestApp;
let sesto: string;
let office: Client;
let citizen: Client & { userId: string };
let determina: string;

/**
 * Eight Misura B2 applicants (aged 96 on the residence date: 10 points each for age). Points
 * from ISEE band + household + caregiver; the amount from the ISEE band.
 *   C 40 pts ISEE 7.000 € 4.800 | A 40 pts ISEE 8.000 € 4.800 (sent before B) | B 40 pts ISEE 8.000
 *   D 35 pts € 4.800 | H 30 pts ISEE 14.000 € 4.800 | E 30 pts ISEE 20.000 € 3.600 | G 20 pts € 3.600
 *   F excluded (ISEE over the ceiling).
 * Rank order: C, A, B, D, H, E, G. Running sums: 4.800, 9.600, 14.400, 19.200, 24.000, 27.600, 31.200.
 */
const PEOPLE = [
  { key: 'A', i: 1, isee: 800_000, hh: 1, caregiver: false },
  { key: 'B', i: 2, isee: 800_000, hh: 1, caregiver: false },
  { key: 'C', i: 3, isee: 700_000, hh: 1, caregiver: false },
  { key: 'D', i: 4, isee: 1_200_000, hh: 4, caregiver: false },
  { key: 'E', i: 5, isee: 2_000_000, hh: 1, caregiver: true },
  { key: 'F', i: 6, isee: 3_000_000, hh: 2, caregiver: false },
  { key: 'G', i: 7, isee: 2_400_000, hh: 1, caregiver: false },
  { key: 'H', i: 8, isee: 1_400_000, hh: 1, caregiver: false },
] as const;
const BUDGET = 2_300_000;
const person = (p: (typeof PEOPLE)[number]) =>
  buildB2Applicant(p.i, {
    isee: { ...buildB2Applicant(p.i).isee, valueCents: p.isee },
    householdMembers: p.hh,
    conditions: { domicilio: true, caregiver_familiare: p.caregiver },
  });

interface TestCall {
  id: string;
  closesAt: number;
  apps: Record<string, { applicationId: string; protocol: string }>;
}
const calls: Partial<Record<AwardMode, TestCall>> = {};

const pickKeys = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]]));
const newAct = async (kind: string, number: string, date: string) =>
  (
    await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/acts`,
      payload: { kind, body: 'Ufficio di Piano', number, date, subject: 'Graduatoria e risorse del bando' },
    })
  ).json().id as string;

/** A Misura B2 call with the given award rule, closing shortly, on a line with room to grow. */
async function rankableCall(mode: AwardMode, closesInMs: number): Promise<TestCall> {
  const base = await createCall(office, sesto, { publish: false, budgetCents: 10_000_000 });
  const view = (await office.request({ url: `/api/v1/calls/${base.id}` })).json();
  const now = Date.now();
  const closesAt = now + closesInMs;
  const put = await office.request({
    method: 'PUT',
    url: `/api/v1/calls/${base.id}`,
    headers: { 'if-match': `"${view.revision}"` },
    payload: {
      ...pickKeys(view, ['code', 'title', 'template', 'description', 'budgetLineId']),
      ...{ approvalActId: view.approvalAct.id, budgetCents: BUDGET, debtorName: 'Comune capofila' },
      ...{ opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(closesAt).toISOString() },
      rules: { ...view.rules, onDoesNotFit: mode, appealDays: 30 },
      debtorIban: 'IT60X0542811101000000123456',
    },
  });
  if (put.statusCode !== 200) throw new Error(`put: ${put.body}`);
  await office.request({ method: 'POST', url: `/api/v1/calls/${base.id}/publish` });
  const apps: TestCall['apps'] = {};
  for (const p of PEOPLE) {
    const res = await citizen.request({
      method: 'POST',
      url: `/api/v1/calls/${base.id}/applications`,
      headers: { 'idempotency-key': `rank-${mode}-${p.key}` },
      payload: { applicant: person(p), attachments: b2Attachments() },
    });
    if (res.statusCode !== 201) throw new Error(`submit: ${res.body}`);
    apps[p.key] = res.json();
  }
  return { id: base.id, closesAt, apps };
}

const review = (call: TestCall, key: string, decision: string, extra: Record<string, unknown> = {}) =>
  office.request({
    method: 'POST',
    url: `/api/v1/calls/${call.id}/applications/${call.apps[key]?.applicationId}/review`,
    payload: { decision, ...extra },
  });
const rank = (call: TestCall, phase: 'provisional' | 'final', actId = determina) =>
  office.request({ method: 'POST', url: `/api/v1/calls/${call.id}/ranking`, payload: { phase, actId } });
const publicRanking = async (call: TestCall) => {
  const res = await new Client(t.app).request({ url: `/api/v1/calls/${call.id}/ranking` });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
/** The ranking as "key outcome cents" lines, in rank order. */
async function award(call: TestCall) {
  const byProtocol = new Map(Object.entries(call.apps).map(([k, a]) => [a.protocol, k]));
  const body = (await publicRanking(call)).json();
  return body.entries.map(
    (e: { protocol: string; position: number | null; outcome: string; awardedCents: number }) =>
      `${e.position ?? '-'} ${byProtocol.get(e.protocol)} ${e.outcome} ${e.awardedCents}`,
  );
}
const ownerSql = (query: ReturnType<typeof sql>) =>
  t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    await query.execute(trx);
    await sql`set role ambito_app`.execute(trx);
  });

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
  determina = await newAct('determina_udp', 'G-1/2026', '2026-03-01');
  for (const mode of ['stop', 'partial', 'skip'] as const) calls[mode] = await rankableCall(mode, 8_000);
  for (const call of Object.values(calls))
    for (const p of PEOPLE) {
      // H of the "stop" call stays to be reviewed: the first test needs one pending application.
      if (call === calls.stop && p.key === 'H') continue;
      const res = await (p.key === 'F'
        ? review(call, p.key, 'excluded', { reason: 'ISEE oltre la soglia del bando' })
        : review(call, p.key, 'admissible'));
      if (res.statusCode !== 200) throw new Error(`review: ${res.body}`);
    }
  const wait = Math.max(...Object.values(calls).map((c) => c.closesAt)) - Date.now() + 50;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}, 60_000);
afterAll(() => t?.close());

describe('computing the ranking', () => {
  it('refuses while an application is still to be reviewed, and before the call closes', async () => {
    const stop = calls.stop as TestCall;
    const pending = await rank(stop, 'provisional');
    expect(pending.statusCode).toBe(409);
    expect(pending.json().detail).toMatch(/^1 domanda è ancora da istruire/);
    const open = await createCall(office, sesto);
    const early = await office.request({
      method: 'POST',
      url: `/api/v1/calls/${open.id}/ranking`,
      payload: { phase: 'provisional', actId: determina },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().errors[0].field).toBe('closesAt');
    const notDetermina = await rank(stop, 'provisional', open.actId);
    expect([409, 422]).toContain(notDetermina.statusCode);
    expect((await new Client(t.app).request({ url: `/api/v1/calls/${stop.id}/ranking` })).statusCode).toBe(
      404,
    );
  });

  it('stop: funds in rank order until the first that does not fit (ties by ISEE, then receipt time)', async () => {
    const stop = calls.stop as TestCall;
    expect((await review(stop, 'H', 'admissible')).statusCode).toBe(200);
    const res = await rank(stop, 'provisional');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ranked',
      awardedCents: 1_920_000,
      counts: { funded: 4, partiallyFunded: 0, notFunded: 3, excluded: 1 },
    });
    expect(await award(stop)).toEqual([
      '1 C funded 480000',
      '2 A funded 480000',
      '3 B funded 480000',
      '4 D funded 480000',
      '5 H not_funded 0',
      '6 E not_funded 0',
      '7 G not_funded 0',
      '- F excluded 0',
    ]);
  });

  it('partial: the first that does not fit gets what is left', async () => {
    const call = calls.partial as TestCall;
    expect((await rank(call, 'provisional')).json().awardedCents).toBe(BUDGET);
    expect((await award(call)).slice(4, 7)).toEqual([
      '5 H partially_funded 380000',
      '6 E not_funded 0',
      '7 G not_funded 0',
    ]);
  });

  it('skip: later applicants who still fit are funded', async () => {
    const call = calls.skip as TestCall;
    expect((await rank(call, 'provisional')).json().awardedCents).toBe(2_280_000);
    expect((await award(call)).slice(3)).toEqual([
      '4 D funded 480000',
      '5 H not_funded 0',
      '6 E funded 360000',
      '7 G not_funded 0',
      '- F excluded 0',
    ]);
  });

  it('publishes protocol numbers, never names or codici fiscali', async () => {
    const res = await publicRanking(calls.stop as TestCall);
    const body = res.json();
    expect(body).toMatchObject({ phase: 'provisional', budgetCents: BUDGET, total: 8 });
    expect(body.acts).toEqual([{ phase: 'provisional', number: 'G-1/2026', date: '2026-03-01' }]);
    expect(new Date(body.appealDeadline).getTime() - new Date(body.rankedAt).getTime()).toBe(30 * 86_400_000);
    for (const p of PEOPLE) {
      const a = person(p);
      expect(res.body).not.toContain(a.codiceFiscale);
      expect(res.body).not.toContain(`${a.firstName} ${a.lastName}`);
      expect(res.body).not.toContain(a.lastName);
    }
  });
});

describe('the appeals window and the final ranking', () => {
  it('refuses the final ranking before the appeals window ends, then approves it', async () => {
    const stop = calls.stop as TestCall;
    const early = await rank(stop, 'final');
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/ricorsi scadono il \d{1,2} \w+ 20\d\d/);
    await ownerSql(sql`update calls set ranked_at = ranked_at - interval '31 days' where id = ${stop.id}`);
    const final = await rank(stop, 'final');
    expect(final.statusCode, final.body).toBe(200);
    expect(final.json()).toMatchObject({ status: 'final', changes: 0 });
    expect((await publicRanking(stop)).json().phase).toBe('final');
    const again = await rank(stop, 'provisional');
    expect(again.statusCode).toBe(409);
    const late = await review(stop, 'G', 'excluded', { reason: 'documentazione incompleta' });
    expect(late.statusCode).toBe(409);
  });
});

describe('awarding again when funds are freed or added', () => {
  it('funds the next applicants after a withdrawal and records the changes', async () => {
    const skip = calls.skip as TestCall;
    const res = await citizen.request({
      method: 'POST',
      url: `/api/v1/calls/${skip.id}/applications/${skip.apps.A?.applicationId}/withdraw`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changes).toBe(2);
    // The approved positions stay: number 2 is left unused, the funds slide down the list.
    expect(await award(skip)).toEqual([
      '1 C funded 480000',
      '3 B funded 480000',
      '4 D funded 480000',
      '5 H funded 480000',
      '6 E funded 360000',
      '7 G not_funded 0',
      '- F excluded 0',
    ]);
    const changes = (await office.request({ url: `/api/v1/calls/${skip.id}/ranking/changes` })).json().items;
    expect(
      changes.map((c: Record<string, unknown>) => [
        c.protocol,
        c.fromOutcome,
        c.toOutcome,
        c.toCents,
        c.reason,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [skip.apps.A?.protocol, 'funded', 'withdrawn', 0, 'rinuncia alla domanda'],
        [skip.apps.H?.protocol, 'not_funded', 'funded', 480_000, 'rinuncia alla domanda'],
      ]),
    );
  });

  it('after the final ranking too, an operator withdrawing an application frees its funds', async () => {
    const stop = calls.stop as TestCall;
    const res = await office.request({
      method: 'POST',
      url: `/api/v1/calls/${stop.id}/applications/${stop.apps.D?.applicationId}/withdraw`,
    });
    expect(res.json().changes).toBe(3);
    expect((await award(stop)).slice(3, 6)).toEqual([
      '5 H funded 480000',
      '6 E funded 360000',
      '7 G not_funded 0',
    ]);
  });

  it('a larger budget funds the next ones; a smaller one is refused', async () => {
    const partial = calls.partial as TestCall;
    const actId = await newAct('delibera_assemblea', 'B-9/2026', '2026-04-01');
    const smaller = await office.request({
      method: 'POST',
      url: `/api/v1/calls/${partial.id}/budget`,
      payload: { budgetCents: BUDGET - 1, actId },
    });
    expect(smaller.statusCode).toBe(422);
    const res = await office.request({
      method: 'POST',
      url: `/api/v1/calls/${partial.id}/budget`,
      payload: { budgetCents: 2_800_000, actId },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ budgetCents: 2_800_000, awardedCents: 2_800_000, changes: 3 });
    expect((await award(partial)).slice(4, 7)).toEqual([
      '5 H funded 480000',
      '6 E funded 360000',
      '7 G partially_funded 40000',
    ]);
    const changes = (await office.request({ url: `/api/v1/calls/${partial.id}/ranking/changes` })).json()
      .items;
    expect(changes).toHaveLength(3);
    expect(changes[0].reason).toMatch(/budget aumentato a € 28\.000,00 \(atto B-9\/2026\)/);
  });
});

describe('my applications', () => {
  it('lists the citizen’s own applications with their ranking outcome', async () => {
    const res = await citizen.request({ url: '/api/v1/me/applications' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(PEOPLE.length * 3);
    const a = items.find((i) => i.applicationId === calls.partial?.apps.C?.applicationId);
    expect(a).toMatchObject({
      status: 'admissible',
      ranking: { phase: 'provisional', position: 1, outcome: 'funded', awardedCents: 480_000 },
    });
    const withdrawn = items.find((i) => i.applicationId === calls.skip?.apps.A?.applicationId);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', ranking: null });
    const stranger = await clientWith(t, [{ role: 'cittadino' }]);
    expect((await stranger.request({ url: '/api/v1/me/applications' })).json().items).toEqual([]);
    expect((await new Client(t.app).request({ url: '/api/v1/me/applications' })).statusCode).toBe(401);
  });
});
