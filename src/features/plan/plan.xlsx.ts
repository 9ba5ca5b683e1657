import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { DomainError, type FieldError } from '../../http/errors.js';
import { applyChange, type PlanRow, withPlan } from './plan.context.js';
import {
  type ACTION_STATUSES,
  type ActionInput,
  type IndicatorInput,
  type IndicatorView,
  type OBJECTIVE_KINDS,
  type ObjectiveInput,
  type PLAN_STATUSES,
  type PlanTree,
  UNITS,
} from './plan.schemas.js';
import { insertActionIn, insertIndicatorIn, insertObjectiveIn } from './plan-items.service.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type ObjectiveKind = (typeof OBJECTIVE_KINDS)[number];
type ActionStatus = (typeof ACTION_STATUSES)[number];
type Unit = (typeof UNITS)[number];

export const OBJECTIVE_KIND_LABELS: Record<ObjectiveKind, string> = {
  integrazione_sociosanitaria: 'Integrazione sociosanitaria',
  territorio_comunita: 'Territorio e comunità',
  gestione_associata: 'Gestione associata',
};
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  planned: 'Programmata',
  running: 'In corso',
  done: 'Conclusa',
  suspended: 'Sospesa',
};
export const PLAN_STATUS_LABELS: Record<(typeof PLAN_STATUSES)[number], string> = {
  draft: 'Bozza',
  approved: 'Approvato',
  in_force: 'In vigore',
  extended: 'Prorogato',
  closed: 'Chiuso',
};

/** The sheets of the workbook and their columns, in order: the export writes them, the import reads them. */
export const SHEETS = {
  plan: 'Piano',
  objectives: 'Obiettivi',
  specific: 'Obiettivi specifici',
  actions: 'Azioni',
  resources: 'Risorse',
  indicators: 'Indicatori',
  targets: 'Target',
} as const;
type SheetName = (typeof SHEETS)[keyof typeof SHEETS];

const COLUMNS = {
  Piano: ['Voce', 'Valore'],
  Obiettivi: ['Codice', 'Titolo', 'Tipo', 'Macro-area', 'LEPS', 'Bisogni'],
  'Obiettivi specifici': ['Codice', 'Obiettivo generale', 'Titolo', 'Bisogni'],
  Azioni: [
    'Codice',
    'Obiettivo specifico',
    'Titolo',
    'Responsabile',
    'Partner',
    'Inizio',
    'Fine',
    'Stato',
    'Ore di personale',
  ],
  Risorse: ['Azione', 'Fondo', 'Importo (€)'],
  Indicatori: [
    'Codice',
    'Obiettivo',
    'Azione',
    'Nome',
    'Tipo',
    'Unità',
    'Baseline',
    'Data baseline',
    'Strumento di valutazione',
    'Minore è meglio',
  ],
  Target: ['Indicatore', 'Anno', 'Target'],
} as const satisfies Record<SheetName, readonly string[]>;

const PLAN_KEYS = {
  ambito: 'Ambito',
  title: 'Titolo',
  period: 'Periodo',
  edition: 'Edizione',
  startDate: 'Inizio',
  endDate: 'Fine',
  status: 'Stato',
  governance: 'Sistema di governance',
  methodology: 'Dati e metodologia',
} as const;

/** Excel keeps at most 32,767 characters in a cell: longer texts continue on the next rows. */
const CELL_TEXT_MAX = 32_000;
const DATE_FORMAT = 'dd/mm/yyyy';
const EURO_FORMAT = '"€" #,##0.00';

const toExcelDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Import: every row is checked and every error is reported with its sheet, row and column.
// ---------------------------------------------------------------------------------------------

export interface Where {
  sheet: SheetName;
  row: number;
}
type Located<T> = T & { at: Where };

export interface ParsedPlan {
  /** The "Piano" sheet: what a new plan is created from (null where missing). */
  plan: {
    title: string | null;
    period: string | null;
    edition: number | null;
    startDate: string | null;
    endDate: string | null;
    governance: string;
    methodology: string;
    at: Partial<Record<keyof typeof PLAN_KEYS, number>>;
  };
  objectives: Located<{
    code: string;
    title: string;
    kind: ObjectiveKind;
    macroAreaCode: string;
    leps: string[];
    needs: string;
  }>[];
  specific: Located<{ code: string; parentCode: string; title: string; needs: string }>[];
  actions: Located<{
    code: string;
    objectiveCode: string;
    title: string;
    responsible: string;
    partners: string[];
    startDate: string;
    endDate: string;
    status: ActionStatus;
    staffHours: number;
    resources: Located<{ fund: string; amountCents: number }>[];
  }>[];
  indicators: Located<{
    code: string;
    objectiveCode: string | null;
    actionCode: string | null;
    name: string;
    kind: 'output' | 'outcome';
    unit: Unit;
    baseline: string | null;
    baselineDate: string | null;
    evaluationTool: string;
    lowerIsBetter: boolean;
    targets: Located<{ year: number; target: string }>[];
  }>[];
  /** Column letter of each header, per sheet, as found in the file. */
  columns: Record<SheetName, Record<string, string>>;
}

const CODE = /^[A-Za-z0-9._-]{1,20}$/;
const QUANTITY = /^-?\d{1,12}(\.\d{1,4})?$/;

const columnLetter = (n: number): string => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

export const cellRef = (sheet: string, row: number, column?: string) =>
  column ? `${sheet} riga ${row} colonna ${column}` : `${sheet} riga ${row}`;

/** A cell's value without exceljs' wrappers (formulas, rich text, hyperlinks). */
function plain(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !(value instanceof Date)) {
    if ('result' in value) return plain(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return plain(value.text as ExcelJS.CellValue);
    if ('error' in value) return { error: value.error };
    return null;
  }
  return value;
}

const isoOf = (d: Date) => d.toISOString().slice(0, 10);
const validIso = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoOf(d) === iso;
};

/** Reads a lookup by code or label, ignoring case and accents' absence is not forgiven. */
function byLabel<T extends string>(labels: Record<T, string> | readonly T[], text: string): T | undefined {
  const wanted = text.trim().toLowerCase();
  if (Array.isArray(labels)) return (labels as readonly T[]).find((v) => v.toLowerCase() === wanted);
  const entries = Object.entries(labels) as [T, string][];
  return entries.find(([k, l]) => k.toLowerCase() === wanted || l.toLowerCase() === wanted)?.[0];
}

class SheetReader {
  readonly columns: Record<string, string> = {};
  private readonly index: Record<string, number> = {};
  ok = true;

  constructor(
    readonly name: SheetName,
    readonly ws: ExcelJS.Worksheet | undefined,
    private readonly errors: FieldError[],
  ) {
    if (!ws) {
      errors.push({ field: name, reason: `manca il foglio "${name}"` });
      this.ok = false;
      return;
    }
    const header = ws.getRow(1);
    const found = new Map<string, number>();
    header.eachCell((cell, col) => {
      const text = String(plain(cell.value) ?? '').trim();
      if (text) found.set(text.toLowerCase(), col);
    });
    for (const [i, h] of COLUMNS[name].entries()) {
      const col = found.get(h.toLowerCase());
      if (col === undefined) {
        errors.push({
          field: cellRef(name, 1, columnLetter(i + 1)),
          reason: `manca l’intestazione "${h}"`,
        });
        this.ok = false;
      } else {
        this.index[h] = col;
        this.columns[h] = columnLetter(col);
      }
    }
  }

  /** The data rows that are not entirely empty. */
  *rows(): Generator<RowReader> {
    if (!this.ok || !this.ws) return;
    for (let r = 2; r <= this.ws.rowCount; r++) {
      const row = this.ws.getRow(r);
      const values = Object.values(this.index).map((c) => plain(row.getCell(c).value));
      if (values.every((v) => v === null || (typeof v === 'string' && v.trim() === ''))) continue;
      yield new RowReader(this, row, r, this.index, this.errors);
    }
  }
}

class RowReader {
  readonly at: Where;
  constructor(
    private readonly sheet: SheetReader,
    private readonly row: ExcelJS.Row,
    readonly rowNumber: number,
    private readonly index: Record<string, number>,
    private readonly errors: FieldError[],
  ) {
    this.at = { sheet: sheet.name, row: rowNumber };
  }

  error(header: string, reason: string): void {
    this.errors.push({
      field: cellRef(this.sheet.name, this.rowNumber, this.sheet.columns[header]),
      reason: `${header}: ${reason}`,
    });
  }

  raw(header: string): unknown {
    const col = this.index[header];
    return col === undefined ? null : plain(this.row.getCell(col).value);
  }

  text(header: string, o: { required?: boolean; max?: number } = {}): string {
    const v = this.raw(header);
    let s = '';
    if (v instanceof Date) s = isoOf(v);
    else if (v !== null && typeof v === 'object') {
      this.error(header, 'la cella contiene un errore di formula');
      return '';
    } else if (v !== null) s = String(v).trim();
    if (!s && o.required) this.error(header, 'obbligatorio');
    if (o.max && s.length > o.max) this.error(header, `al massimo ${o.max} caratteri`);
    return s;
  }

  code(header: string, o: { required?: boolean } = { required: true }): string {
    const s = this.text(header, o);
    if (s && !CODE.test(s))
      this.error(header, `codice non valido "${s}": da 1 a 20 caratteri tra lettere, cifre e . _ -`);
    return s;
  }

  number(header: string, o: { required?: boolean } = {}): number | null {
    const v = this.raw(header);
    if (v === null || (typeof v === 'string' && v.trim() === '')) {
      if (o.required) this.error(header, 'obbligatorio');
      return null;
    }
    const n =
      typeof v === 'number'
        ? v
        : typeof v === 'string'
          ? Number(
              v
                .trim()
                .replace(/\s|€/g, '')
                .replace(/\.(?=\d{3}(\D|$))/g, '')
                .replace(',', '.'),
            )
          : Number.NaN;
    if (!Number.isFinite(n)) {
      this.error(header, `numero non valido "${String(v instanceof Date ? isoOf(v) : v)}"`);
      return null;
    }
    return n;
  }

  /** An exact decimal as a string (at most 4 decimals), as the database keeps it. */
  quantity(header: string, o: { required?: boolean } = {}): string | null {
    const n = this.number(header, o);
    if (n === null) return null;
    const s = Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)));
    if (!QUANTITY.test(s)) {
      this.error(header, `numero non valido "${n}" (al massimo 12 cifre e 4 decimali)`);
      return null;
    }
    return s;
  }

  integer(header: string, o: { required?: boolean; min?: number; max?: number } = {}): number | null {
    const n = this.number(header, o);
    if (n === null) return null;
    if (!Number.isInteger(n)) this.error(header, `numero intero atteso, trovato ${n}`);
    else if (o.min !== undefined && n < o.min) this.error(header, `almeno ${o.min}`);
    else if (o.max !== undefined && n > o.max) this.error(header, `al massimo ${o.max}`);
    else return n;
    return null;
  }

  date(header: string, o: { required?: boolean } = {}): string | null {
    const v = this.raw(header);
    if (v === null || (typeof v === 'string' && v.trim() === '')) {
      if (o.required) this.error(header, 'obbligatorio');
      return null;
    }
    if (v instanceof Date) return isoOf(v);
    if (typeof v === 'number' && v > 0 && v < 100_000)
      return isoOf(new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000));
    const s = String(v).trim();
    const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    const iso = it ? `${it[3]}-${it[2]?.padStart(2, '0')}-${it[1]?.padStart(2, '0')}` : s;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && validIso(iso)) return iso;
    this.error(header, `data non valida "${s}": usare GG/MM/AAAA`);
    return null;
  }

  choice<T extends string>(
    header: string,
    labels: Record<T, string> | readonly T[],
    o: { required?: boolean; fallback?: T } = {},
  ): T | null {
    const s = this.text(header, { required: o.required && o.fallback === undefined });
    if (!s) return o.fallback ?? null;
    const found = byLabel(labels, s);
    if (found) return found;
    const allowed = Array.isArray(labels) ? labels : Object.values(labels);
    this.error(header, `valore sconosciuto "${s}" (ammessi: ${(allowed as string[]).join(', ')})`);
    return null;
  }

  bool(header: string): boolean {
    const v = this.raw(header);
    if (v === null || v === '' || v === false) return false;
    if (v === true) return true;
    const s = String(v).trim().toLowerCase();
    if (['sì', 'si', 's', 'x', 'vero', 'true', '1'].includes(s)) return true;
    if (['no', 'n', 'falso', 'false', '0', ''].includes(s)) return false;
    this.error(header, `valore non valido "${String(v)}" (ammessi: sì, no)`);
    return false;
  }
}

/** Whether a value was read (parsers return null and record the error otherwise). */
const got = <T>(v: T | null): v is T => v !== null;

/**
 * Reads a workbook written by renderPlanXlsx (or filled in by hand on its model). Every row is
 * checked; all the errors found are thrown together, each with its sheet, row and column.
 */
export async function parsePlanXlsx(buf: Buffer): Promise<ParsedPlan> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as never);
  } catch {
    throw new DomainError('INVALID', 'Il file non è un foglio di calcolo Excel (.xlsx) leggibile', [
      { field: 'file', reason: 'formato .xlsx non riconosciuto' },
    ]);
  }
  const errors: FieldError[] = [];
  const open = (name: SheetName) => new SheetReader(name, wb.getWorksheet(name), errors);
  const sheets = {
    plan: open(SHEETS.plan),
    objectives: open(SHEETS.objectives),
    specific: open(SHEETS.specific),
    actions: open(SHEETS.actions),
    resources: open(SHEETS.resources),
    indicators: open(SHEETS.indicators),
    targets: open(SHEETS.targets),
  };
  const parsed: ParsedPlan = {
    plan: {
      title: null,
      period: null,
      edition: null,
      startDate: null,
      endDate: null,
      governance: '',
      methodology: '',
      at: {},
    },
    objectives: [],
    specific: [],
    actions: [],
    indicators: [],
    columns: Object.fromEntries(
      Object.values(sheets).map((s) => [s.name, s.columns]),
    ) as ParsedPlan['columns'],
  };

  // Piano: one "Voce | Valore" pair per row; long texts continue on rows with the same Voce.
  for (const row of sheets.plan.rows()) {
    const keyText = row.text('Voce');
    const key = (Object.keys(PLAN_KEYS) as (keyof typeof PLAN_KEYS)[]).find(
      (k) => PLAN_KEYS[k].toLowerCase() === keyText.toLowerCase(),
    );
    if (!key) {
      row.error('Voce', `voce sconosciuta "${keyText}"`);
      continue;
    }
    parsed.plan.at[key] ??= row.rowNumber;
    const p = parsed.plan;
    switch (key) {
      case 'title':
        p.title = row.text('Valore', { required: true, max: 300 }) || null;
        break;
      case 'period': {
        const s = row.text('Valore', { required: true });
        if (s && !/^\d{4}-\d{4}$/.test(s)) row.error('Valore', `periodo non valido "${s}": usare AAAA-AAAA`);
        else p.period = s || null;
        break;
      }
      case 'edition':
        p.edition = row.integer('Valore', { required: true, min: 1, max: 99 });
        break;
      case 'startDate':
        p.startDate = row.date('Valore', { required: true });
        break;
      case 'endDate':
        p.endDate = row.date('Valore', { required: true });
        break;
      case 'governance':
        p.governance += row.text('Valore');
        break;
      case 'methodology':
        p.methodology += row.text('Valore');
        break;
      default:
        break; // Ambito and Stato are informative
    }
  }

  const codes = new Map<string, Where>(); // objectives, general and specific: one namespace
  const unique = (row: RowReader, header: string, code: string, seen: Map<string, Where>) => {
    if (!code) return;
    const first = seen.get(code);
    if (first) row.error(header, `codice ${code} ripetuto (già in ${cellRef(first.sheet, first.row)})`);
    else seen.set(code, row.at);
  };

  const generalCodes = new Set<string>();
  for (const row of sheets.objectives.rows()) {
    const code = row.code('Codice');
    unique(row, 'Codice', code, codes);
    const title = row.text('Titolo', { required: true, max: 500 });
    const kind = row.choice('Tipo', OBJECTIVE_KIND_LABELS, { required: true });
    const macroAreaCode = row.text('Macro-area', { required: true }).toUpperCase();
    if (macroAreaCode && !/^[A-Z]{1,2}$/.test(macroAreaCode))
      row.error('Macro-area', `codice di macro-area non valido "${macroAreaCode}"`);
    const leps = row
      .text('LEPS')
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (leps.length > 20) row.error('LEPS', 'al massimo 20 LEPS');
    const needs = row.text('Bisogni', { max: 20_000 });
    if (code) generalCodes.add(code);
    if (code && title && got(kind) && macroAreaCode)
      parsed.objectives.push({ code, title, kind, macroAreaCode, leps, needs, at: row.at });
  }

  const specificCodes = new Set<string>();
  for (const row of sheets.specific.rows()) {
    const code = row.code('Codice');
    unique(row, 'Codice', code, codes);
    const parentCode = row.code('Obiettivo generale');
    if (parentCode && !generalCodes.has(parentCode))
      row.error(
        'Obiettivo generale',
        `obiettivo generale ${parentCode} non presente nel foglio "${SHEETS.objectives}"`,
      );
    const title = row.text('Titolo', { required: true, max: 500 });
    const needs = row.text('Bisogni', { max: 20_000 });
    if (code) specificCodes.add(code);
    if (code && parentCode && generalCodes.has(parentCode) && title)
      parsed.specific.push({ code, parentCode, title, needs, at: row.at });
  }

  const actionCodes = new Map<string, Where>();
  const actionsByCode = new Map<string, ParsedPlan['actions'][number]>();
  for (const row of sheets.actions.rows()) {
    const code = row.code('Codice');
    unique(row, 'Codice', code, actionCodes);
    const objectiveCode = row.code('Obiettivo specifico');
    if (objectiveCode && !specificCodes.has(objectiveCode))
      row.error(
        'Obiettivo specifico',
        generalCodes.has(objectiveCode)
          ? `${objectiveCode} è un obiettivo generale: un’azione dipende da un obiettivo specifico`
          : `obiettivo specifico ${objectiveCode} non presente nel foglio "${SHEETS.specific}"`,
      );
    const title = row.text('Titolo', { required: true, max: 500 });
    const responsible = row.text('Responsabile', { required: true, max: 200 });
    const partners = row
      .text('Partner')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    if (partners.some((p) => p.length > 200)) row.error('Partner', 'ogni partner al massimo 200 caratteri');
    if (partners.length > 50) row.error('Partner', 'al massimo 50 partner');
    const startDate = row.date('Inizio', { required: true });
    const endDate = row.date('Fine', { required: true });
    if (startDate && endDate && endDate < startDate) row.error('Fine', 'la fine precede l’inizio');
    const status = row.choice('Stato', ACTION_STATUS_LABELS, { fallback: 'planned' });
    const staffHours =
      row.raw('Ore di personale') === null ? 0 : row.integer('Ore di personale', { min: 0, max: 1_000_000 });
    if (
      code &&
      objectiveCode &&
      specificCodes.has(objectiveCode) &&
      title &&
      responsible &&
      startDate &&
      endDate &&
      got(status) &&
      got(staffHours)
    ) {
      const action = {
        code,
        objectiveCode,
        title,
        responsible,
        partners,
        startDate,
        endDate,
        status,
        staffHours,
        resources: [],
        at: row.at,
      };
      parsed.actions.push(action);
      actionsByCode.set(code, action);
    }
  }

  const funds = new Map<string, Where>();
  for (const row of sheets.resources.rows()) {
    const actionCode = row.code('Azione');
    if (actionCode && !actionCodes.has(actionCode))
      row.error('Azione', `azione ${actionCode} non presente nel foglio "${SHEETS.actions}"`);
    const fund = row.text('Fondo', { required: true, max: 60 });
    if (actionCode && fund) {
      const first = funds.get(`${actionCode}/${fund}`);
      if (first)
        row.error('Fondo', `fondo ${fund} ripetuto per l’azione ${actionCode} (già in riga ${first.row})`);
      else funds.set(`${actionCode}/${fund}`, row.at);
    }
    const euro = row.number('Importo (€)', { required: true });
    let amountCents: number | null = null;
    if (euro !== null) {
      const cents = Math.round(euro * 100);
      if (Math.abs(euro * 100 - cents) > 1e-6) row.error('Importo (€)', `al massimo 2 decimali (${euro})`);
      else if (cents < 0) row.error('Importo (€)', 'l’importo non può essere negativo');
      else if (cents > 10_000_000_000) row.error('Importo (€)', 'importo troppo grande');
      else amountCents = cents;
    }
    const action = actionsByCode.get(actionCode);
    if (action && fund && amountCents !== null) {
      if (action.resources.length >= 20) row.error('Fondo', `al massimo 20 fondi per l’azione ${actionCode}`);
      else action.resources.push({ fund, amountCents, at: row.at });
    }
  }
  const indicatorCodes = new Map<string, Where>();
  const indicatorsByCode = new Map<string, ParsedPlan['indicators'][number]>();
  for (const row of sheets.indicators.rows()) {
    const code = row.code('Codice');
    unique(row, 'Codice', code, indicatorCodes);
    const objectiveCode = row.code('Obiettivo', { required: false }) || null;
    const actionCode = row.code('Azione', { required: false }) || null;
    let refOk = true;
    if ((objectiveCode === null) === (actionCode === null)) {
      row.error('Obiettivo', 'indicare l’obiettivo oppure l’azione (una sola delle due colonne)');
      refOk = false;
    } else if (objectiveCode && !generalCodes.has(objectiveCode) && !specificCodes.has(objectiveCode)) {
      row.error('Obiettivo', `obiettivo ${objectiveCode} non presente nei fogli degli obiettivi`);
      refOk = false;
    } else if (actionCode && !actionCodes.has(actionCode)) {
      row.error('Azione', `azione ${actionCode} non presente nel foglio "${SHEETS.actions}"`);
      refOk = false;
    }
    const name = row.text('Nome', { required: true, max: 300 });
    const kind = row.choice('Tipo', ['output', 'outcome'] as const, { required: true });
    const unit = row.choice('Unità', UNITS, { required: true });
    const baseline = row.quantity('Baseline');
    if (unit === 'percentuale' && baseline !== null && (Number(baseline) < 0 || Number(baseline) > 100))
      row.error('Baseline', 'una percentuale è tra 0 e 100');
    const baselineDate = row.date('Data baseline');
    const evaluationTool = row.text('Strumento di valutazione', { max: 1000 });
    const lowerIsBetter = row.bool('Minore è meglio');
    if (code && refOk && name && got(kind) && got(unit)) {
      const indicator = {
        code,
        objectiveCode,
        actionCode,
        name,
        kind,
        unit,
        baseline,
        baselineDate,
        evaluationTool,
        lowerIsBetter,
        targets: [],
        at: row.at,
      };
      parsed.indicators.push(indicator);
      indicatorsByCode.set(code, indicator);
    }
  }

  const years = new Map<string, Where>();
  for (const row of sheets.targets.rows()) {
    const code = row.code('Indicatore');
    if (code && !indicatorCodes.has(code))
      row.error('Indicatore', `indicatore ${code} non presente nel foglio "${SHEETS.indicators}"`);
    const year = row.integer('Anno', { required: true, min: 2000, max: 2100 });
    if (code && year !== null) {
      const first = years.get(`${code}/${year}`);
      if (first)
        row.error('Anno', `target ${year} dell’indicatore ${code} ripetuto (già in riga ${first.row})`);
      else years.set(`${code}/${year}`, row.at);
    }
    const target = row.quantity('Target', { required: true });
    const indicator = indicatorsByCode.get(code);
    if (indicator && year !== null && target !== null) {
      if (indicator.targets.length >= 10) row.error('Anno', `al massimo 10 target per l’indicatore ${code}`);
      else indicator.targets.push({ year, target, at: row.at });
    }
  }

  if (errors.length) throw fileErrors(errors);
  return parsed;
}

function fileErrors(errors: FieldError[]): DomainError {
  return new DomainError(
    'INVALID',
    errors.length === 1
      ? 'Il file contiene un errore: nessun dato è stato importato'
      : `Il file contiene ${errors.length} errori: nessun dato è stato importato`,
    errors,
  );
}

/** The header of the "Piano" sheet as a new plan, or every missing value with its place. */
export function planHeaderOf(parsed: ParsedPlan) {
  const p = parsed.plan;
  const errors: FieldError[] = [];
  for (const key of ['title', 'period', 'edition', 'startDate', 'endDate'] as const)
    if (p[key] === null)
      errors.push({
        field: p.at[key] ? cellRef(SHEETS.plan, p.at[key], 'B') : SHEETS.plan,
        reason: `${PLAN_KEYS[key]}: ${p.at[key] ? 'valore mancante o non valido' : `manca la voce "${PLAN_KEYS[key]}"`}`,
      });
  if (errors.length) throw fileErrors(errors);
  return {
    title: p.title as string,
    period: p.period as string,
    edition: p.edition as number,
    startDate: p.startDate as string,
    endDate: p.endDate as string,
    governance: p.governance,
    methodology: p.methodology,
  };
}

export interface ImportCounts {
  objectives: number;
  specific: number;
  actions: number;
  resources: number;
  indicators: number;
  targets: number;
}

/**
 * Imports a workbook into a plan: the file is checked first (every error with its place), then
 * against the plan (codes already used, macro-areas and LEPS, dates and years outside the plan),
 * then everything is written in one transaction: all or nothing.
 */
export async function importPlanXlsx(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  buf: Buffer,
  opts: { changeReason?: string | undefined } = {},
): Promise<ImportCounts> {
  // Who may import is checked (by withPlan) before the file is even read.
  return withPlan(db, actor, planId, 'write', async (trx, plan) => {
    const parsed = await parsePlanXlsx(buf);
    const counts: ImportCounts = {
      objectives: parsed.objectives.length,
      specific: parsed.specific.length,
      actions: parsed.actions.length,
      resources: parsed.actions.reduce((s, a) => s + a.resources.length, 0),
      indicators: parsed.indicators.length,
      targets: parsed.indicators.reduce((s, i) => s + i.targets.length, 0),
    };
    return applyChange(
      trx,
      actor,
      plan,
      { action: 'plan.import', changeReason: opts.changeReason, detail: { ...counts } },
      async () => {
        await checkAgainstPlan(trx, plan, parsed);
        await writeParsed(trx, plan, parsed);
        return counts;
      },
    );
  });
}

const planEnd = (plan: PlanRow) => plan.extended_to ?? plan.end_date;

async function checkAgainstPlan(trx: Tx, plan: PlanRow, parsed: ParsedPlan): Promise<void> {
  const errors: FieldError[] = [];
  const at = (where: Where, header: string, reason: string) =>
    errors.push({
      field: cellRef(where.sheet, where.row, parsed.columns[where.sheet][header]),
      reason: `${header}: ${reason}`,
    });
  const existing = async (table: 'objectives' | 'actions' | 'indicators') =>
    new Set(
      (await trx.selectFrom(table).select('code').where('plan_id', '=', plan.id).execute()).map(
        (r) => r.code,
      ),
    );
  const [objectiveCodes, actionCodes, indicatorCodes] = await Promise.all([
    existing('objectives'),
    existing('actions'),
    existing('indicators'),
  ]);
  const areas = new Set(
    (
      await trx.selectFrom('macro_areas').select('code').where('period_code', '=', plan.period_code).execute()
    ).map((r) => r.code),
  );
  const leps = new Set((await trx.selectFrom('leps').select('code').execute()).map((r) => r.code));
  const inPlan = 'esiste già un elemento con questo codice nel piano';

  for (const o of parsed.objectives) {
    if (objectiveCodes.has(o.code)) at(o.at, 'Codice', `${o.code}: ${inPlan}`);
    if (!areas.has(o.macroAreaCode))
      at(
        o.at,
        'Macro-area',
        `la macro-area ${o.macroAreaCode} non appartiene alla tassonomia ${plan.period_code}`,
      );
    const unknown = o.leps.filter((l) => !leps.has(l));
    if (unknown.length)
      at(o.at, 'LEPS', `LEPS sconosciut${unknown.length > 1 ? 'i' : 'o'}: ${unknown.join(', ')}`);
  }
  for (const s of parsed.specific) if (objectiveCodes.has(s.code)) at(s.at, 'Codice', `${s.code}: ${inPlan}`);
  for (const a of parsed.actions) {
    if (actionCodes.has(a.code)) at(a.at, 'Codice', `${a.code}: ${inPlan}`);
    if (a.startDate < plan.start_date)
      at(a.at, 'Inizio', `l’azione inizia prima del piano (${plan.start_date})`);
    if (a.endDate > planEnd(plan)) at(a.at, 'Fine', `l’azione finisce dopo il piano (${planEnd(plan)})`);
  }
  const first = Number(plan.start_date.slice(0, 4));
  const last = Number(planEnd(plan).slice(0, 4));
  for (const i of parsed.indicators) {
    if (indicatorCodes.has(i.code)) at(i.at, 'Codice', `${i.code}: ${inPlan}`);
    for (const t of i.targets)
      if (t.year < first || t.year > last)
        at(t.at, 'Anno', `anno fuori dal periodo del piano (${first}-${last})`);
  }
  if (errors.length) throw fileErrors(errors);
}

async function writeParsed(trx: Tx, plan: PlanRow, parsed: ParsedPlan): Promise<void> {
  const located = async <T>(where: Where, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      // The checks above mirror the services'; should one still refuse, say where.
      if (error instanceof DomainError)
        throw fileErrors(
          (error.errors.length ? error.errors : [{ field: '', reason: error.message }]).map((e) => ({
            field: cellRef(where.sheet, where.row),
            reason: e.reason,
          })),
        );
      throw error;
    }
  };
  const objectiveIds = new Map<string, string>();
  for (const o of parsed.objectives) {
    const input: ObjectiveInput = {
      parentId: null,
      code: o.code,
      title: o.title,
      kind: o.kind,
      macroAreaCode: o.macroAreaCode,
      needs: o.needs,
      leps: o.leps,
    };
    objectiveIds.set(o.code, (await located(o.at, () => insertObjectiveIn(trx, plan, input))).id);
  }
  for (const s of parsed.specific) {
    const input: ObjectiveInput = {
      parentId: objectiveIds.get(s.parentCode) ?? null,
      code: s.code,
      title: s.title,
      kind: null,
      macroAreaCode: null,
      needs: s.needs,
      leps: [],
    };
    objectiveIds.set(s.code, (await located(s.at, () => insertObjectiveIn(trx, plan, input))).id);
  }
  const actionIds = new Map<string, string>();
  for (const a of parsed.actions) {
    const input: ActionInput = {
      objectiveId: objectiveIds.get(a.objectiveCode) as string,
      code: a.code,
      title: a.title,
      responsible: a.responsible,
      partners: a.partners,
      startDate: a.startDate,
      endDate: a.endDate,
      status: a.status,
      staffHours: a.staffHours,
      resources: a.resources.map((r) => ({ fund: r.fund, amountCents: r.amountCents })),
    };
    actionIds.set(a.code, (await located(a.at, () => insertActionIn(trx, plan, input))).id);
  }
  for (const i of parsed.indicators) {
    const input: IndicatorInput = {
      objectiveId: i.objectiveCode ? (objectiveIds.get(i.objectiveCode) ?? null) : null,
      actionId: i.actionCode ? (actionIds.get(i.actionCode) ?? null) : null,
      code: i.code,
      name: i.name,
      kind: i.kind,
      unit: i.unit,
      baseline: i.baseline,
      baselineDate: i.baselineDate,
      evaluationTool: i.evaluationTool,
      lowerIsBetter: i.lowerIsBetter,
      targets: i.targets.map((t) => ({ year: t.year, target: t.target })),
    };
    await located(i.at, () => insertIndicatorIn(trx, plan, input));
  }
}
