/**
 * The spending return (rendiconto) gathered for one year, as XLSX, and the PDF summary for the
 * Assemblea dei Sindaci (the matrix itself and the CSV are in report.ts). Every figure stays
 * integer cents until the very last step: the PDF prints them from their digits, only the XLSX
 * turns them into the euros a spreadsheet displays.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { DB } from '../../db/types.js';
import { formatEuro as euro, formatDate } from '../../format.js';
import type { Actor } from '../../http/auth.js';
import { invalid } from '../../http/errors.js';
import { renderPdf } from '../../pdf.js';
import { read } from './budget.service.js';
import * as q from './finance.queries.js';
import { type BudgetView, INTERVENTIONS } from './finance.schemas.js';
import {
  AREA_LABELS,
  buildMatrix,
  COLUMNS,
  FIGURES,
  formatBasisPoints,
  INTERVENTION_LABELS,
  rowFigures,
  type SpendingReport,
} from './report.js';
import type { SplitView } from './split.schemas.js';

/** Programmato = budget lines; impegnato and liquidato = the year's commitments and their payments. */
export function getSpendingReport(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  year: number,
  fundCode?: string,
): Promise<SpendingReport> {
  return read(db, actor, ambitoId, async (trx) => {
    const ambito = await trx
      .selectFrom('ambiti')
      .select(['id', 'name'])
      .where('id', '=', ambitoId)
      .executeTakeFirstOrThrow();
    const fund = fundCode ? await q.findFundByCode(trx, fundCode) : undefined;
    if (fundCode && !fund) throw invalid('fund', `fondo ${fundCode} sconosciuto`);
    const [placed, spending] = await Promise.all([
      q.listLinesWithPlace(trx, year),
      q.spendingByLineAndComune(trx, year),
    ]);
    const spent = new Map<string, { committed: number; paid: number }>();
    for (const s of spending) {
      const f = spent.get(s.budget_line_id) ?? { committed: 0, paid: 0 };
      f.committed += s.committed_cents;
      f.paid += s.paid_cents;
      spent.set(s.budget_line_id, f);
    }
    const lines = placed
      .filter((l) => !fund || l.fund_id === fund.id)
      .map((l) => ({
        id: l.id,
        fundCode: l.fund_code,
        code: l.code,
        action: { code: l.action_code, title: l.action_title },
        area: l.area,
        intervention: l.intervention,
        programmedCents: l.amount_cents,
        committedCents: spent.get(l.id)?.committed ?? 0,
        paidCents: spent.get(l.id)?.paid ?? 0,
      }));
    return {
      ambito,
      year,
      fund: fund ? { code: fund.code, name: fund.name } : null,
      interventions: INTERVENTIONS.map((code) => ({ code, label: INTERVENTION_LABELS[code] })),
      ...buildMatrix(lines),
      lines,
    };
  });
}

const EURO_FORMAT = '#,##0.00 €';
// The spreadsheet's display value: Excel keeps numbers as binary floats, so this is the one place
// cents become euros. Every total was already added up in integer cents before this division.
const spreadsheetEuros = (cents: number) => cents / 100; // money-boundary

export async function renderReportXlsx(report: SpendingReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ambito';
  wb.title = `Rendiconto ${report.year}`;

  const ws = wb.addWorksheet('Rendiconto', { views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }] });
  ws.getCell('A1').value =
    `${report.ambito.name} – Rendiconto ${report.year}${report.fund ? ` – ${report.fund.code} ${report.fund.name}` : ' – tutti i fondi'}`;
  ws.getCell('A1').font = { bold: true, size: 13 };
  ws.getCell('A2').value = 'Area di utenza';
  ws.mergeCells(2, 1, 3, 1);
  COLUMNS.forEach((label, i) => {
    const first = 2 + i * 3;
    ws.getCell(2, first).value = label;
    ws.mergeCells(2, first, 2, first + 2);
    ws.getCell(2, first).alignment = { horizontal: 'center' };
    FIGURES.forEach(([, name], k) => {
      ws.getCell(3, first + k).value = name.charAt(0).toUpperCase() + name.slice(1);
    });
  });
  for (const r of [2, 3]) ws.getRow(r).font = { bold: true };
  for (const row of [...report.rows, report.total]) {
    const added = ws.addRow([
      row.label,
      ...rowFigures(row).flatMap((f) => FIGURES.map(([key]) => spreadsheetEuros(f[key]))),
    ]);
    added.eachCell((cell, col) => {
      if (col > 1) cell.numFmt = EURO_FORMAT;
    });
    if (row.area === null) added.font = { bold: true };
  }
  ws.getColumn(1).width = 34;
  for (let c = 2; c <= 1 + COLUMNS.length * 3; c++) ws.getColumn(c).width = 15;

  const lines = wb.addWorksheet('Linee', { views: [{ state: 'frozen', ySplit: 1 }] });
  lines.columns = [
    { header: 'Fondo', width: 14 },
    { header: 'Codice', width: 14 },
    { header: 'Azione', width: 50 },
    { header: 'Area di utenza', width: 32 },
    { header: 'Intervento', width: 26 },
    ...FIGURES.map(([, name]) => ({ header: name.charAt(0).toUpperCase() + name.slice(1), width: 16 })),
  ];
  lines.getRow(1).font = { bold: true };
  for (const l of report.lines) {
    const row = lines.addRow([
      l.fundCode,
      l.code,
      `${l.action.code} – ${l.action.title}`,
      AREA_LABELS[l.area],
      INTERVENTION_LABELS[l.intervention],
      ...FIGURES.map(([key]) => spreadsheetEuros(l[key])),
    ]);
    for (let c = 6; c <= 8; c++) row.getCell(c).numFmt = EURO_FORMAT;
  }
  const total = lines.addRow([
    'Totale',
    '',
    '',
    '',
    '',
    ...FIGURES.map(([key]) => spreadsheetEuros(report.total.total[key])),
  ]);
  total.font = { bold: true };
  for (let c = 6; c <= 8; c++) total.getCell(c).numFmt = EURO_FORMAT;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- PDF summary for the Assemblea dei Sindaci ----

const th = (text: string, right = false): TableCell => ({
  text,
  style: 'th',
  ...(right ? { alignment: 'right' } : {}),
});
const money = (cents: number, bold = false): TableCell => ({ text: euro(cents), alignment: 'right', bold });
const table = (widths: Array<string | number>, body: TableCell[][]): Content => ({
  table: { headerRows: 1, dontBreakRows: true, widths, body },
  layout: 'lightHorizontalLines',
  style: 'table',
});
const none = (text: string): Content => ({ text, style: 'empty' });

function fundsTable(budget: BudgetView): Content {
  const head = ['Fondo', 'Assegnato', 'Programmato', 'Impegnato', 'Liquidato', 'Disponibile'];
  const t = budget.totals;
  return table(
    ['*', 80, 80, 80, 80, 80],
    [
      head.map((h, i) => th(h, i > 0)),
      ...budget.byFund.map((f) => [
        {
          stack: [
            `${f.code} – ${f.name}`,
            ...(f.carriedOverCents > 0
              ? [{ text: `di cui residui ${euro(f.carriedOverCents)}`, style: 'note' }]
              : []),
          ],
        },
        money(f.assignedCents),
        money(f.budgetedCents),
        money(f.committedCents),
        money(f.paidCents),
        money(f.availableCents),
      ]),
      [
        { text: 'Totale', bold: true },
        ...[t.assignedCents, t.budgetedCents, t.committedCents, t.paidCents, t.availableCents].map((c) =>
          money(c, true),
        ),
      ],
    ],
  );
}

function matrixTable(report: SpendingReport): Content {
  const body: TableCell[][] = [[th('Area di utenza'), th(''), ...COLUMNS.map((c) => th(c, true))]];
  for (const row of [...report.rows, report.total]) {
    const bold = row.area === null;
    FIGURES.forEach(([key, name], k) => {
      body.push([
        k === 0 ? { text: row.label, rowSpan: 3, bold } : '',
        { text: name, style: 'note' },
        ...rowFigures(row).map((f) => money(f[key], bold)),
      ]);
    });
  }
  return table([110, 50, '*', '*', '*', '*', '*', '*', '*'], body);
}

export interface SummaryInput {
  report: SpendingReport;
  budget: BudgetView;
  splits: SplitView[];
}

export async function renderSummaryPdf({ report, budget, splits }: SummaryInput): Promise<Buffer> {
  const name = report.ambito.name;
  const year = report.year;
  const t = budget.totals;
  const content: Content[] = [
    { text: name, style: 'subtitle' },
    { text: `Bilancio dei fondi ${year}`, style: 'title' },
    {
      text: `Sintesi per l’Assemblea dei Sindaci – esercizio ${budget.closed ? 'chiuso' : 'aperto'}, situazione al ${formatDate(new Date().toISOString().slice(0, 10))}`,
      style: 'subtitle',
    },
    { text: 'Totali', style: 'h2' },
    table(
      ['*', '*', '*', '*', '*'],
      [
        ['Assegnato', 'Programmato', 'Impegnato', 'Liquidato', 'Disponibile'].map((h) => th(h, true)),
        [t.assignedCents, t.budgetedCents, t.committedCents, t.paidCents, t.availableCents].map((c) =>
          money(c, true),
        ),
      ],
    ),
    { text: 'Per fondo', style: 'h2' },
    budget.byFund.length ? fundsTable(budget) : none('Nessun fondo assegnato per l’anno.'),
    { text: 'Spesa per area di utenza e tipo di intervento', style: 'h2', pageBreak: 'before' },
    {
      text: 'Programmato: linee di bilancio; impegnato e liquidato: impegni dell’anno e loro liquidazioni.',
      style: 'note',
    },
    matrixTable(report),
    { text: 'Vincoli dei fondi', style: 'h2' },
    budget.constraints.length
      ? {
          ul: budget.constraints.map(
            (c) =>
              `${c.fundCode}: almeno il ${formatBasisPoints(c.requiredBasisPoints)} a ${AREA_LABELS[c.area]} – richiesti ${euro(c.requiredCents)}, programmati ${euro(c.budgetedCents)}: ${c.met ? 'rispettato' : 'NON rispettato'}`,
          ),
          style: 'body',
        }
      : none('Nessun vincolo di destinazione per l’anno.'),
    { text: 'Scadenze', style: 'h2' },
    budget.deadlines.length
      ? table(
          [70, 90, 110, '*'],
          [
            [th('Data'), th('Fondo'), th('Scadenza'), th('Ancora da liquidare', true)],
            ...budget.deadlines.map((d) => [
              formatDate(d.date),
              d.fundCode,
              d.kind === 'spesa' ? 'Termine di spesa' : 'Rendicontazione',
              money(d.remainingCents),
            ]),
          ],
        )
      : none('Nessuna scadenza registrata.'),
    { text: 'Riparti approvati', style: 'h2' },
    ...(splits.length
      ? splits.flatMap((s): Content[] => [
          { text: `${s.fundCode} ${s.year} – ${euro(s.totalCents)}`, style: 'h3' },
          {
            text: `Approvato con deliberazione n. ${s.act.number} del ${formatDate(s.act.date)}: ${s.act.subject}`,
            style: 'body',
          },
          table(
            ['*', 110],
            [
              [th('Comune'), th('Quota', true)],
              ...s.lines.map((l) => [l.name, money(l.amountCents)]),
              [{ text: 'Totale', bold: true }, money(s.totalCents, true)],
            ],
          ),
        ])
      : [none('Nessun riparto approvato per l’anno.')]),
  ];
  const doc: TDocumentDefinitions = {
    info: {
      title: `Bilancio dei fondi ${year}`,
      author: name,
      subject: 'Sintesi per l’Assemblea dei Sindaci',
    },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: 'Roboto', fontSize: 9, lineHeight: 1.15 },
    footer: (page, pages) => ({
      text: `${name} – Bilancio dei fondi ${year} – pagina ${page} di ${pages}`,
      alignment: 'center',
      style: 'note',
      margin: [0, 12, 0, 0],
    }),
    content,
    styles: {
      title: { fontSize: 20, bold: true, margin: [0, 2, 0, 4] },
      subtitle: { fontSize: 11, color: '#444444' },
      h2: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
      h3: { fontSize: 10, bold: true, margin: [0, 8, 0, 2] },
      body: { margin: [0, 0, 0, 4] },
      empty: { italics: true, color: '#666666' },
      note: { fontSize: 7, color: '#555555' },
      table: { fontSize: 8, margin: [0, 2, 0, 6] },
      th: { bold: true, fillColor: '#eeeeee' },
    },
  };
  return renderPdf(doc);
}
