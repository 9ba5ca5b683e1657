import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let monza: string;
let sesto: string;
let office: Client;
let mayor: Client;
let monzaOffice: Client;

async function ambitoId(code: string) {
  return (
    await t.database.db.selectFrom('ambiti').select('id').where('code', '=', code).executeTakeFirstOrThrow()
  ).id;
}

/** Audit rows of an Ambito, read as the owner (the app role sees none outside a tenant session). */
async function auditRows(ambito: string, action: string) {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const rows = await trx
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('ambito_id', '=', ambito)
      .where('action', '=', action)
      .execute();
    await sql`set role ambito_app`.execute(trx);
    return rows;
  });
}

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  monza = await ambitoId('monza');
  sesto = await ambitoId('sesto-san-giovanni');
  office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  mayor = await clientWith(t, [{ role: 'assemblea', ambitoId: sesto, comuneIstat: '015081' }]);
  monzaOffice = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
});
afterAll(() => t?.close());

describe('demo budgets', () => {
  it('gives Monza a 2022 budget of about 5.4 million euro, closed, with residui carried to 2023', async () => {
    const res = await monzaOffice.request({ url: `/api/v1/ambiti/${monza}/budget?year=2022` });
    expect(res.statusCode).toBe(200);
    const budget = res.json();
    expect(budget.closed).toBe(true);
    expect(budget.totals.assignedCents).toBeGreaterThan(5_300_000_00);
    expect(budget.totals.assignedCents).toBeLessThan(5_500_000_00);
    const funds = budget.byFund.map((f: { code: string }) => f.code);
    expect(funds).toEqual(
      expect.arrayContaining(['FNPS', 'FNA', 'FPOV', 'DOPO_DI_NOI', 'FSR', 'PNRR_M5C2', 'COMUNI']),
    );
    // Every figure adds up: totals are the sums of the funds, paid never exceeds committed.
    let committed = 0;
    for (const f of budget.byFund) {
      committed += f.committedCents;
      expect(f.paidCents).toBeLessThanOrEqual(f.committedCents);
      expect(f.committedCents).toBeLessThanOrEqual(f.budgetedCents);
      expect(f.budgetedCents).toBeLessThanOrEqual(f.assignedCents);
    }
    expect(budget.totals.committedCents).toBe(committed);
    expect(budget.byComune.map((c: { name: string }) => c.name)).toEqual([
      'Brugherio',
      'Monza',
      'Villasanta',
    ]);
    expect(budget.constraints).toEqual([
      expect.objectContaining({ fundCode: 'FNPS', area: 'famiglia_minori', met: true }),
    ]);
    const next = (await monzaOffice.request({ url: `/api/v1/ambiti/${monza}/budget?year=2023` })).json();
    const unspent = budget.totals.assignedCents - budget.totals.committedCents;
    expect(next.totals.assignedCents).toBe(unspent);
    expect(
      next.byFund.every(
        (f: { carriedOverCents: number; assignedCents: number }) => f.carriedOverCents === f.assignedCents,
      ),
    ).toBe(true);
  });

  it('gives Sesto San Giovanni a 2025 budget of almost 4 million, readable by its mayors, drillable to the acts', async () => {
    const budget = (await mayor.request({ url: `/api/v1/ambiti/${sesto}/budget?year=2025` })).json();
    expect(budget.totals.assignedCents).toBeGreaterThan(3_900_000_00);
    expect(budget.totals.assignedCents).toBeLessThan(4_100_000_00);
    const lines = (
      await mayor.request({ url: `/api/v1/ambiti/${sesto}/budget-lines?year=2025&fund=FNPS` })
    ).json().items;
    expect(lines.map((l: { code: string }) => l.code)).toEqual(['FNPS-01', 'FNPS-02']);
    const line = (await mayor.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lines[0].id}` })).json();
    expect(line.commitments.length).toBe(2);
    expect(line.commitments[0].act.number).toMatch(/\/2025$/);
    expect(line.commitments[0].payments[0].act.kind).toBe('determina_udp');
  });

  it('keeps the approved splits with their deliberation, exact to the cent', async () => {
    const items = (await office.request({ url: `/api/v1/ambiti/${sesto}/splits?year=2025` })).json().items;
    const fnps = items.find((s: { fundCode: string }) => s.fundCode === 'FNPS');
    expect(fnps.act.number).toBe('3/2025');
    expect(fnps.lines.reduce((a: number, l: { amountCents: number }) => a + l.amountCents, 0)).toBe(
      fnps.totalCents,
    );
  });

  it('computes the social-worker LEPS figures from the FTE and the population', async () => {
    const res = (await office.request({ url: `/api/v1/ambiti/${sesto}/social-workers?year=2025` })).json();
    expect(res.populationYear).toBe(2024);
    expect(res.fteHundredths).toBe(2750);
    expect(res.comuni).toHaveLength(2);
    expect(res.contributionCents).toBeGreaterThan(0);
  });
});

describe('split preview (contract)', () => {
  it('splits a total by population at a reference date, to the cent, writing nothing', async () => {
    const before = await auditRows(sesto, 'finance.split.save');
    const res = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/splits/preview`,
      payload: { totalCents: 100_000_000, rule: { kind: 'population', referenceDate: '2020-01-01' } },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.lines.map((l: { istatCode: string }) => l.istatCode)).toEqual(['015081', '015209']);
    expect(body.lines.reduce((a: number, l: { amountCents: number }) => a + l.amountCents, 0)).toBe(
      100_000_000,
    );
    // Sesto has more residents than Cologno: it gets more.
    expect(body.lines[1].amountCents).toBeGreaterThan(body.lines[0].amountCents);
    expect(body.basis[0]).toContain('01/01/2020');
    expect(await auditRows(sesto, 'finance.split.save')).toHaveLength(before.length);
  });

  it('shows last year’s amounts beside the new ones', async () => {
    const res = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/splits/preview`,
      payload: {
        totalCents: 1_100_000_00,
        fundCode: 'FNPS',
        year: 2026,
        rule: {
          kind: 'mix',
          components: [
            { weight: 70, rule: { kind: 'population', referenceDate: '2024-01-01' } },
            {
              weight: 30,
              rule: {
                kind: 'fixed',
                shares: [
                  { istatCode: '015209', weight: 1 },
                  { istatCode: '015081', weight: 1 },
                ],
              },
            },
          ],
        },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().lines.every((l: { previousCents: number | null }) => (l.previousCents ?? 0) > 0)).toBe(
      true,
    );
  });

  it.each([
    [{ totalCents: -1, rule: { kind: 'population', referenceDate: '2024-01-01' } }, 'totalCents'],
    [{ totalCents: 10.5, rule: { kind: 'population', referenceDate: '2024-01-01' } }, 'totalCents'],
    [{ totalCents: '100', rule: { kind: 'population', referenceDate: '2024-01-01' } }, 'totalCents'],
    [{ totalCents: 100, rule: { kind: 'population', referenceDate: '1990-01-01' } }, 'rule.referenceDate'],
    [
      { totalCents: 100, rule: { kind: 'fixed', shares: [{ istatCode: '015209', weight: 3 }] } },
      'rule.figures',
    ],
    [{ totalCents: 100, rule: { kind: 'astrologico' } }, 'rule.kind'],
  ])('refuses %j naming %s', async (payload, field) => {
    const res = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/splits/preview`,
      payload,
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(JSON.stringify(res.json().errors)).toContain(field);
  });
});

describe('money rules', () => {
  let lineId: string;
  let actId: string;

  beforeAll(async () => {
    const lines = (
      await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines?year=2025&fund=FNA` })
    ).json().items;
    lineId = lines[0].id;
    actId = (
      await office.request({
        method: 'POST',
        url: `/api/v1/ambiti/${sesto}/acts`,
        payload: {
          kind: 'determina_udp',
          body: 'Ufficio di Piano',
          number: '900/2025',
          date: '2025-10-01',
          subject: 'Impegno',
        },
      })
    ).json().id;
  });

  const commitment = (over: Record<string, unknown> = {}) => ({
    budgetLineId: lineId,
    number: `T-${Math.random().toString(36).slice(2, 8)}`,
    actId,
    date: '2025-10-02',
    amountCents: 1_000_00,
    payeeKind: 'ente',
    payeeName: 'Cooperativa di prova',
    ...over,
  });

  it('commits up to the available amount and not one cent more, with the act in the audit log', async () => {
    const line = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    const over = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/commitments`,
      payload: commitment({ amountCents: line.availableCents + 1 }),
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().errors[0].field).toBe('amountCents');
    const exact = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/commitments`,
      payload: commitment({ amountCents: line.availableCents }),
    });
    expect(exact.statusCode).toBe(201);
    const after = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    expect(after.availableCents).toBe(0);
    const audited = await auditRows(sesto, 'finance.commitment.create');
    expect(audited.at(-1)?.detail).toMatchObject({
      act: '900/2025',
      actId,
      amountCents: line.availableCents,
    });
    // Paying more than committed is refused as well.
    const pay = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/payments`,
      payload: {
        commitmentId: exact.json().id,
        number: 'P-1',
        actId,
        date: '2025-10-03',
        amountCents: line.availableCents + 1,
      },
    });
    expect(pay.statusCode).toBe(409);
    expect(pay.json().errors[0].field).toBe('amountCents');
  });

  it.each([
    [{ amountCents: -5 }, 'amountCents'],
    [{ amountCents: 'mille' }, 'amountCents'],
    [{ amountCents: 10.555 }, 'amountCents'],
    [{ actId: '00000000-0000-4000-8000-000000000000' }, 'actId'],
    [{ date: '31/12/2025' }, 'date'],
    [{ payeeKind: 'comune', comuneIstat: undefined }, 'comuneIstat'],
  ])('refuses the commitment %j naming %s, writing nothing', async (over, field) => {
    const before = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    const res = await office.request({
      method: 'POST',
      url: `/api/v1/ambiti/${sesto}/commitments`,
      payload: commitment(over),
    });
    // 400: the payload's shape is wrong; 422: it is well-formed but refers to nothing valid.
    expect([400, 422]).toContain(res.statusCode);
    expect(res.json().errors.map((e: { field: string }) => e.field.replace(/^body\./, ''))).toContain(field);
    const after = (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` })).json();
    expect(after.commitments).toHaveLength(before.commitments.length);
  });

  it('refuses commitments on a closed year', async () => {
    const line = (await monzaOffice.request({ url: `/api/v1/ambiti/${monza}/budget-lines?year=2022` })).json()
      .items[0];
    const act = (await monzaOffice.request({ url: `/api/v1/ambiti/${monza}/acts` })).json().items[0];
    const res = await monzaOffice.request({
      method: 'POST',
      url: `/api/v1/ambiti/${monza}/commitments`,
      payload: { ...commitment(), budgetLineId: line.id, actId: act.id, amountCents: 100 },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({ field: 'year' });
  });

  it('never lets another Ambito’s office see or spend this budget', async () => {
    const res = await monzaOffice.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${lineId}` });
    expect(res.statusCode).toBe(404);
    const spend = await monzaOffice.request({
      method: 'POST',
      url: `/api/v1/ambiti/${monza}/commitments`,
      payload: commitment({ amountCents: 100 }),
    });
    // The line id belongs to Sesto: inside Monza's tenant session it does not exist.
    expect(spend.statusCode).toBe(422);
    expect(spend.json().errors[0].field).toBe('budgetLineId');
  });
});
