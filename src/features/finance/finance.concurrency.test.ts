import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';

/**
 * Parallel requests against one budget line. On PostgreSQL (DATABASE_URL) they run in parallel
 * transactions on different connections, and only the database's row locks keep the money
 * right; on PGlite they take turns, and the same assertions hold.
 */
let t: TestApp;
let sesto: string;
let office: Client;
let actId: string;
let lineId: string;
const LINE_CENTS = 50_000_00;

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
  const post = async (url: string, payload: unknown) => {
    const res = await office.request({ method: 'POST', url: `/api/v1/ambiti/${sesto}${url}`, payload });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };
  actId = await post('/acts', {
    kind: 'decreto',
    body: 'Regione Lombardia',
    number: 'C-1/2026',
    date: '2026-02-01',
    subject: 'Prova',
  });
  const assignment = await post('/fund-assignments', {
    fundCode: 'FSR',
    year: 2026,
    amountCents: LINE_CENTS,
    actId,
  });
  const plan = (await office.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items[0];
  const tree = (await office.request({ url: `/api/v1/plans/${plan.id}` })).json();
  lineId = await post('/budget-lines', {
    assignmentId: assignment,
    code: 'CONC-01',
    actionId: tree.objectives[0].specific[0].actions[0].id,
    area: 'poverta_esclusione',
    intervention: 'accesso',
    amountCents: LINE_CENTS,
  });
});
afterAll(() => t?.close());

describe('concurrent money requests', () => {
  it('never commit beyond the line: of 20 parallel commitments of a fifth each, exactly 5 pass', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        office.request({
          method: 'POST',
          url: `/api/v1/ambiti/${sesto}/commitments`,
          payload: {
            budgetLineId: lineId,
            number: `CONC-${i}`,
            actId,
            date: '2026-03-01',
            amountCents: LINE_CENTS / 5,
            payeeKind: 'ente',
            payeeName: 'Ente di prova',
          },
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    const line = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    expect(line.committedCents).toBe(LINE_CENTS);
    expect(line.availableCents).toBe(0);
  });

  it('never pay beyond the commitment: of 12 parallel payments of a quarter each, exactly 4 pass', async () => {
    const line = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    const commitment = line.commitments[0];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        office.request({
          method: 'POST',
          url: `/api/v1/ambiti/${sesto}/payments`,
          payload: {
            commitmentId: commitment.id,
            number: `CONC-P-${i}`,
            actId,
            date: '2026-04-01',
            amountCents: commitment.amountCents / 4,
          },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(4);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(8);
    const after = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    expect(after.commitments[0].paidCents).toBe(commitment.amountCents);
  });

  it('never let a commitment slip past the closing of its year: what is committed is not carried over', async () => {
    const act = { actId };
    const closed2025 = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/financial-years/2025/close`,
      payload: act,
    });
    expect(closed2025.statusCode).toBe(200);
    const fse = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/fund-assignments`,
      payload: { fundCode: 'FSE+', year: 2026, amountCents: 10_000_00, actId },
    });
    const plan = (await office.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items[0];
    const tree = (await office.request({ url: `/api/v1/plans/${plan.id}` })).json();
    const line = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/budget-lines`,
      payload: {
        assignmentId: fse.json().id,
        code: 'CONC-02',
        actionId: tree.objectives[0].specific[0].actions[0].id,
        area: 'poverta_esclusione',
        intervention: 'inclusione',
        amountCents: 10_000_00,
      },
    });
    const commit = (i: number) =>
      office.request({
        method: 'POST',
        url: `/api/v1/ambiti/${sesto}/commitments`,
        payload: {
          budgetLineId: line.json().id,
          number: `RACE-${i}`,
          actId,
          date: '2026-11-01',
          amountCents: 500_00,
          payeeKind: 'ente',
          payeeName: 'Ente di prova',
        },
      });
    const [closing, ...commits] = await Promise.all([
      office.request({
        method: 'POST',
        url: `/api/v1/ambiti/${sesto}/financial-years/2026/close`,
        payload: act,
      }),
      ...Array.from({ length: 10 }, (_, i) => commit(i)),
    ]);
    expect(closing.statusCode).toBe(200);
    const passed = commits.filter((r) => r.statusCode === 201).length;
    expect(commits.every((r) => r.statusCode === 201 || r.json().errors[0].field === 'year')).toBe(true);
    // Whatever got in before the close is committed; the rest of the assignment is the residuo.
    const fseOf = (r: typeof closing) =>
      r
        .json()
        .carried.filter((c: { fund: string }) => c.fund === 'FSE+')
        .reduce((a: number, c: { amountCents: number }) => a + c.amountCents, 0);
    // The 2025 residuo came into 2026 untouched and goes on; the new assignment loses what passed.
    expect(fseOf(closing)).toBe(fseOf(closed2025) + 10_000_00 - passed * 500_00);
    expect((await commit(99)).statusCode).toBe(409);
  });
});
