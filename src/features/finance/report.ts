/**
 * The spending matrix of the regional forecast/actual return (rendiconto): user areas as rows,
 * kinds of intervention as columns, each cell with what was planned (programmato), committed
 * (impegnato) and paid (liquidato). Pure and integer-only: amounts are euro cents and are only
 * ever added, so every total equals the sum of its lines to the cent.
 */
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { centsDigits, csvCents } from '../../format.js';
import { INTERVENTIONS, USER_AREAS } from './finance.schemas.js';

export type UserArea = (typeof USER_AREAS)[number];
export type Intervention = (typeof INTERVENTIONS)[number];

export const AREA_LABELS: Record<UserArea, string> = {
  famiglia_minori: 'Famiglia e minori',
  disabilita_non_autosufficienza: 'Disabilità e non autosufficienza',
  poverta_esclusione: 'Povertà ed esclusione sociale',
};
export const INTERVENTION_LABELS: Record<Intervention, string> = {
  accesso: 'Accesso',
  presa_in_carico: 'Presa in carico',
  domiciliare: 'Interventi domiciliari',
  diurni: 'Servizi diurni',
  residenziali: 'Servizi residenziali',
  inclusione: 'Inclusione e integrazione',
};

export interface Figures {
  programmedCents: number;
  committedCents: number;
  paidCents: number;
}
export interface MatrixRow {
  /** null on the total row */
  area: UserArea | null;
  label: string;
  cells: Array<Figures & { intervention: Intervention }>;
  total: Figures;
}
export interface SpendingMatrix {
  rows: MatrixRow[];
  /** The column totals and the grand total. */
  total: MatrixRow;
}
export interface MatrixLine extends Figures {
  area: UserArea;
  intervention: Intervention;
}

const zero = (): Figures => ({ programmedCents: 0, committedCents: 0, paidCents: 0 });
function addTo(target: Figures, f: Figures): void {
  target.programmedCents += f.programmedCents;
  target.committedCents += f.committedCents;
  target.paidCents += f.paidCents;
}

/** Every area and intervention appears, with zeros where nothing was planned. */
export function buildMatrix(lines: readonly MatrixLine[]): SpendingMatrix {
  const emptyRow = (area: UserArea | null, label: string): MatrixRow => ({
    area,
    label,
    cells: INTERVENTIONS.map((intervention) => ({ intervention, ...zero() })),
    total: zero(),
  });
  const rows = USER_AREAS.map((area) => emptyRow(area, AREA_LABELS[area]));
  const total = emptyRow(null, 'Totale');
  for (const line of lines) {
    const row = rows[USER_AREAS.indexOf(line.area)];
    const column = INTERVENTIONS.indexOf(line.intervention);
    const cell = row?.cells[column];
    const totalCell = total.cells[column];
    if (!row || !cell || !totalCell)
      throw new Error(`area o intervento sconosciuto: ${line.area}/${line.intervention}`);
    addTo(cell, line);
    addTo(row.total, line);
    addTo(totalCell, line);
    addTo(total.total, line);
  }
  return { rows, total };
}

/** Basis points as an Italian percentage: 5000 → "50%", 3350 → "33,5%". */
export function formatBasisPoints(bp: number): string {
  const { sign, units: euros, decimals } = centsDigits(bp);
  const fraction = decimals.replace(/0+$/, '');
  return `${sign}${euros}${fraction ? `,${fraction}` : ''}%`;
}

// ---- The report as the API returns it, and as CSV ----

const Int = z.number().int();
const FiguresView = z.object({ programmedCents: Int, committedCents: Int, paidCents: Int });
const MatrixRowView = z.object({
  area: z.enum(USER_AREAS).nullable(),
  label: z.string(),
  cells: z.array(FiguresView.extend({ intervention: z.enum(INTERVENTIONS) })),
  total: FiguresView,
});
export const SpendingReportView = z.object({
  ambito: z.object({ id: z.uuid(), name: z.string() }),
  year: Int,
  fund: z.object({ code: z.string(), name: z.string() }).nullable(),
  interventions: z.array(z.object({ code: z.enum(INTERVENTIONS), label: z.string() })),
  rows: z.array(MatrixRowView).describe('una riga per area di utenza'),
  total: MatrixRowView.describe('totali per intervento e totale generale'),
  lines: z.array(
    FiguresView.extend({
      id: z.uuid(),
      fundCode: z.string(),
      code: z.string(),
      action: z.object({ code: z.string(), title: z.string() }),
      area: z.enum(USER_AREAS),
      intervention: z.enum(INTERVENTIONS),
    }),
  ),
});
export type SpendingReport = z.infer<typeof SpendingReportView>;

export const reportFilename = (year: number, fund: string | undefined, ext: string) =>
  `rendiconto-${year}${
    fund
      ? `-${fund
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')}`
      : ''
  }.${ext}`;

export const COLUMNS = [...INTERVENTIONS.map((i) => INTERVENTION_LABELS[i]), 'Totale'];
export const FIGURES: Array<[keyof Figures, string]> = [
  ['programmedCents', 'programmato'],
  ['committedCents', 'impegnato'],
  ['paidCents', 'liquidato'],
];
export const rowFigures = (row: MatrixRow): Figures[] => [...row.cells, row.total];

/** The matrix for Italian spreadsheets: UTF-8 with BOM, `;`, decimals "1234,56". */
export function renderReportCsv(report: SpendingReport): string {
  const header = ['Area di utenza', ...COLUMNS.flatMap((c) => FIGURES.map(([, label]) => `${c} – ${label}`))];
  const body = [...report.rows, report.total].map((row) => [
    row.label,
    ...rowFigures(row).flatMap((f) => FIGURES.map(([key]) => csvCents(f[key]))),
  ]);
  return `\uFEFF${stringify([header, ...body], { delimiter: ';', record_delimiter: '\r\n' })}`;
}
