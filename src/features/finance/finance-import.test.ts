import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { withTenant } from '../../db/scope.js';
import { officeActor } from '../../http/auth.js';
import { DomainError } from '../../http/errors.js';
import { IMPORT_HEADER, parseAccountingCsv } from './accounting-csv.js';
import { applyImport, checkImport } from './finance.import.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/finance');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const HEADER = IMPORT_HEADER.join(';');
const COMMIT_ACT = 'determina_udp;45/2026;15/03/2026';

let t: TestApp;
let sesto: string;
let office: Client;
let base: string;
const lines: Record<string, string> = {};
let commitAct: string;

async function post(url: string, payload: unknown): Promise<string> {
  const res = await office.request({ method: 'POST', url: `${base}${url}`, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const importCsv = (body: Buffer | string, dryRun: boolean, client = office) =>
  client.request({
    method: 'POST',
    url: `${base}/finance/import?dryRun=${dryRun}`,
    payload: body,
    headers: { 'content-type': 'text/csv' },
  });
const budget = async () => (await office.request({ url: `${base}/budget?year=2026` })).json();
const commitmentsOn = async (code: string) =>
  (await office.request({ url: `${base}/budget-lines/${lines[code]}` })).json().commitments as Array<{
    number: string;
    payeeName: string;
    description: string;
    payments: Array<{ number: string; amountCents: number; payeeName: string }>;
  }>;

/** Audit rows of Sesto, read as the owner (the app role sees none outside a tenant session). */
async function auditCount(action: string) {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const rows = await trx
      .selectFrom('audit_log')
      .select(['detail'])
      .where('ambito_id', '=', sesto)
      .where('action', '=', action)
      .execute();
    await sql`set role ambito_app`.execute(trx);
    return rows;
  });
}

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
  const action = tree.objectives[0].specific[0].actions[0].id as string;
  const act = (kind: string, number: string, date: string) =>
    post('/acts', { kind, body: 'Ambito di Sesto San Giovanni', number, date, subject: `Atto ${number}` });
  const decree = await act('decreto', 'DGR XII/2026-100', '2026-02-10');
  commitAct = await act('determina_udp', '45/2026', '2026-03-15');
  await act('determina_udp', '60/2026', '2026-04-28');
  const assignmentId = await post('/fund-assignments', {
    fundCode: 'FNPS',
    year: 2026,
    amountCents: 100_000_00,
    actId: decree,
  });
  for (const [code, area, intervention, amountCents] of [
    ['IMP-01', 'famiglia_minori', 'presa_in_carico', 50_000_00],
    ['IMP-02', 'poverta_esclusione', 'accesso', 10_000_00],
  ] as const)
    lines[code] = await post('/budget-lines', {
      assignmentId,
      code,
      actionId: action,
      area,
      intervention,
      amountCents,
    });
});
afterAll(() => t?.close());

describe('import of commitments and payments from the accounting system', () => {
  it('shows in a dry run what would change, and writes nothing', async () => {
    const before = await budget();
    const res = await importCsv(fixture('contabilita-2026.csv'), true);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.dryRun).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.changes).toEqual([
      expect.objectContaining({
        line: 2,
        kind: 'impegno',
        number: '101',
        action: 'insert',
        amountCents: 20_000_00,
        budgetLine: 'IMP-01',
      }),
      expect.objectContaining({
        line: 3,
        kind: 'impegno',
        number: '102',
        action: 'insert',
        amountCents: 4_500_50,
      }),
      expect.objectContaining({
        line: 4,
        kind: 'liquidazione',
        number: '501',
        action: 'insert',
        commitment: '101',
      }),
      expect.objectContaining({
        line: 5,
        kind: 'liquidazione',
        number: '502',
        action: 'insert',
        commitment: '102',
      }),
    ]);
    expect(body.counts).toEqual({ commitments: 2, payments: 2, unchanged: 0 });
    expect(await budget()).toEqual(before);
  });

  it('imports everything in one go, with one audit entry for the import and one per movement', async () => {
    const before = await budget();
    const audited = {
      commitments: (await auditCount('finance.commitment.create')).length,
      payments: (await auditCount('finance.payment.create')).length,
    };
    const res = await importCsv(fixture('contabilita-2026.csv'), false);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toEqual({ commitments: 2, payments: 2, unchanged: 0 });
    const after = await budget();
    expect(after.totals.committedCents - before.totals.committedCents).toBe(24_500_50);
    expect(after.totals.paidCents - before.totals.paidCents).toBe(12_000_75);
    const [c102] = await commitmentsOn('IMP-02');
    expect(c102).toMatchObject({
      number: '102',
      payeeName: 'Comune di Cologno Monzese',
      description: 'Sportello di accesso; apertura serale',
      payments: [{ number: '502', amountCents: 4_500_50, payeeName: 'Comune di Cologno Monzese' }],
    });
    expect(await auditCount('finance.import')).toEqual([
      { detail: expect.objectContaining({ commitments: 2, payments: 2, unchanged: 0, rows: 4 }) },
    ]);
    expect(await auditCount('finance.commitment.create')).toHaveLength(audited.commitments + 2);
    expect(await auditCount('finance.payment.create')).toHaveLength(audited.payments + 2);
  });

  it('leaves rows already registered as they are, and refuses to change them silently', async () => {
    const again = await importCsv(fixture('contabilita-2026.csv'), false);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().changes.map((c: { action: string }) => c.action)).toEqual(Array(4).fill('unchanged'));
    expect(again.json().counts).toEqual({ commitments: 0, payments: 0, unchanged: 4 });
    expect(await commitmentsOn('IMP-01')).toHaveLength(1);

    const changed = fixture('contabilita-2026.csv').toString('utf8').replace('7.500,25', '7.500,26');
    const res = await importCsv(changed, true);
    expect(res.json().errors).toEqual([
      { line: 4, field: 'numero', reason: 'liquidazione 501/2026 già registrata con dati diversi (importo)' },
    ]);
  });

  it('answers a wrong header with one error naming the expected header', async () => {
    const res = await importCsv(fixture('contabilita-intestazione.csv'), false);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([
      {
        field: 'riga 1: intestazione',
        reason: `intestazione non valida (separatore «,» invece di «;»?): attesa «${HEADER}»`,
      },
    ]);
  });

  it('lists every error of the file with its line, and writes nothing', async () => {
    const dry = await importCsv(fixture('contabilita-errori.csv'), true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().errors).toEqual([
      { line: 2, field: 'importo', reason: expect.stringContaining('separatori misti') },
      { line: 3, field: 'importo', reason: 'più di due decimali' },
      { line: 4, field: 'importo', reason: 'importo negativo: non ammesso' },
      {
        line: 5,
        field: 'atto_numero',
        reason: expect.stringContaining('atto sconosciuto: determina_udp n. 99/2026'),
      },
      { line: 6, field: 'linea', reason: 'linea di bilancio IMP-99 sconosciuta per il 2026' },
      { line: 7, field: 'impegno', reason: 'impegno 999/2026 sconosciuto' },
      { line: 8, field: 'data', reason: 'data non valida: usare gg/mm/aaaa' },
    ]);
    expect(dry.json().changes).toEqual([expect.objectContaining({ line: 9, action: 'insert' })]);

    const before = await budget();
    const res = await importCsv(fixture('contabilita-errori.csv'), false);
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem.detail).toBe('Il file contiene 7 errori: nessun dato è stato importato');
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual([
      'riga 2: importo',
      'riga 3: importo',
      'riga 4: importo',
      'riga 5: atto_numero',
      'riga 6: linea',
      'riga 7: impegno',
      'riga 8: data',
    ]);
    expect(await budget()).toEqual(before);
  });

  it('refuses a commitment over what is left on its line, naming the line, and writes nothing', async () => {
    const before = await commitmentsOn('IMP-02');
    const res = await importCsv(fixture('contabilita-oltre.csv'), false);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'riga 3: importo', reason: 'supera il disponibile della linea IMP-02: € 4.499,50' },
    ]);
    expect(await commitmentsOn('IMP-02')).toEqual(before);
  });

  it('checks the order and the amounts of payments within the file', async () => {
    const csv = [
      HEADER,
      `liquidazione;2026;801;30/04/2026;10,00;;800;${COMMIT_ACT};;;;`,
      `impegno;2026;800;20/03/2026;100,00;IMP-01;;${COMMIT_ACT};ente;Cooperativa sociale Aurora;;`,
      `liquidazione;2026;802;30/04/2026;100,01;;800;${COMMIT_ACT};;;;`,
      `liquidazione;2026;803;19/03/2026;1,00;;800;${COMMIT_ACT};;;;`,
      `impegno;2026;800;20/03/2026;100,00;IMP-01;;${COMMIT_ACT};ente;Cooperativa sociale Aurora;;`,
      `impegno;2026;804;20/03/2026;100,00;IMP-01;;${COMMIT_ACT};ente;Cooperativa sociale Aurora`,
    ].join('\n');
    const res = await importCsv(csv, true);
    expect(res.json().errors).toEqual([
      {
        line: 2,
        field: 'impegno',
        reason: 'l’impegno 800/2026 è alla riga 3: metterlo prima delle sue liquidazioni',
      },
      { line: 4, field: 'importo', reason: 'supera quanto resta da liquidare sull’impegno 800: € 100,00' },
      { line: 5, field: 'data', reason: 'la liquidazione non può precedere l’impegno' },
      { line: 6, field: 'numero', reason: 'impegno 800/2026 ripetuto: già alla riga 3' },
      { line: 7, field: 'riga', reason: '12 campi invece di 14 (separatore «;» mancante o in più?)' },
    ]);
  });

  it('reads a windows-1252 file with accented payee names', async () => {
    const res = await importCsv(fixture('contabilita-cp1252.csv'), false);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toEqual({ commitments: 1, payments: 1, unchanged: 0 });
    const imported = (await commitmentsOn('IMP-01')).find((c) => c.number === '401');
    expect(imported).toMatchObject({
      payeeName: 'Società Cooperativa «Àncora»',
      description: 'Attività per l’infanzia',
      payments: [{ number: '402', payeeName: 'Società Cooperativa «Àncora»' }],
    });
  });

  it('aborts the whole import when a money guard refuses a row written meanwhile, naming its line', async () => {
    const csv = [
      HEADER,
      `impegno;2026;901;23/03/2026;10,00;IMP-01;;${COMMIT_ACT};ente;Associazione Il Ponte;;`,
      `impegno;2026;902;23/03/2026;3.000,00;IMP-02;;${COMMIT_ACT};ente;Associazione Il Ponte;;`,
    ].join('\n');
    const file = await parseAccountingCsv(Buffer.from(csv));
    const plan = await withTenant(t.database.db, { ambitoId: sesto }, (trx) => checkImport(trx, file));
    expect(plan.errors).toEqual([]);
    // Between the check and the write, another user commits what is left on IMP-02.
    await post('/commitments', {
      budgetLineId: lines['IMP-02'],
      number: 'API-1',
      actId: commitAct,
      date: '2026-03-23',
      amountCents: 5_000_00,
      payeeKind: 'ente',
      payeeName: 'Cooperativa sociale Aurora',
    });
    const error = await withTenant(t.database.db, { ambitoId: sesto }, (trx) =>
      applyImport(trx, officeActor('test', sesto), sesto, plan),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).errors).toEqual([
      {
        field: 'riga 3: importo',
        reason: expect.stringContaining('supera il disponibile della linea di bilancio'),
      },
    ]);
    expect((await commitmentsOn('IMP-01')).map((c) => c.number)).not.toContain('901');
  });

  it('is for the Ufficio di Piano only, and wants a CSV body', async () => {
    const mayor = await clientWith(t, [{ role: 'assemblea', ambitoId: sesto, comuneIstat: '015081' }]);
    expect((await importCsv(fixture('contabilita-2026.csv'), true, mayor)).statusCode).toBe(403);
    const json = await office.request({
      method: 'POST',
      url: `${base}/finance/import?dryRun=true`,
      payload: {},
    });
    expect(json.statusCode).toBe(422);
    // Up to 5 MB (above the API's usual 1 MB), not more.
    const big = await importCsv(`${HEADER}\n${'x'.repeat(2 * 1024 * 1024)}`, true);
    expect(big.statusCode, big.body).toBe(200);
    expect(big.json().errors).toEqual([
      {
        line: 2,
        field: 'file',
        reason: 'riga di oltre 10.000 caratteri: il resto del file non è leggibile',
      },
    ]);
    const over = await importCsv(Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), true);
    expect(over.statusCode).toBe(413);
    expect(over.json().detail).toBe(
      'Il corpo della richiesta supera la dimensione massima consentita (5 MB)',
    );
  });

  it('refuses whole, with a 413 naming the limit, a file of too many rows, lines or separators', async () => {
    const row = (n: number) =>
      `impegno;2026;${n};23/03/2026;1,00;IMP-01;;${COMMIT_ACT};ente;Associazione Il Ponte;;`;
    const rows = Array.from({ length: 20_001 }, (_, i) => row(10_000 + i));
    const tooMany = await importCsv([HEADER, ...rows].join('\n'), true);
    expect(tooMany.statusCode, tooMany.body).toBe(413);
    expect(tooMany.json().detail).toBe(
      'Il file della contabilità: contiene più di 20.000 movimenti, il massimo per un’importazione: dividere il file',
    );
    // Empty records are skipped by the parser: the lines are counted before it runs.
    const blank = await importCsv(`${HEADER}\n${';;;;;;;;;;;;;\n'.repeat(300_000)}`, true);
    expect(blank.statusCode).toBe(413);
    expect(blank.json().detail).toBe(
      'Il file della contabilità: contiene 300.002 righe, il massimo è 25.000 (al più 20.000 movimenti per importazione): dividere il file',
    );
    // Millions of empty fields on one line: refused before the parser spends a call on each.
    const wide = await importCsv(`${HEADER}\n${';'.repeat(4 * 1024 * 1024)}`, true);
    expect(wide.statusCode).toBe(413);
    expect(wide.json().detail).toMatch(/^Il file della contabilità: contiene 4\.194\.317 separatori «;»/);
  });

  it('reads a file near its limits whole, by slices: 19,000 rows, each checked', async () => {
    const row = (n: number) =>
      `impegno;2026;${n};23/03/2026;1,00;IMP-99;;${COMMIT_ACT};ente;Associazione Il Ponte;;${'descrizione '.repeat(14)}`;
    const csv = [HEADER, ...Array.from({ length: 19_000 }, (_, i) => row(50_000 + i))].join('\n');
    expect(csv.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(csv.length).toBeLessThan(5 * 1024 * 1024);
    const res = await importCsv(csv, true);
    expect(res.statusCode, res.body).toBe(200);
    const errors = res.json().errors as Array<{ line: number; field: string; reason: string }>;
    // A dry run lists the first 200 errors; the last row read is the file's last.
    expect(errors).toHaveLength(200);
    expect(errors[0]).toEqual({
      line: 2,
      field: 'linea',
      reason: 'linea di bilancio IMP-99 sconosciuta per il 2026',
    });
    const file = await parseAccountingCsv(Buffer.from(csv));
    expect(file.rows).toHaveLength(19_000);
    expect(file.rows.at(-1)?.line).toBe(19_001);
  });

  it('is described in the OpenAPI document', async () => {
    const paths = (await office.request({ url: '/api/openapi.json' })).json().paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/ambiti/{id}/finance/import',
        '/api/v1/ambiti/{id}/finance/report',
        '/api/v1/ambiti/{id}/finance/report.csv',
        '/api/v1/ambiti/{id}/finance/report.xlsx',
        '/api/v1/ambiti/{id}/finance/summary.pdf',
      ]),
    );
    expect(paths['/api/v1/ambiti/{id}/finance/import'].post.tags).toEqual(['bilancio e fondi']);
  });
});
