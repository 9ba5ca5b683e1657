/**
 * The plan workbook's parse, on a worker thread (started by plan.import.ts through runInWorker):
 * every entry inflated once with a byte counter, then exceljs and the pure parser.
 */
import ExcelJS from 'exceljs';
import { unreadable } from '../../uploads/limits.js';
import { serveWorker } from '../../uploads/worker-entry.js';
import { checkZipInflation } from '../../uploads/zip.js';
import { PLAN_XLSX_LIMITS } from './plan.xlsx.layout.js';
import { parsePlanWorkbook } from './plan.xlsx.parse.js';

serveWorker(async (buf) => {
  await checkZipInflation(buf, PLAN_XLSX_LIMITS.file, PLAN_XLSX_LIMITS.zip);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as never);
  } catch {
    throw unreadable(PLAN_XLSX_LIMITS.file, 'non è un foglio di calcolo Excel (.xlsx) leggibile');
  }
  return parsePlanWorkbook(wb);
});
