/**
 * The plan workbook read into typed rows: every row checked, all the errors thrown together, each
 * with its sheet, row and column. Pure (no database): the import service (plan.import.ts) checks
 * the rows against the plan and writes them; the worker (plan.xlsx.worker.ts) runs this parse.
 */
import type ExcelJS from 'exceljs';
import { DomainError, type FieldError } from '../../http/errors.js';
import { UNITS } from './plan.schemas.js';
import { got, type RowReader, SheetReader } from './plan.xlsx.cells.js';
import {
  ACTION_STATUS_LABELS,
  type ActionStatus,
  cellRef,
  OBJECTIVE_KIND_LABELS,
  type ObjectiveKind,
  PLAN_KEYS,
  SHEETS,
  type SheetName,
  type Unit,
  type Where,
} from './plan.xlsx.layout.js';

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

/**
 * Reads a workbook written by renderPlanXlsx (or filled in by hand on its model). Every row is
 * checked; all the errors found are thrown together, each with its sheet, row and column.
 */
export function parsePlanWorkbook(wb: ExcelJS.Workbook): ParsedPlan {
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

export function fileErrors(errors: FieldError[]): DomainError {
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
