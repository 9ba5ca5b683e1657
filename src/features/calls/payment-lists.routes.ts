import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { centsDigits, csvCents } from '../../format.js';
import { conflict } from '../../http/errors.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { IsoDate } from '../plan/plan.schemas.js';
import { CallParams, Purpose } from './calls.schemas.js';
import {
  createPaymentList,
  exportPaymentList,
  listPaymentLists,
  type PaymentListExport,
} from './payment-lists.service.js';
import { buildPain001, SepaError, sepaId } from './sepa.js';

export const PaymentListBody = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'periodo non valido: usare il formato AAAA-MM')
    .describe('il mese pagato, AAAA-MM; un solo elenco per periodo'),
  actId: z.uuid('atto non valido').describe('la determina di liquidazione, già nel registro degli atti'),
  executionDate: IsoDate.describe('data di esecuzione richiesta alla banca (AAAA-MM-GG)'),
  instalments: z
    .number()
    .int('numero intero di rate')
    .min(1, 'almeno 1 rata')
    .max(12, 'al massimo 12 rate')
    .default(1)
    .describe(
      'in quante rate uguali si paga ogni contributo (predefinito 1: tutto in un elenco); ogni elenco paga la rata successiva, l’ultima salda il resto',
    ),
});
export type PaymentListBody = z.infer<typeof PaymentListBody>;

export const PaymentListView = z.object({
  id: z.uuid(),
  period: z.string(),
  totalCents: z.number().int(),
  lines: z.number().int(),
  executionDate: IsoDate,
  payment: z.string().describe('numero della liquidazione in contabilità'),
  commitment: z.string().describe('numero dell’impegno del bando'),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type PaymentListView = z.infer<typeof PaymentListView>;

const Created = z.object({
  id: z.uuid(),
  period: z.string(),
  totalCents: z.number().int(),
  lines: z.number().int(),
  executionDate: IsoDate,
  commitmentId: z.uuid(),
  paymentId: z.uuid(),
});
const ListParams = CallParams.extend({ listId: z.uuid('identificativo non valido') });

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
const tags = ['bandi e domande'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['Protocollo', 'Cognome', 'Nome', 'Codice fiscale', 'IBAN', 'Importo', 'Causale'];

/** For Italian spreadsheets: UTF-8 with BOM, `;`, amounts "1234,56". */
export function renderListCsv(e: PaymentListExport): string {
  const rows = e.lines.map((l) => [
    l.protocol,
    l.lastName,
    l.firstName,
    l.codiceFiscale,
    l.iban,
    csvCents(l.amountCents),
    l.causale,
  ]);
  return `\uFEFF${stringify([HEADER, ...rows], { delimiter: ';', record_delimiter: '\r\n' })}`;
}

// The spreadsheet's display value, built from the digits (no division): the one place cents
// become euros. The total below was added up in integer cents first.
const spreadsheetEuros = (cents: number) => {
  const { sign, units, decimals } = centsDigits(cents);
  return Number(`${sign}${units}.${decimals}`); // money-boundary
};

export async function renderListXlsx(e: PaymentListExport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ambito';
  wb.title = `Elenco di pagamento ${e.call.code} ${e.list.period}`;
  const ws = wb.addWorksheet(`Elenco ${e.list.period}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: HEADER[0], width: 22 },
    { header: HEADER[1], width: 22 },
    { header: HEADER[2], width: 18 },
    { header: HEADER[3], width: 20 },
    { header: HEADER[4], width: 30 },
    { header: HEADER[5], width: 14, style: { numFmt: '#,##0.00 €' } },
    { header: HEADER[6], width: 60 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const l of e.lines)
    ws.addRow([
      l.protocol,
      l.lastName,
      l.firstName,
      l.codiceFiscale,
      l.iban,
      spreadsheetEuros(l.amountCents),
      l.causale,
    ]);
  const total = ws.addRow(['Totale', '', '', '', '', spreadsheetEuros(e.list.totalCents), '']);
  total.font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The SEPA file. MsgId is the list's own id: a repeated download gives the same message, which
 * the bank refuses as a duplicate instead of paying twice.
 */
export function renderListXml(e: PaymentListExport): string {
  try {
    return buildPain001({
      messageId: `PL-${e.list.id.replace(/-/g, '')}`,
      paymentInfoId: sepaId(`${e.call.code}/${e.list.period}`),
      createdAt: new Date(e.list.createdAt),
      executionDate: e.list.executionDate,
      debtor: { name: e.call.debtorName, iban: e.call.debtorIban },
      transfers: e.lines.map((l) => ({
        endToEndId: sepaId(`${l.protocol}/${e.list.period.replace('-', '')}`),
        amountCents: l.amountCents,
        creditorName: `${l.firstName} ${l.lastName}`,
        creditorIban: l.iban,
        remittance: l.causale,
      })),
    });
  } catch (err) {
    if (err instanceof SepaError) throw conflict(err.field, `file SEPA non generabile: ${err.message}`);
    throw err;
  }
}

const filename = (e: PaymentListExport, ext: string) =>
  `elenco-${e.call.code.replace(/[^\w-]/g, '_')}-${e.list.period}.${ext}`;

/** Payment lists of a call; the files carry personal data: no-store, and every download is audited. */
export function paymentListRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.post('/api/v1/calls/:callId/payment-lists', {
    schema: {
      tags,
      summary:
        'Crea l’elenco di pagamento di un periodo (graduatoria definitiva): impegno del bando alla prima volta, liquidazione del totale, righe per beneficiario',
      params: CallParams,
      body: PaymentListBody,
      response: { 201: Created, ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await createPaymentList(db, req.actor, req.params.callId, req.body)),
  });

  r.get('/api/v1/calls/:callId/payment-lists', {
    schema: {
      tags,
      summary: 'Elenchi di pagamento del bando: periodo, totale, righe',
      params: CallParams,
      response: { 200: z.object({ items: z.array(PaymentListView) }), ...errors },
    },
    handler: async (req) => ({ items: await listPaymentLists(db, req.actor, req.params.callId) }),
  });

  const file = (
    ext: 'csv' | 'xlsx' | 'xml',
    summary: string,
    type: string,
    render: (e: PaymentListExport) => unknown,
  ) =>
    r.get(`/api/v1/calls/:callId/payment-lists/:listId.${ext}`, {
      schema: {
        tags,
        summary,
        params: ListParams,
        querystring: Purpose,
        response: { 200: z.any(), ...errors },
      },
      handler: async (req, reply) => {
        const { callId, listId } = req.params;
        const e = await exportPaymentList(db, req.actor, callId, listId, ext, req.query.purpose);
        return reply
          .type(type)
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${filename(e, ext)}"`)
          .send(await render(e));
      },
    });
  file(
    'csv',
    'Elenco in CSV (UTF-8 con BOM, separatore ;): protocollo, cognome, nome, codice fiscale, IBAN, importo 1234,56, causale',
    'text/csv; charset=utf-8',
    renderListCsv,
  );
  file('xlsx', 'Elenco in Excel, stesse colonne del CSV', XLSX_TYPE, renderListXlsx);
  file(
    'xml',
    'Disposizione di bonifici SEPA (ISO 20022 pain.001.001.03) da caricare sull’home banking del tesoriere',
    'application/xml; charset=utf-8',
    renderListXml,
  );
}
