import fs from 'node:fs';
import { type Command, CommanderError } from 'commander';
import type { Database } from '../db/database.js';
import { withReference, withTenant } from '../db/scope.js';
import { renderPlanPdf } from '../features/plan/plan.pdf.js';
import { findPlanAmbito } from '../features/plan/plan.queries.js';
import { createPlan, getPlan } from '../features/plan/plan.service.js';
import { importPlanXlsx, parsePlanXlsx, planHeaderOf, renderPlanXlsx } from '../features/plan/plan.xlsx.js';
import { officeActor } from '../http/auth.js';
import { DomainError, notFound } from '../http/errors.js';

type WithDatabase = <T>(fn: (database: Database) => Promise<T>, opts?: { asOwner?: boolean }) => Promise<T>;

/** The command line acts as the Ufficio di Piano of the plan's Ambito (plan:write, drafts). */
const cliActor = (ambitoId: string) => officeActor('cli', ambitoId);

async function ambitoOfPlan(database: Database, planId: string): Promise<string> {
  if (!/^[0-9a-f-]{36}$/i.test(planId))
    throw new DomainError('INVALID', `identificativo di piano non valido: ${planId}`);
  const ambitoId = await withReference(database.db, (trx) => findPlanAmbito(trx, planId));
  if (!ambitoId) throw notFound('Piano');
  return ambitoId;
}

/** Every error of a refused import on its own line, with sheet, row and column; then a non-zero exit. */
function reportErrors(error: unknown): never {
  if (!(error instanceof DomainError) || error.errors.length === 0) throw error;
  console.error(`Errore: ${error.message}`);
  for (const e of error.errors) console.error(`${e.field}: ${e.reason}`);
  throw new CommanderError(2, 'ambito.plan.import', error.message);
}

export function registerPlanCommands(program: Command, withDatabase: WithDatabase): void {
  const plan = program
    .command('plan')
    .description('documenti del Piano di Zona: esportazione e importazione');

  plan
    .command('export')
    .description('esporta un Piano come documento PDF o foglio Excel')
    .requiredOption('--plan <id>', 'identificativo del Piano')
    .requiredOption('--format <format>', 'pdf oppure xlsx')
    .requiredOption('--out <file>', 'file da scrivere')
    .action((o: { plan: string; format: string; out: string }) =>
      withDatabase(async (database) => {
        if (o.format !== 'pdf' && o.format !== 'xlsx')
          throw new DomainError('INVALID', `formato sconosciuto: ${o.format} (ammessi: pdf, xlsx)`);
        const actor = cliActor(await ambitoOfPlan(database, o.plan));
        const tree = await getPlan(database.db, actor, o.plan);
        const buf = o.format === 'pdf' ? await renderPlanPdf(tree) : await renderPlanXlsx(tree);
        fs.writeFileSync(o.out, buf);
        console.log(`Piano «${tree.title}» esportato in ${o.out} (${buf.length} byte).`);
      }),
    );

  plan
    .command('import <file>')
    .description(
      'importa obiettivi, azioni e indicatori da un foglio Excel; senza --plan crea una nuova bozza dal foglio "Piano"',
    )
    .requiredOption('--ambito <id>', 'identificativo dell’Ambito')
    .option('--plan <id>', 'Piano in cui importare (altrimenti ne crea uno nuovo in bozza)')
    .option('--reason <text>', 'motivo della modifica (obbligatorio per un Piano già approvato)')
    .action((file: string, o: { ambito: string; plan?: string; reason?: string }) =>
      withDatabase(async (database) => {
        if (!fs.existsSync(file)) throw new DomainError('INVALID', `file non trovato: ${file}`);
        const buf = fs.readFileSync(file);
        const actor = cliActor(o.ambito);
        try {
          // The file is checked in full before anything is created.
          const parsed = await parsePlanXlsx(buf);
          let planId = o.plan;
          let created = false;
          if (planId) {
            if ((await ambitoOfPlan(database, planId)) !== o.ambito)
              throw new DomainError('INVALID', 'il Piano indicato non appartiene all’Ambito indicato');
          } else {
            planId = (await createPlan(database.db, actor, { ambitoId: o.ambito, ...planHeaderOf(parsed) }))
              .id;
            created = true;
          }
          try {
            const c = await importPlanXlsx(database.db, actor, planId, buf, { changeReason: o.reason });
            console.log(
              `${created ? 'Creato il Piano in bozza' : 'Importato nel Piano'} ${planId}: ${c.objectives} obiettivi generali, ${c.specific} obiettivi specifici, ${c.actions} azioni (${c.resources} risorse), ${c.indicators} indicatori (${c.targets} target).`,
            );
          } catch (error) {
            // All or nothing: the draft created for this file goes with it.
            if (created) await dropDraft(database, o.ambito, planId);
            throw error;
          }
        } catch (error) {
          reportErrors(error);
        }
      }),
    );
}

async function dropDraft(database: Database, ambitoId: string, planId: string): Promise<void> {
  await withTenant(database.db, { ambitoId }, (trx) =>
    trx.deleteFrom('plans').where('id', '=', planId).where('status', '=', 'draft').execute(),
  );
}
