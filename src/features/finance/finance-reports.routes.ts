import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { invalid } from '../../http/errors.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { AmbitoParams } from '../territory/territory.schemas.js';
import { IMPORT_HEADER, ImportResult } from './accounting-csv.js';
import * as budget from './budget.service.js';
import { importAccountingCsv } from './finance.import.js';
import { getSpendingReport, renderReportXlsx, renderSummaryPdf } from './finance.reports.js';
import { BudgetLinesQuery, YearQuery } from './finance.schemas.js';
import { renderReportCsv, reportFilename, SpendingReportView } from './report.js';
import * as splits from './split.service.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  422: ProblemSchema,
};
const tags = ['bilancio e fondi'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const ReportQuery = BudgetLinesQuery.describe('anno e, facoltativamente, codice del fondo');
const ImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('true')
    .describe('true (predefinito): mostra cosa cambierebbe e tutti gli errori, senza scrivere nulla'),
});

/**
 * The spending return (rendiconto) in its formats and the import from the accounting system.
 * Documents get the same caching as the plan documents: the API default, `no-store`.
 */
export function financeReportRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const { db } = deps;
  // Encapsulated so that the CSV body parser serves the import route only.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'text/csv',
      { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
      (_req, body, done) => done(null, body),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get('/api/v1/ambiti/:id/finance/report', {
      schema: {
        tags,
        summary:
          'Rendiconto della spesa: programmato, impegnato e liquidato per area di utenza e tipo di intervento',
        params: AmbitoParams,
        querystring: ReportQuery,
        response: { 200: SpendingReportView, ...errors },
      },
      handler: async (req) => getSpendingReport(db, req.actor, req.params.id, req.query.year, req.query.fund),
    });

    r.get('/api/v1/ambiti/:id/finance/report.csv', {
      schema: {
        tags,
        summary: 'Rendiconto della spesa in CSV (UTF-8 con BOM, separatore ;, importi come 1234,56)',
        params: AmbitoParams,
        querystring: ReportQuery,
        response: { 200: z.string(), ...errors },
      },
      handler: async (req, reply) => {
        const report = await getSpendingReport(db, req.actor, req.params.id, req.query.year, req.query.fund);
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${reportFilename(report.year, req.query.fund, 'csv')}"`,
          )
          .send(renderReportCsv(report));
      },
    });

    r.get('/api/v1/ambiti/:id/finance/report.xlsx', {
      schema: {
        tags,
        summary:
          'Rendiconto della spesa in Excel: foglio «Rendiconto» con la matrice e foglio «Linee» con ogni linea',
        params: AmbitoParams,
        querystring: ReportQuery,
      },
      handler: async (req, reply) => {
        const report = await getSpendingReport(db, req.actor, req.params.id, req.query.year, req.query.fund);
        return reply
          .type(XLSX_TYPE)
          .header(
            'content-disposition',
            `attachment; filename="${reportFilename(report.year, req.query.fund, 'xlsx')}"`,
          )
          .send(await renderReportXlsx(report));
      },
    });

    r.get('/api/v1/ambiti/:id/finance/summary.pdf', {
      schema: {
        tags,
        summary:
          'Sintesi PDF per l’Assemblea dei Sindaci: totali, fondi, matrice della spesa, vincoli, scadenze e riparti approvati',
        params: AmbitoParams,
        querystring: YearQuery,
      },
      handler: async (req, reply) => {
        const { id } = req.params;
        const { year } = req.query;
        const [report, view, approved] = await Promise.all([
          getSpendingReport(db, req.actor, id, year),
          budget.getBudget(db, req.actor, id, year),
          splits.listSplits(db, req.actor, id, year),
        ]);
        const pdf = await renderSummaryPdf({ report, budget: view, splits: approved });
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="bilancio-fondi-${year}.pdf"`)
          .send(pdf);
      },
    });

    r.post('/api/v1/ambiti/:id/finance/import', {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags,
        summary: `Importa impegni e liquidazioni dalla contabilità (corpo text/csv, al massimo 5 MB): separatore ;, UTF-8 o windows-1252, intestazione «${IMPORT_HEADER.join(';')}»; tipo impegno|liquidazione, date gg/mm/aaaa, importi come 1.234,56; l’atto deve essere già nel registro. Con dryRun=true mostra le modifiche e tutti gli errori senza scrivere; altrimenti tutto o niente`,
        params: AmbitoParams,
        querystring: ImportQuery,
        response: { 200: ImportResult, ...errors, 413: ProblemSchema },
      },
      handler: async (req) => {
        if (!Buffer.isBuffer(req.body)) throw invalid('body', 'inviare il file con Content-Type text/csv');
        return importAccountingCsv(db, req.actor, req.params.id, req.body, req.query.dryRun === 'true');
      },
    });
  });
}
