import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { formatEuro } from '../../format.js';
import { XLSX_TYPE } from './plan.xlsx.js';

let t: TestApp;
let udp: Client;
let anonymous: Client;
let monza: string;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const items = (await t.app.inject({ url: '/api/v1/ambiti' })).json().items as Array<{
    id: string;
    code: string;
  }>;
  monza = items.find((a) => a.code === 'monza')?.id as string;
  udp = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: monza }]);
  anonymous = new Client(t.app);
  anonymous.csrf = (await anonymous.request({ url: '/api/v1/session' })).json().csrfToken;
});
afterAll(() => t?.close());

async function post(url: string, payload: unknown): Promise<string> {
  const res = await udp.request({ method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function newDraft(title: string) {
  return post('/api/v1/plans', {
    ambitoId: monza,
    title,
    period: '2025-2027',
    edition: 7,
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    governance: 'L’Assemblea dei Sindaci indirizza il Piano.\n\nL’Ufficio di Piano lo attua.',
    methodology: 'Dati ISTAT e dei servizi.',
  });
}

/** A plan with two general objectives, three specific ones, actions with resources, indicators. */
async function buildPlan(title: string) {
  const id = await newDraft(title);
  const p = `/api/v1/plans/${id}`;
  const og1 = await post(`${p}/objectives`, {
    code: 'OG1',
    title: 'Accesso ai servizi',
    kind: 'integrazione_sociosanitaria',
    macroAreaCode: 'A',
    leps: ['pua', 'servizio_sociale'],
    needs: 'Accesso frammentato',
  });
  const og2 = await post(`${p}/objectives`, {
    code: 'OG2',
    title: 'Domiciliarità',
    kind: 'territorio_comunita',
    macroAreaCode: 'D',
  });
  const os11 = await post(`${p}/objectives`, {
    parentId: og1,
    code: 'OS1.1',
    title: 'PUA',
    needs: 'Un solo punto',
  });
  const os12 = await post(`${p}/objectives`, { parentId: og1, code: 'OS1.2', title: 'Sportelli' });
  const os21 = await post(`${p}/objectives`, { parentId: og2, code: 'OS2.1', title: 'Assistenza a casa' });
  const a1 = await post(`${p}/actions`, {
    objectiveId: os11,
    code: 'A1',
    title: 'Apertura del PUA',
    responsible: 'Ufficio di Piano',
    partners: ['ASST Brianza', 'Cooperativa Il Sole'],
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    staffHours: 320,
    resources: [
      { fund: 'FNPS', amountCents: 1_234_567 },
      { fund: 'Fondo regionale', amountCents: 500_000 },
    ],
  });
  await post(`${p}/actions`, {
    objectiveId: os12,
    code: 'A2',
    title: 'Sportelli nei Comuni',
    responsible: 'Comune di Monza',
    startDate: '2025-03-01',
    endDate: '2026-06-30',
    status: 'running',
    staffHours: 200,
    resources: [{ fund: 'FNPS', amountCents: 1_111_100 }],
  });
  await post(`${p}/actions`, {
    objectiveId: os21,
    code: 'A3',
    title: 'SAD potenziato',
    responsible: 'Azienda speciale',
    startDate: '2026-01-01',
    endDate: '2027-12-31',
  });
  const i1 = await post(`${p}/indicators`, {
    actionId: a1,
    code: 'I1',
    name: 'Persone accolte',
    kind: 'output',
    unit: 'numero',
    baseline: '0',
    baselineDate: '2024-12-31',
    evaluationTool: 'Registro del PUA',
    targets: [
      { year: 2025, target: '300' },
      { year: 2026, target: '450' },
    ],
  });
  await post(`${p}/indicators`, {
    objectiveId: og1,
    code: 'I2',
    name: 'Tempo medio di presa in carico',
    kind: 'outcome',
    unit: 'giorni',
    baseline: '12.5',
    lowerIsBetter: true,
    targets: [{ year: 2027, target: '7' }],
  });
  await post(`${p}/indicators`, {
    objectiveId: os21,
    code: 'I3',
    name: 'Anziani assistiti a domicilio',
    kind: 'outcome',
    unit: 'percentuale',
    baseline: '4.2',
  });
  const value = await udp.request({
    method: 'POST',
    url: `${p}/indicators/${i1}/values`,
    payload: { measuredOn: '2025-06-30', value: '140', unit: 'numero', source: 'Registro del PUA' },
  });
  expect(value.statusCode, value.body).toBe(201);
  return id;
}

const tree = async (id: string) => {
  const res = await udp.request({ url: `/api/v1/plans/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** The plan's content without what the database assigns: ids, revisions, measured values. */
function content(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(content);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !['id', 'revision', 'values'].includes(k))
        .map(([k, v]) => [k, content(v)]),
    );
  return value;
}

async function exportXlsx(id: string): Promise<Buffer> {
  const res = await udp.request({ url: `/api/v1/plans/${id}/document.xlsx` });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain(XLSX_TYPE);
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="piano-di-zona-.*\.xlsx"$/);
  return res.rawPayload;
}

const importXlsx = (id: string, body: Buffer) =>
  udp.request({
    method: 'POST',
    url: `/api/v1/plans/${id}/import`,
    payload: body,
    headers: { 'content-type': XLSX_TYPE },
  });

describe('the plan documents', () => {
  let planId: string;
  beforeAll(async () => {
    planId = await buildPlan('Piano di Zona dell’Ambito di Monza 2025-2027');
  });

  it('prints the plan as a PDF with cover, index, the three parts and resources by fund', async () => {
    expect(formatEuro(1_234_567)).toBe('€ 12.345,67');
    const res = await udp.request({ url: `/api/v1/plans/${planId}/document.pdf` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="piano-di-zona-.*\.pdf"$/);
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { text } = await parser.getText();
    await parser.destroy();
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Piano di Zona dell’Ambito di Monza 2025-2027',
      'Settima edizione',
      'Stato: Bozza',
      'Indice',
      '1. Sistema di governance',
      'L’Ufficio di Piano lo attua.',
      '2. Obiettivi di programmazione',
      'OG1 – Accesso ai servizi',
      'Apertura del PUA',
      'Persone accolte',
      '3. Dati e metodologia',
      'Riepilogo delle risorse per fondo',
      // FNPS: 12.345,67 + 11.111,00; total with the regional fund: 28.456,67
      '€ 23.456,67',
      '€ 28.456,67',
      'Pagina 1 di',
    ])
      expect(flat).toContain(expected);
  });

  it('exports the plan as a workbook that imports back into a new draft as the same plan', async () => {
    const xlsx = await exportXlsx(planId);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Piano',
      'Obiettivi',
      'Obiettivi specifici',
      'Azioni',
      'Risorse',
      'Indicatori',
      'Target',
    ]);
    const actions = wb.getWorksheet('Azioni');
    expect(actions?.getRow(1).font?.bold).toBe(true);
    expect(actions?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(actions?.getCell('F2').value).toBeInstanceOf(Date);
    expect((wb.getWorksheet('Risorse') as ExcelJS.Worksheet).getCell('C2').value).toBe(12345.67);

    const copy = await newDraft('Copia importata');
    const res = await importXlsx(copy, xlsx);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      objectives: 2,
      specific: 3,
      actions: 3,
      resources: 3,
      indicators: 3,
      targets: 3,
    });
    const [original, imported] = [await tree(planId), await tree(copy)];
    expect(content(imported.objectives)).toEqual(content(original.objectives));
    expect(imported.objectives[0].specific[0].actions[0].indicators[0].values).toEqual([]);
  });

  it('refuses codes the plan already has, one error per row, and writes nothing', async () => {
    const xlsx = await exportXlsx(planId);
    const res = await importXlsx(planId, xlsx);
    expect(res.statusCode).toBe(422);
    const fields = (res.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toContain('Obiettivi riga 2 colonna A');
    expect(fields).toContain('Obiettivi specifici riga 4 colonna A');
    expect(fields).toContain('Azioni riga 3 colonna A');
    expect(fields).toContain('Indicatori riga 2 colonna A');
    expect((await tree(planId)).objectives).toHaveLength(2);
  });

  it('lists every error of a broken workbook with sheet, row and column, and imports nothing', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(planId)) as never);
    (wb.getWorksheet('Obiettivi') as ExcelJS.Worksheet).getCell('B2').value = null; // empty title
    const actions = wb.getWorksheet('Azioni') as ExcelJS.Worksheet;
    actions.getCell('F2').value = '31/02/2025'; // no such date
    actions.getCell('B3').value = 'OS9'; // unknown parent
    actions.getCell('H4').value = 'Forse'; // unknown status
    actions.getCell('I4').value = 'tante'; // bad number
    (wb.getWorksheet('Risorse') as ExcelJS.Worksheet).getCell('C2').value = '12,345'; // three decimals
    (wb.getWorksheet('Indicatori') as ExcelJS.Worksheet).getCell('F2').value = 'chili'; // unknown unit
    (wb.getWorksheet('Indicatori') as ExcelJS.Worksheet).getCell('E3').value = 'impatto'; // unknown kind
    wb.removeWorksheet((wb.getWorksheet('Target') as ExcelJS.Worksheet).id);
    const broken = Buffer.from(await wb.xlsx.writeBuffer());

    const target = await newDraft('Bersaglio di un file sbagliato');
    const res = await importXlsx(target, broken);
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors as Array<{ field: string; reason: string }>;
    const at = (field: string) => errors.find((e) => e.field === field)?.reason;
    expect(at('Target')).toMatch(/manca il foglio/);
    expect(at('Obiettivi riga 2 colonna B')).toMatch(/Titolo: obbligatorio/);
    expect(at('Azioni riga 2 colonna F')).toMatch(/data non valida/);
    expect(at('Azioni riga 3 colonna B')).toMatch(/OS9/);
    expect(at('Azioni riga 4 colonna H')).toMatch(/valore sconosciuto "Forse"/);
    expect(at('Azioni riga 4 colonna I')).toMatch(/numero non valido/);
    expect(at('Risorse riga 2 colonna C')).toMatch(/2 decimali/);
    expect(at('Indicatori riga 2 colonna F')).toMatch(/chili/);
    expect(at('Indicatori riga 3 colonna E')).toMatch(/impatto/);
    expect(res.json().detail).toMatch(/errori: nessun dato è stato importato/);
    expect((await tree(target)).objectives).toEqual([]);
  });

  it('keeps a draft’s documents from anyone outside the Ambito’s staff; an approved plan’s are public', async () => {
    const id = await buildPlan('Piano da approvare');
    for (const doc of ['document.pdf', 'document.xlsx'])
      expect((await anonymous.request({ url: `/api/v1/plans/${id}/${doc}` })).statusCode).toBe(404);
    const other = await clientWith(t, [
      {
        role: 'ufficio_di_piano',
        ambitoId: (await t.app.inject({ url: '/api/v1/ambiti' }))
          .json()
          .items.find((a: { code: string }) => a.code === 'sesto-san-giovanni').id,
      },
    ]);
    expect((await other.request({ url: `/api/v1/plans/${id}/document.pdf` })).statusCode).toBe(404);
    expect(
      (
        await anonymous.request({
          method: 'POST',
          url: `/api/v1/plans/${id}/import`,
          payload: Buffer.from('x'),
          headers: { 'content-type': XLSX_TYPE },
        })
      ).statusCode,
    ).toBeGreaterThanOrEqual(401);

    const act = await post(`/api/v1/ambiti/${monza}/acts`, {
      kind: 'delibera_assemblea',
      body: 'Assemblea dei Sindaci',
      number: '12',
      date: '2025-02-10',
      subject: 'Approvazione del Piano di Zona',
    });
    const etag = (await udp.request({ url: `/api/v1/plans/${id}` })).headers.etag as string;
    const approved = await udp.request({
      method: 'POST',
      url: `/api/v1/plans/${id}/transitions`,
      payload: { action: 'approve', actId: act },
      headers: { 'if-match': etag },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const res = await anonymous.request({ url: `/api/v1/plans/${id}/document.pdf` });
    expect(res.statusCode).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) });
    const text = (await parser.getText()).text.replace(/\s+/g, ' ');
    await parser.destroy();
    expect(text).toContain('Stato: Approvato');
    expect(text).toContain('Approvato con Delibera dell’Assemblea dei Sindaci n. 12 del 10/02/2025');
  });
});
