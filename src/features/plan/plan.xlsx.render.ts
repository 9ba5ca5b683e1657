import ExcelJS from 'exceljs';
import type { IndicatorView, PlanTree } from './plan.schemas.js';
import {
  ACTION_STATUS_LABELS,
  COLUMNS,
  OBJECTIVE_KIND_LABELS,
  PLAN_KEYS,
  PLAN_STATUS_LABELS,
  SHEETS,
  type SheetName,
} from './plan.xlsx.layout.js';

/** Excel keeps at most 32,767 characters in a cell: longer texts continue on the next rows. */
const CELL_TEXT_MAX = 32_000;
const DATE_FORMAT = 'dd/mm/yyyy';
const EURO_FORMAT = '"€" #,##0.00';

const toExcelDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};

/** The whole plan as a workbook, one sheet per level: what the import reads back. */
export async function renderPlanXlsx(tree: PlanTree): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ambito';
  wb.created = new Date();
  wb.title = tree.title;
  const sheet = (name: SheetName, widths: number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = COLUMNS[name].map((header, i) => ({ header, width: widths[i] ?? 16 }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };

  const plan = sheet(SHEETS.plan, [24, 100]);
  const put = (key: string, value: unknown) => plan.addRow([key, value]);
  put(PLAN_KEYS.ambito, tree.ambitoName);
  put(PLAN_KEYS.title, tree.title);
  put(PLAN_KEYS.period, tree.period);
  put(PLAN_KEYS.edition, tree.edition);
  put(PLAN_KEYS.startDate, toExcelDate(tree.startDate)).getCell(2).numFmt = DATE_FORMAT;
  put(PLAN_KEYS.endDate, toExcelDate(tree.endDate)).getCell(2).numFmt = DATE_FORMAT;
  put(PLAN_KEYS.status, PLAN_STATUS_LABELS[tree.status]);
  for (const [key, text] of [
    [PLAN_KEYS.governance, tree.governance],
    [PLAN_KEYS.methodology, tree.methodology],
  ] as const) {
    if (!text) put(key, '');
    for (let i = 0; i < text.length; i += CELL_TEXT_MAX) put(key, text.slice(i, i + CELL_TEXT_MAX));
  }
  plan.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  const objectives = sheet(SHEETS.objectives, [12, 60, 28, 12, 30, 60]);
  const specific = sheet(SHEETS.specific, [12, 18, 60, 60]);
  const actions = sheet(SHEETS.actions, [12, 18, 60, 30, 40, 12, 12, 14, 16]);
  const resources = sheet(SHEETS.resources, [12, 30, 16]);
  const indicators = sheet(SHEETS.indicators, [12, 12, 12, 50, 10, 12, 12, 14, 40, 16]);
  const targets = sheet(SHEETS.targets, [12, 8, 12]);

  const addIndicators = (list: IndicatorView[], ref: { objective?: string; action?: string }) => {
    for (const i of list) {
      const row = indicators.addRow([
        i.code,
        ref.objective ?? null,
        ref.action ?? null,
        i.name,
        i.kind,
        i.unit,
        i.baseline === null ? null : Number(i.baseline),
        i.baselineDate ? toExcelDate(i.baselineDate) : null,
        i.evaluationTool,
        i.lowerIsBetter ? 'sì' : 'no',
      ]);
      row.getCell(8).numFmt = DATE_FORMAT;
      for (const t of i.targets) targets.addRow([i.code, t.year, Number(t.target)]);
    }
  };

  for (const o of tree.objectives) {
    objectives.addRow([
      o.code,
      o.title,
      OBJECTIVE_KIND_LABELS[o.kind],
      o.macroArea?.code ?? null,
      o.leps.join(', '),
      o.needs,
    ]);
    addIndicators(o.indicators, { objective: o.code });
    for (const s of o.specific) {
      specific.addRow([s.code, o.code, s.title, s.needs]);
      addIndicators(s.indicators, { objective: s.code });
      for (const a of s.actions) {
        const row = actions.addRow([
          a.code,
          s.code,
          a.title,
          a.responsible,
          a.partners.join('; '),
          toExcelDate(a.startDate),
          toExcelDate(a.endDate),
          ACTION_STATUS_LABELS[a.status],
          a.staffHours,
        ]);
        row.getCell(6).numFmt = DATE_FORMAT;
        row.getCell(7).numFmt = DATE_FORMAT;
        for (const r of a.resources)
          resources.addRow([a.code, r.fund, r.amountCents / 100]).getCell(3).numFmt = EURO_FORMAT;
        addIndicators(a.indicators, { action: a.code });
      }
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
