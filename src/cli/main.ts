import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../app.js';
import { loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { listDateFromName, seedDemo } from '../db/seed.js';
import { ImportError } from '../features/territory/import-error.js';
import { parseIstatComuni } from '../features/territory/istat-comuni.parser.js';
import { parsePosas } from '../features/territory/posas.parser.js';
import { importComuni, importPopulation, type Progress } from '../features/territory/territory.import.js';
import { DomainError } from '../http/errors.js';
import { registerPlanCommands } from './plan.js';
import { registerUserCommands } from './users.js';

interface GlobalOptions {
  dataDir?: string;
}

async function withDatabase<T>(
  program: Command,
  fn: (database: Database) => Promise<T>,
  o: { asOwner?: boolean } = {},
): Promise<T> {
  const opts = program.opts<GlobalOptions>();
  const config = loadConfig({ ...process.env, ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}) });
  const database = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    asOwner: o.asOwner,
  });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** A progress bar on a terminal; silent when output is redirected (scripts, CI). */
function progressBar(label: string): { onProgress: Progress; stop(): void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

function readInput(file: string): Buffer {
  if (!fs.existsSync(file)) throw new ImportError(0, `file non trovato: ${file}`);
  return fs.readFileSync(file);
}

export function buildCli(): Command {
  const program = new Command('ambito')
    .description('Piattaforma per il Piano di Zona degli Ambiti territoriali')
    .version(VERSION)
    .option('--data-dir <dir>', 'cartella del database incorporato (default ./data, o DATA_DIR)')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('avvia il server web e le API (come npm start)')
    .action(async () => {
      const opts = program.opts<GlobalOptions>();
      if (opts.dataDir) process.env.DATA_DIR = opts.dataDir;
      const { serve } = await import('../main.js');
      await serve();
      await new Promise(() => {}); // runs until a signal stops it
    });

  program
    .command('migrate')
    .description('applica le migrazioni del database')
    .action(() => withDatabase(program, async () => console.log('Database aggiornato.')));

  program
    .command('seed')
    .description('carica i dati di riferimento e i dati dimostrativi (idempotente)')
    .action(() =>
      withDatabase(program, async ({ db }) => {
        const r = await seedDemo(db);
        console.log(`Comuni caricati: ${r.comuni}; Ambiti dimostrativi creati: ${r.territory.ambiti}.`);
      }),
    );

  const imp = program.command('import').description('importa dati di riferimento');
  imp
    .command('comuni <file>')
    .description("importa l'elenco ISTAT dei Comuni (CSV ufficiale, Latin-1, separatore ';')")
    .option('--date <yyyy-mm-dd>', "data di riferimento dell'elenco (altrimenti dal nome del file)")
    .action((file: string, opts: { date?: string }) =>
      withDatabase(program, async ({ db }) => {
        const listDate = opts.date ?? listDateFromName(file);
        if (!listDate || !/^\d{4}-\d{2}-\d{2}$/.test(listDate))
          throw new ImportError(0, "indicare la data dell'elenco con --date AAAA-MM-GG");
        const rows = parseIstatComuni(readInput(file));
        const bar = progressBar('Comuni');
        try {
          const r = await importComuni(db, rows, {
            listDate,
            source: path.basename(file),
            onProgress: bar.onProgress,
          });
          bar.stop();
          console.log(
            `Elenco del ${r.listDate}: ${r.rows} comuni (${r.inserted} nuovi, ${r.updated} aggiornati, ${r.ceased} cessati).`,
          );
        } finally {
          bar.stop();
        }
      }),
    );
  imp
    .command('popolazione <file>')
    .description('importa la popolazione per età e sesso (formato ISTAT POSAS)')
    .option('--year <yyyy>', 'anno di riferimento (altrimenti dal titolo del file)')
    .action((file: string, opts: { year?: string }) =>
      withDatabase(program, async ({ db }) => {
        if (opts.year !== undefined && !/^\d{4}$/.test(opts.year))
          throw new ImportError(0, '--year deve essere un anno di 4 cifre');
        const parsed = parsePosas(readInput(file), opts.year ? { year: Number(opts.year) } : undefined);
        const year = opts.year ? Number(opts.year) : parsed.year;
        if (!year) throw new ImportError(1, 'anno non indicato nel titolo: usare --year AAAA');
        const bar = progressBar('Popolazione');
        try {
          const r = await importPopulation(db, parsed, {
            year,
            source: path.basename(file),
            onProgress: bar.onProgress,
          });
          bar.stop();
          console.log(`Popolazione al 1° gennaio ${r.year}: ${r.comuni} comuni, ${r.values} valori.`);
        } finally {
          bar.stop();
        }
      }),
    );
  registerUserCommands(program, (fn, o) => withDatabase(program, fn, o));
  registerPlanCommands(program, (fn, o) => withDatabase(program, fn, o));
  return program;
}

/** Runs the command line; returns the exit code. Errors go to stderr with the line when there is one. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof DomainError) {
      const fields = error.errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
      console.error(`Errore: ${error.message}${fields && fields !== error.message ? ` (${fields})` : ''}`);
      return 2;
    }
    if (error instanceof ImportError) {
      console.error(
        error.line > 0 ? `Errore: line ${error.line}: ${error.reason}` : `Errore: ${error.reason}`,
      );
      return 2;
    }
    console.error(`Errore: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
