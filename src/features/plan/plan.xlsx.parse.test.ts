import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../http/errors.js';
import { COLUMNS, SHEETS } from './plan.xlsx.layout.js';
import { parsePlanWorkbook } from './plan.xlsx.parse.js';

/** A workbook with every sheet and header, and these rows on the "Obiettivi" sheet. */
function workbook(objectives: unknown[][]): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  for (const name of Object.values(SHEETS)) wb.addWorksheet(name).addRow([...COLUMNS[name]]);
  const plan = wb.getWorksheet(SHEETS.plan) as ExcelJS.Worksheet;
  for (const row of [
    ['Titolo', 'Piano di prova'],
    ['Periodo', '2025-2027'],
    ['Edizione', 1],
    ['Inizio', '01/01/2025'],
    ['Fine', '31/12/2027'],
  ])
    plan.addRow(row);
  for (const row of objectives) (wb.getWorksheet(SHEETS.objectives) as ExcelJS.Worksheet).addRow(row);
  return wb;
}

const errorsOf = (wb: ExcelJS.Workbook) => {
  try {
    parsePlanWorkbook(wb);
  } catch (e) {
    if (e instanceof DomainError) return e.errors;
    throw e;
  }
  return [];
};

describe('the plan workbook parser (no database)', () => {
  it('reads the rows of a workbook into typed objectives', () => {
    const parsed = parsePlanWorkbook(
      workbook([['OG1', 'Accesso ai servizi', 'Gestione associata', 'a', 'pua; servizio_sociale', '']]),
    );
    expect(parsed.plan).toMatchObject({ title: 'Piano di prova', period: '2025-2027', edition: 1 });
    expect(parsed.objectives).toEqual([
      {
        code: 'OG1',
        title: 'Accesso ai servizi',
        kind: 'gestione_associata',
        macroAreaCode: 'A',
        leps: ['pua', 'servizio_sociale'],
        needs: '',
        at: { sheet: 'Obiettivi', row: 2 },
      },
    ]);
  });

  it('refuses control characters in a cell with the shared text rule, naming the cell', () => {
    expect(
      errorsOf(
        workbook([['OG1', 'Accesso\u0000 ai servizi', 'Gestione associata', 'A', '', 'Bisogni\u0007']]),
      ),
    ).toEqual([
      {
        field: 'Obiettivi riga 2 colonna B',
        reason: 'Titolo: contiene caratteri di controllo o non validi',
      },
      {
        field: 'Obiettivi riga 2 colonna F',
        reason: 'Bisogni: contiene caratteri di controllo o non validi',
      },
    ]);
  });
});
