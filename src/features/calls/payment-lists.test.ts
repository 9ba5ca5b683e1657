import { CodiceFiscale } from 'codice-fiscale-js';
import ExcelJS from 'exceljs';
import { type RawBuilder, sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { type Client, clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../../../test/helpers/calls.js';
import type { DB } from '../../db/types.js';
import { instalmentPlan, nextInstalment } from './payment-lists.service.js';

let t: TestApp;
let sesto: string;
let office: Client;
let citizen: Client;
let call: { id: string; budgetLineId: string };
let determina: string;
const apps: Array<{ applicationId: string; protocol: string }> = [];

// The ranking as the final graduatoria leaves it: an odd award, to see the cents of the instalments.
const AWARDS = [
  { outcome: 'funded', cents: 100_001 },
  { outcome: 'partially_funded', cents: 50_000 },
  { outcome: 'not_funded', cents: 0 },
  { outcome: 'funded', cents: 70_000 }, // withdrawn below: never paid
] as const;

const listsUrl = () => `/api/v1/calls/${call.id}/payment-lists`;
const createList = (c: Client, payload: Record<string, unknown>) =>
  c.request({
    method: 'POST',
    url: listsUrl(),
    payload: { actId: determina, executionDate: '2026-03-10', ...payload },
  });
const line = async () =>
  (await office.request({ url: `/api/v1/ambiti/${sesto}/budget-lines/${call.budgetLineId}` })).json();

/** As the database owner (outside row-level security), for what this feature does not do itself. */
function owner<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return t.database.db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    const out = await fn(trx);
    await sql`set role ambito_app`.execute(trx);
    return out;
  });
}
const run = (statements: Array<RawBuilder<unknown>>) =>
  owner(async (trx) => {
    for (const s of statements) await s.execute(trx);
  });

/**
 * The final ranking, as the ranking feature leaves it: applications reviewed, entries with
 * their awards, the call closed and final (calls_frozen refuses moving the window: it is
 * lifted for this one owner update).
 */
async function finalRanking() {
  const entry = (id: string, i: number) => sql`
    insert into ranking_entries (ambito_id, call_id, application_id, position, points, outcome, awarded_cents)
    values (${sesto}, ${call.id}, ${id}, ${i + 1}, ${100 - i}, ${AWARDS[i]?.outcome}, ${AWARDS[i]?.cents})`;
  const fourth = apps[3]?.applicationId;
  await run([
    sql`update applications set status = 'admissible' where call_id = ${call.id}`,
    ...apps.map((a, i) => entry(a.applicationId, i)),
    sql`update applications set status = 'withdrawn' where id = ${fourth}`,
    sql`alter table calls disable trigger calls_frozen`,
    sql`update calls set status = 'final', ranked_at = now(), final_at = now(),
      opens_at = now() - interval '2 days', closes_at = now() - interval '1 day'
      where id = ${call.id}`,
    sql`alter table calls enable trigger calls_frozen`,
  ]);
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
  office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  citizen = await clientWith(t, [{ role: 'cittadino' }]);
  call = await createCall(office, sesto, { budgetCents: 500_000 });
  const nicolo = CodiceFiscale.compute({
    name: 'Nicolo',
    surname: "D'Arpino",
    gender: 'M',
    day: 1,
    month: 1,
    year: 1930,
    birthplace: 'F704',
  });
  for (const [i, over] of [
    {
      firstName: 'Nicolò',
      lastName: "D'Àrpino",
      codiceFiscale: nicolo,
      birthDate: '1930-01-01',
      gender: 'M' as const,
    },
    {},
    {},
    {},
  ].entries()) {
    const res = await citizen.request({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/applications`,
      headers: { 'idempotency-key': `elenco-chiave-${i}` },
      payload: { applicant: buildB2Applicant(i + 1, over), attachments: b2Attachments() },
    });
    expect(res.statusCode, res.body).toBe(201);
    apps.push(res.json());
  }
  const act = await office.request({
    method: 'POST',
    url: `/api/v1/ambiti/${sesto}/acts`,
    payload: {
      kind: 'determina_udp',
      body: 'Ufficio di Piano',
      number: `L-${Date.now() % 100000}`,
      date: '2026-03-02',
      subject: 'Liquidazione dei contributi del bando',
    },
  });
  expect(act.statusCode, act.body).toBe(201);
  determina = act.json().id;
});
afterAll(() => t?.close());

describe('instalments', () => {
  it('split an award exactly to the cent, the extra cents on the last ones', () => {
    expect(instalmentPlan(100_001, 3)).toEqual([33_333, 33_334, 33_334]);
    expect(instalmentPlan(50_000, 3)).toEqual([16_666, 16_667, 16_667]);
    expect(instalmentPlan(7, 12).reduce((a, b) => a + b, 0)).toBe(7);
    expect(instalmentPlan(99, 1)).toEqual([99]);
  });

  it('pay the next one, the last settling whatever is left of the award', () => {
    expect(nextInstalment(100_001, 0, 0, 3)).toBe(33_333);
    expect(nextInstalment(100_001, 33_333, 1, 3)).toBe(33_334);
    expect(nextInstalment(100_001, 66_667, 2, 3)).toBe(33_334);
    expect(nextInstalment(100_001, 100_001, 3, 3)).toBe(0);
    // an award raised after two instalments: the last one pays the difference too
    expect(nextInstalment(101_001, 66_667, 2, 3)).toBe(34_334);
    // an award lowered below what was paid: nothing more, never a negative line
    expect(nextInstalment(50_000, 60_000, 2, 3)).toBe(0);
  });
});

describe('creating payment lists', () => {
  it('waits for the final ranking', async () => {
    const res = await createList(office, { period: '2026-03' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('status');
    await finalRanking();
  });

  it('refuses a malformed period, an unknown act and an act that is not a determina', async () => {
    const bad = await createList(office, { period: '2026-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.period');
    const unknown = await createList(office, {
      period: '2026-03',
      actId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('actId');
    const delibera = (await office.request({ url: `/api/v1/calls/${call.id}` })).json().approvalAct.id;
    const wrong = await createList(office, { period: '2026-03', actId: delibera });
    expect(wrong.statusCode).toBe(422);
    const early = await createList(office, { period: '2026-03', executionDate: '2026-03-01' });
    expect(early.json().errors[0].field).toBe('executionDate');
  });

  it('commits the whole award on the call’s line at the first list and pays the first instalment', async () => {
    const before = await line();
    expect(before).toMatchObject({ committedCents: 0, paidCents: 0 });
    const res = await createList(office, { period: '2026-03', instalments: 3 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ period: '2026-03', totalCents: 33_333 + 16_666, lines: 2 });
    const after = await line();
    expect(after).toMatchObject({ committedCents: 150_001, paidCents: 49_999 });
    const commitment = after.commitments.find((c: { number: string }) => c.number.endsWith('/IMP'));
    expect(commitment).toMatchObject({ amountCents: 150_001, payeeKind: 'beneficiari' });
    expect(commitment.id).toBe(res.json().commitmentId);
  });

  it('refuses a second list for the same period', async () => {
    const again = await createList(office, { period: '2026-03', instalments: 3 });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('period');
  });

  it('pays the next instalments on the same commitment; they add up to the award exactly', async () => {
    for (const period of ['2026-04', '2026-05']) {
      const res = await createList(office, { period, instalments: 3, executionDate: `${period}-10` });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().totalCents).toBe(33_334 + 16_667);
    }
    expect(await line()).toMatchObject({ committedCents: 150_001, paidCents: 150_001 });
    const paid = await owner(async (trx) => {
      const { rows } = await sql<{ awarded: number; paid: number }>`
        select r.awarded_cents as awarded, coalesce(sum(l.amount_cents), 0)::bigint as paid
        from ranking_entries r left join payment_list_lines l on l.application_id = r.application_id
        where r.call_id = ${call.id} and r.outcome in ('funded', 'partially_funded')
        group by r.application_id, r.awarded_cents order by r.awarded_cents desc`.execute(trx);
      return rows;
    });
    // the withdrawn application (70 000) is never paid; the others exactly their award
    expect(paid).toEqual([
      { awarded: 100_001, paid: 100_001 },
      { awarded: 70_000, paid: 0 },
      { awarded: 50_000, paid: 50_000 },
    ]);
  });

  it('never pays more than awarded', async () => {
    const res = await createList(office, { period: '2026-06' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/già stati liquidati per intero/);
  });

  it('refuses, as a conflict, a list beyond what is left on the commitment', async () => {
    // A later change of award raises one of them: the commitment no longer covers it.
    await run([
      sql`update ranking_entries set awarded_cents = awarded_cents + 1000 where application_id = ${apps[1]?.applicationId}`,
    ]);
    const res = await createList(office, { period: '2026-07', executionDate: '2026-07-10' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/supera quanto resta da liquidare sull’impegno/);
    expect(await line()).toMatchObject({ paidCents: 150_001 });
  });

  it('lists the call’s payment lists without personal data', async () => {
    const res = await office.request({ url: listsUrl() });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((l: { period: string }) => l.period)).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(items.reduce((s: number, l: { totalCents: number }) => s + l.totalCents, 0)).toBe(150_001);
    expect(items[0]).toMatchObject({ lines: 2, executionDate: '2026-03-10' });
  });
});

describe('the files', () => {
  let listId: string;
  beforeAll(async () => {
    listId = (await office.request({ url: listsUrl() })).json().items[0].id;
  });
  const download = (c: Client, ext: string) => c.request({ url: `${listsUrl()}/${listId}.${ext}` });
  const exports = () =>
    owner(async (trx) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from audit_log where action = 'call.payment_list.export'
          and resource_id = ${listId} and purpose is not null`.execute(trx);
      return rows[0]?.n ?? 0;
    });

  it('CSV: UTF-8 with BOM, «;», amounts 1234,56, one row per beneficiary; audited, not cached', async () => {
    const before = await exports();
    const res = await download(office, 'csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toMatch(/elenco-.+-2026-03\.csv/);
    const text = res.rawPayload.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = text.slice(1).trim().split('\r\n');
    expect(rows[0]).toBe('Protocollo;Cognome;Nome;Codice fiscale;IBAN;Importo;Causale');
    expect(rows).toHaveLength(3);
    const [protocol, last, first, cf, iban, amount, causale] = (rows[1] as string).split(';');
    expect([protocol, last, first, amount]).toEqual([apps[0]?.protocol, "D'Àrpino", 'Nicolò', '333,33']);
    expect(cf).toMatch(/^DRPNCL30A01F704.$/);
    expect(iban).toBe('IT60X0542811101000000123456');
    expect(causale).toBe(`Bando ${protocol?.split('/')[0]} - contributo 2026-03 - prot. ${protocol}`);
    expect((rows[2] as string).split(';')[5]).toBe('166,66');
    expect(await exports()).toBe(before + 1);
  });

  it('XLSX: the same columns, amounts as numbers formatted in euro, and the total', async () => {
    const res = await download(office, 'xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('nessun foglio');
    expect(ws.getRow(1).values).toEqual([
      undefined,
      'Protocollo',
      'Cognome',
      'Nome',
      'Codice fiscale',
      'IBAN',
      'Importo',
      'Causale',
    ]);
    expect(ws.getCell('B2').value).toBe("D'Àrpino");
    expect(ws.getCell('F2').value).toBe(333.33);
    expect(ws.getCell('F2').numFmt).toBe('#,##0.00 €');
    expect(ws.getCell('F3').value).toBe(166.66);
    expect(ws.getCell('A4').value).toBe('Totale');
    expect(ws.getCell('F4').value).toBe(499.99);
  });

  it('XML: a SEPA pain.001 with the call’s account, the execution date and one transfer per line', async () => {
    const res = await download(office, 'xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['cache-control']).toBe('no-store');
    const doc = create(res.body).end({ format: 'object' }) as unknown as {
      Document: {
        '@xmlns': string;
        CstmrCdtTrfInitn: {
          GrpHdr: { MsgId: string; NbOfTxs: string; CtrlSum: string };
          PmtInf: {
            ReqdExctnDt: string;
            NbOfTxs: string;
            CtrlSum: string;
            Dbtr: { Nm: string };
            DbtrAcct: { Id: { IBAN: string } };
            CdtTrfTxInf: Array<{
              PmtId: { EndToEndId: string };
              Amt: { InstdAmt: { '#': string; '@Ccy': string } };
              Cdtr: { Nm: string };
              CdtrAcct: { Id: { IBAN: string } };
              RmtInf: { Ustrd: string };
            }>;
          };
        };
      };
    };
    const { GrpHdr, PmtInf } = doc.Document.CstmrCdtTrfInitn;
    expect(doc.Document['@xmlns']).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    expect(GrpHdr.MsgId).toBe(`PL-${listId.replace(/-/g, '')}`);
    expect(GrpHdr.MsgId.length).toBeLessThanOrEqual(35);
    expect([GrpHdr.NbOfTxs, GrpHdr.CtrlSum]).toEqual(['2', '499.99']);
    expect([PmtInf.NbOfTxs, PmtInf.CtrlSum, PmtInf.ReqdExctnDt]).toEqual(['2', '499.99', '2026-03-10']);
    expect(PmtInf.Dbtr.Nm).toBe('Comune capofila');
    expect(PmtInf.DbtrAcct.Id.IBAN).toBe('IT60X0542811101000000123456');
    const [first, second] = PmtInf.CdtTrfTxInf;
    expect(first?.Cdtr.Nm).toBe("Nicolo D'Arpino");
    expect(first?.Amt.InstdAmt).toEqual({ '@Ccy': 'EUR', '#': '333.33' });
    expect(second?.Amt.InstdAmt['#']).toBe('166.66');
    for (const tx of PmtInf.CdtTrfTxInf) {
      expect(tx.PmtId.EndToEndId).toMatch(/^[A-Za-z0-9/\-?:().,'+]{1,35}$/);
      expect(tx.PmtId.EndToEndId.endsWith('/202603')).toBe(true);
      expect(tx.RmtInf.Ustrd.length).toBeLessThanOrEqual(140);
    }
    // the same list gives the same message: the bank refuses it twice instead of paying twice
    expect((await download(office, 'xml')).body).toBe(res.body);
  });

  it('is for the Ambito’s office and auditors only', async () => {
    const revisore = await clientWith(t, [{ role: 'revisore', ambitoId: sesto }]);
    // Names, codici fiscali and IBANs: an auditor downloads them only for a stated purpose.
    const bare = await download(revisore, 'csv');
    expect(bare.statusCode).toBe(403);
    expect(bare.json().errors).toEqual([expect.objectContaining({ field: 'purpose' })]);
    const purpose = 'verifica a campione n. 7/2026 dei pagamenti';
    const stated = await revisore.request({
      url: `${listsUrl()}/${listId}.csv?purpose=${encodeURIComponent(purpose)}`,
    });
    expect(stated.statusCode).toBe(200);
    const recorded = await owner(async (trx) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from audit_log where action = 'call.payment_list.export'
          and resource_id = ${listId} and purpose = ${purpose}`.execute(trx);
      return rows[0]?.n ?? 0;
    });
    expect(recorded).toBe(1);
    expect((await revisore.request({ url: listsUrl() })).statusCode).toBe(200);
    expect((await createList(revisore, { period: '2026-08' })).statusCode).toBe(403);
    const social = await clientWith(t, [
      { role: 'assistente_sociale', ambitoId: sesto, comuneIstat: '015209' },
    ]);
    expect((await download(social, 'xml')).statusCode).toBe(403);
    expect((await createList(social, { period: '2026-08' })).statusCode).toBe(403);
    const other = (
      await t.database.db.selectFrom('ambiti').select('id').where('id', '<>', sesto).executeTakeFirstOrThrow()
    ).id;
    const elsewhere = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: other }]);
    expect((await download(elsewhere, 'csv')).statusCode).toBe(404);
    expect((await elsewhere.request({ url: listsUrl() })).statusCode).toBe(404);
    expect((await createList(elsewhere, { period: '2026-08' })).statusCode).toBe(404);
    expect((await download(citizen, 'xlsx')).statusCode).toBe(403);
    expect((await t.app.inject({ url: `${listsUrl()}/${listId}.csv` })).statusCode).toBe(401);
    const missing = await office.request({ url: `${listsUrl()}/00000000-0000-4000-8000-000000000000.csv` });
    expect(missing.statusCode).toBe(404);
  });
});
