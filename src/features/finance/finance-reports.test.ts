import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csvCents, formatCents, formatEuro as formatEuroCents } from '../../format.js';
import { formatBasisPoints } from './report.js';

// Sesto's demo budgets are 2025 (finance) and the current year (calls); 2029 is built here, so every figure below is known to the cent.
const YEAR = 2029;
let t: TestApp;
let sesto: string;
let office: Client;
let base: string;

async function post(url: string, payload: unknown): Promise<string> {
  const res = await office.request({ method: 'POST', url: `${base}${url}`, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** Programmato, impegnato, liquidato of each line, as the test expects them back. */
const LINES = [
  {
    code: 'F26-01',
    fund: 'FNPS',
    area: 'famiglia_minori',
    intervention: 'presa_in_carico',
    amount: 40_000_00,
    committed: 30_000_00,
    paid: 12_345_67,
  },
  {
    code: 'F26-02',
    fund: 'FNPS',
    area: 'famiglia_minori',
    intervention: 'domiciliare',
    amount: 12_345_67,
    committed: 0,
    paid: 0,
  },
  {
    code: 'F26-03',
    fund: 'FNPS',
    area: 'poverta_esclusione',
    intervention: 'accesso',
    amount: 20_000_00,
    committed: 0,
    paid: 0,
  },
  {
    code: 'N26-01',
    fund: 'FNA',
    area: 'disabilita_non_autosufficienza',
    intervention: 'domiciliare',
    amount: 30_000_00,
    committed: 25_000_00,
    paid: 10_000_00,
  },
  {
    code: 'N26-02',
    fund: 'FNA',
    area: 'disabilita_non_autosufficienza',
    intervention: 'domiciliare',
    amount: 5_000_01,
    committed: 0,
    paid: 0,
  },
] as const;
const sum = (key: 'amount' | 'committed' | 'paid', fund?: string) =>
  LINES.filter((l) => !fund || l.fund === fund).reduce((s, l) => s + l[key], 0);

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  sesto = (
    await t.database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'sesto-san-giovanni')
      .executeTakeFirstOrThrow()
  ).id;
  base = `/api/v1/ambiti/${sesto}`;
  office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  const plans = (await office.request({ url: `/api/v1/plans?ambito=${sesto}` })).json().items as Array<{
    id: string;
  }>;
  const tree = (await office.request({ url: `/api/v1/plans/${plans[0]?.id}` })).json();
  const actions: string[] = tree.objectives.flatMap(
    (o: { specific: Array<{ actions: Array<{ id: string }> }> }) =>
      o.specific.flatMap((s) => s.actions.map((a) => a.id)),
  );
  const act = (kind: string, number: string, date: string, subject: string) =>
    post('/acts', { kind, body: 'Ambito di Sesto San Giovanni', number, date, subject });
  const decree = await act('decreto', 'DGR XII/2029-100', '2029-02-10', 'Riparto dei fondi sociali 2029');
  const assembly = await act('delibera_assemblea', '5/2029', '2029-03-01', 'Riparto FNPS 2029 tra i Comuni');
  const commitAct = await act('determina_udp', '12/2029', '2029-04-01', 'Impegni di spesa 2029');
  const payAct = await act('determina_udp', '30/2029', '2029-06-01', 'Liquidazioni 2029');
  const assignments = {
    FNPS: await post('/fund-assignments', {
      fundCode: 'FNPS',
      year: YEAR,
      amountCents: 100_000_00,
      actId: decree,
    }),
    FNA: await post('/fund-assignments', {
      fundCode: 'FNA',
      year: YEAR,
      amountCents: 50_000_00,
      actId: decree,
    }),
  };
  for (const [i, l] of LINES.entries()) {
    const lineId = await post('/budget-lines', {
      assignmentId: assignments[l.fund],
      code: l.code,
      actionId: actions[i % actions.length],
      area: l.area,
      intervention: l.intervention,
      amountCents: l.amount,
    });
    if (!l.committed) continue;
    const commitmentId = await post('/commitments', {
      budgetLineId: lineId,
      number: `I-${l.code}`,
      actId: commitAct,
      date: '2029-04-02',
      amountCents: l.committed,
      payeeKind: 'ente',
      payeeName: 'Cooperativa sociale Il Melograno',
    });
    await post('/payments', {
      commitmentId,
      number: `L-${l.code}`,
      actId: payAct,
      date: '2029-06-02',
      amountCents: l.paid,
    });
  }
  const split = await office.request({
    method: 'POST',
    url: `${base}/splits`,
    payload: {
      fundCode: 'FNPS',
      year: YEAR,
      totalCents: 90_000_00,
      actId: assembly,
      rule: {
        kind: 'fixed',
        shares: [
          { istatCode: '015209', weight: 2 },
          { istatCode: '015081', weight: 1 },
        ],
      },
    },
  });
  expect(split.statusCode, split.body).toBe(201);
});
afterAll(() => t?.close());

interface Cell {
  programmedCents: number;
  committedCents: number;
  paidCents: number;
}
interface Row extends Cell {
  area: string | null;
  cells: Array<Cell & { intervention: string }>;
  total: Cell;
}

describe('money formatting without floating point', () => {
  it('prints cents from their digits', () => {
    expect(formatCents(0)).toBe('0,00');
    expect(formatCents(5)).toBe('0,05');
    expect(formatCents(123_456_789)).toBe('1.234.567,89');
    expect(formatEuroCents(-1_000_00)).toBe('-€ 1.000,00');
    expect(formatEuroCents(9_007_199_254_740_991)).toBe('€ 90.071.992.547.409,91');
    expect(csvCents(123_456_789)).toBe('1234567,89');
    expect(formatBasisPoints(5000)).toBe('50%');
    expect(formatBasisPoints(3350)).toBe('33,5%');
    expect(() => formatCents(0.5)).toThrow();
  });
});

describe('the spending report', () => {
  it('adds up: each cell, row, column and the grand total are sums of the budget lines and payments', async () => {
    const res = await office.request({ url: `${base}/finance/report?year=${YEAR}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const report = res.json();
    expect(report.ambito.name).toBe('Ambito di Sesto San Giovanni');
    expect(report.rows.map((r: Row) => r.area)).toEqual([
      'famiglia_minori',
      'disabilita_non_autosufficienza',
      'poverta_esclusione',
    ]);
    expect(report.interventions.map((i: { label: string }) => i.label)).toEqual([
      'Accesso',
      'Presa in carico',
      'Interventi domiciliari',
      'Servizi diurni',
      'Servizi residenziali',
      'Inclusione e integrazione',
    ]);
    const keys = [
      ['programmedCents', 'amount'],
      ['committedCents', 'committed'],
      ['paidCents', 'paid'],
    ] as const;
    for (const row of report.rows as Row[]) {
      for (const cell of row.cells) {
        const here = LINES.filter((l) => l.area === row.area && l.intervention === cell.intervention);
        for (const [k, l] of keys) expect(cell[k]).toBe(here.reduce((s, x) => s + x[l], 0));
      }
      for (const [k, l] of keys) {
        expect(row.total[k]).toBe(row.cells.reduce((s, c) => s + c[k], 0));
        expect(row.total[k]).toBe(LINES.filter((x) => x.area === row.area).reduce((s, x) => s + x[l], 0));
      }
    }
    const total = report.total as Row;
    for (const [i, cell] of total.cells.entries())
      for (const [k] of keys)
        expect(cell[k]).toBe((report.rows as Row[]).reduce((s, r) => s + (r.cells[i]?.[k] ?? 0), 0));
    expect(total.total).toEqual({
      programmedCents: sum('amount'),
      committedCents: sum('committed'),
      paidCents: sum('paid'),
    });
    expect(total.total.programmedCents).toBe(107_345_68);
    expect(report.lines).toHaveLength(LINES.length);
    // The same figures as the budget page.
    const budget = (await office.request({ url: `${base}/budget?year=${YEAR}` })).json();
    expect(total.total.programmedCents).toBe(budget.totals.budgetedCents);
    expect(total.total.paidCents).toBe(budget.totals.paidCents);
  });

  it('matches the budget page on the demo year too', async () => {
    const report = (await office.request({ url: `${base}/finance/report?year=2025` })).json();
    const budget = (await office.request({ url: `${base}/budget?year=2025` })).json();
    expect(report.total.total).toEqual({
      programmedCents: budget.totals.budgetedCents,
      committedCents: budget.totals.committedCents,
      paidCents: budget.totals.paidCents,
    });
  });

  it('filters by fund and refuses an unknown one', async () => {
    const fna = (await office.request({ url: `${base}/finance/report?year=${YEAR}&fund=fna` })).json();
    expect(fna.fund).toEqual({ code: 'FNA', name: 'Fondo per le Non Autosufficienze' });
    expect(fna.total.total.programmedCents).toBe(sum('amount', 'FNA'));
    expect(fna.lines.every((l: { fundCode: string }) => l.fundCode === 'FNA')).toBe(true);
    const unknown = await office.request({ url: `${base}/finance/report?year=${YEAR}&fund=NOPE` });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([{ field: 'fund', reason: 'fondo NOPE sconosciuto' }]);
  });

  it('is read by the Assemblea and auditors, not by other Ambiti or anonymous users', async () => {
    const mayor = await clientWith(t, [{ role: 'assemblea', ambitoId: sesto, comuneIstat: '015081' }]);
    expect((await mayor.request({ url: `${base}/finance/report?year=${YEAR}` })).statusCode).toBe(200);
    const monza = (
      await t.database.db
        .selectFrom('ambiti')
        .select('id')
        .where('code', '=', 'monza')
        .executeTakeFirstOrThrow()
    ).id;
    const other = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
    // Another Ambito's office is told nothing exists; a role without access to money is refused.
    expect((await other.request({ url: `${base}/finance/report.csv?year=${YEAR}` })).statusCode).toBe(404);
    const auditor = await clientWith(t, [{ role: 'revisore', ambitoId: sesto }]);
    expect((await auditor.request({ url: `${base}/finance/report.xlsx?year=${YEAR}` })).statusCode).toBe(200);
    const health = await clientWith(t, [{ role: 'ats_asst', ambitoId: sesto }]);
    expect((await health.request({ url: `${base}/finance/report?year=${YEAR}` })).statusCode).toBe(403);
    expect(
      (await new Client(t.app).request({ url: `${base}/finance/summary.pdf?year=${YEAR}` })).statusCode,
    ).toBe(401);
  });

  it('exports CSV for Italian spreadsheets: BOM, semicolons, decimal commas, no thousands dots', async () => {
    const res = await office.request({ url: `${base}/finance/report.csv?year=${YEAR}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="rendiconto-${YEAR}.csv"`);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(';'));
    expect(rows).toHaveLength(5);
    expect(rows[0]?.slice(0, 4)).toEqual([
      'Area di utenza',
      'Accesso – programmato',
      'Accesso – impegnato',
      'Accesso – liquidato',
    ]);
    expect(rows[0]).toHaveLength(1 + 7 * 3);
    expect(rows[1]?.[0]).toBe('Famiglia e minori');
    // Famiglia e minori, presa in carico: 40.000,00 planned, 30.000,00 committed, 12.345,67 paid.
    expect(rows[1]?.slice(4, 7)).toEqual(['40000,00', '30000,00', '12345,67']);
    expect(rows[4]?.[0]).toBe('Totale');
    expect(rows[4]?.slice(-3)).toEqual(['107345,68', '55000,00', '22345,67']);
    const fund = await office.request({ url: `${base}/finance/report.csv?year=${YEAR}&fund=FNPS` });
    expect(fund.headers['content-disposition']).toBe(`attachment; filename="rendiconto-${YEAR}-fnps.csv"`);
  });

  it('exports XLSX with the matrix and every line, as numbers in euro format', async () => {
    const res = await office.request({ url: `${base}/finance/report.xlsx?year=${YEAR}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="rendiconto-${YEAR}.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Rendiconto');
    expect(ws).toBeDefined();
    if (!ws) return;
    expect(ws.getCell('B2').value).toBe('Accesso');
    expect(ws.getCell('B3').value).toBe('Programmato');
    expect(ws.getCell('A4').value).toBe('Famiglia e minori');
    expect(ws.getCell(4, 5).value).toBe(40_000); // presa in carico, programmato
    expect(ws.getCell(4, 7).value).toBe(12_345.67);
    expect(ws.getCell(4, 7).numFmt).toBe('#,##0.00 €');
    expect(ws.getCell('A7').value).toBe('Totale');
    expect([ws.getCell(7, 20).value, ws.getCell(7, 21).value, ws.getCell(7, 22).value]).toEqual([
      107_345.68, 55_000, 22_345.67,
    ]);
    const lines = wb.getWorksheet('Linee');
    expect(lines?.getRow(1).values).toEqual([
      undefined,
      'Fondo',
      'Codice',
      'Azione',
      'Area di utenza',
      'Intervento',
      'Programmato',
      'Impegnato',
      'Liquidato',
    ]);
    expect(lines?.rowCount).toBe(1 + LINES.length + 1);
    const first = lines?.getRow(2).values as unknown[];
    expect(first.slice(1, 3)).toEqual(['FNA', 'N26-01']);
    expect(first.slice(4)).toEqual([
      'Disabilità e non autosufficienza',
      'Interventi domiciliari',
      30_000,
      25_000,
      10_000,
    ]);
  });

  it('prints a PDF summary for the Assemblea with totals, funds, matrix, constraints, deadlines and splits', async () => {
    const res = await office.request({ url: `${base}/finance/summary.pdf?year=${YEAR}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="bilancio-fondi-${YEAR}.pdf"`);
    expect(res.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) });
    const { text } = await parser.getText();
    await parser.destroy();
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Ambito di Sesto San Giovanni',
      `Bilancio dei fondi ${YEAR}`,
      'Assemblea dei Sindaci',
      '€ 150.000,00', // assigned
      '€ 107.345,68', // programmed
      '€ 55.000,00', // committed
      '€ 22.345,67', // paid
      '€ 95.000,00', // available: assigned minus committed
      'FNPS – Fondo Nazionale per le Politiche Sociali',
      'Famiglia e minori',
      'Inclusione e integrazione',
      'FNPS: almeno il 50% a Famiglia e minori',
      'rispettato',
      'Termine di spesa',
      'deliberazione n. 5/2029 del 01/03/2029',
      'Sesto San Giovanni',
      'Cologno Monzese',
      '€ 60.000,00',
      '€ 30.000,00',
    ])
      expect(flat).toContain(expected);
  });
});
