/**
 * The plan workbook's layout, shared by the export (plan.xlsx.render.ts) and the import
 * (plan.xlsx.parse.ts): sheet names, their columns in order, the labels of coded values.
 */
import type { ACTION_STATUSES, OBJECTIVE_KINDS, PLAN_STATUSES, UNITS } from './plan.schemas.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ObjectiveKind = (typeof OBJECTIVE_KINDS)[number];
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type Unit = (typeof UNITS)[number];

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
export type SheetName = (typeof SHEETS)[keyof typeof SHEETS];

export const COLUMNS = {
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

export const PLAN_KEYS = {
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

/** Where a row was read: what every import error names. */
export interface Where {
  sheet: SheetName;
  row: number;
}

export const cellRef = (sheet: string, row: number, column?: string) =>
  column ? `${sheet} riga ${row} colonna ${column}` : `${sheet} riga ${row}`;

/**
 * What an uploaded plan workbook may weigh. A real plan (hundreds of actions and indicators) is a
 * few hundred KB, its largest sheet a few MB of XML: these leave room for ten times that and
 * refuse a decompression bomb before exceljs, which holds the whole workbook in memory, sees it.
 */
export const PLAN_XLSX_LIMITS = {
  file: 'Il foglio Excel del Piano',
  maxBytes: 10 * 1024 * 1024,
  zip: { maxEntries: 200, maxEntryBytes: 32 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 100 },
  worker: { timeoutMs: 30_000, maxHeapMb: 512 },
} as const;
