/**
 * The plan as a workbook, one sheet per level: the layout (plan.xlsx.layout.ts), the export
 * (plan.xlsx.render.ts), the pure parser (plan.xlsx.parse.ts, run on a worker thread by
 * plan.xlsx.worker.ts) and the import service (plan.import.ts). What routes and the CLI use.
 */
export { type ImportCounts, importPlanXlsx, parsePlanXlsx } from './plan.import.js';
export {
  ACTION_STATUS_LABELS,
  cellRef,
  OBJECTIVE_KIND_LABELS,
  PLAN_STATUS_LABELS,
  SHEETS,
  XLSX_TYPE,
} from './plan.xlsx.layout.js';
export { type ParsedPlan, planHeaderOf } from './plan.xlsx.parse.js';
export { renderPlanXlsx } from './plan.xlsx.render.js';
