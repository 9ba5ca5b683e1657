import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createPGlite, pgliteRunner, pgRunner } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { SerializedPGliteDialect } from '../src/db/pglite-dialect.js';
import { BUNDLED_COMUNI } from '../src/db/seed.js';
import type { DB } from '../src/db/types.js';
import { parseIstatComuni } from '../src/features/territory/istat-comuni.parser.js';
import { parsePosas } from '../src/features/territory/posas.parser.js';
import { importComuni, importPopulation } from '../src/features/territory/territory.import.js';
import { dropPgDatabase, withDatabaseName } from '../test/helpers/pg-template.js';
import { postgresUrl, report, round, time } from './lib.js';
import { synthesizePosas } from './posas-synthetic.js';

interface Engine {
  name: 'pglite' | 'postgres';
  db: Kysely<DB>;
  /** COPY of CSV text into a table, the baseline a bulk import is compared with. */
  copy(table: string, columns: string[], csv: string): Promise<void>;
  close(): Promise<void>;
}

async function pgliteEngine(): Promise<Engine> {
  const pglite = await createPGlite();
  await migrate(pgliteRunner(pglite));
  const db = new Kysely<DB>({ dialect: new SerializedPGliteDialect({ pglite }) });
  return {
    name: 'pglite',
    db,
    copy: async (table, columns, csv) => {
      await pglite.query(`copy ${table} (${columns.join(',')}) from '/dev/blob' with (format csv)`, [], {
        blob: new Blob([csv]),
      });
    },
    close: () => db.destroy(),
  };
}

async function postgresEngine(url: string): Promise<Engine> {
  // An empty database of its own, migrated here (no template: the import itself is measured).
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `ambito_bench_${Date.now()}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = withDatabaseName(url, name);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  await migrate(pgRunner(client));
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: dbUrl, max: 2 }) }),
  });
  return {
    name: 'postgres',
    db,
    copy: async (table, columns, csv) => {
      const stream = client.query(
        copyFrom(`copy ${table} (${columns.join(',')}) from stdin with (format csv)`),
      );
      await pipeline(Readable.from([csv]), stream);
    },
    close: async () => {
      await db.destroy();
      await client.end();
      await dropPgDatabase(url, name);
    },
  };
}

const csvField = (v: unknown) =>
  v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);

async function measure(engine: Engine) {
  const file = fs.readFileSync(BUNDLED_COMUNI);
  const parse = await time(() => parseIstatComuni(file));
  const rows = parse.value;
  const load = await time(() => importComuni(engine.db, rows, { listDate: '2020-01-01', source: 'bench' }));

  // Baseline: COPY the same comuni rows into an identical empty table on the same database.
  await sql`create table bench_comuni (like comuni including all)`.execute(engine.db);
  const comuniCsv = rows
    .map((r) =>
      [
        r.istatCode,
        r.name,
        r.nameOther,
        r.provinceCode,
        r.belfiore,
        r.legalPopulation,
        r.isCapoluogo,
        '2020-01-01',
      ]
        .map(csvField)
        .join(','),
    )
    .join('\n');
  const copyComuni = await time(() =>
    engine.copy(
      'bench_comuni',
      [
        'istat_code',
        'name',
        'name_other',
        'province_code',
        'belfiore',
        'legal_population',
        'is_capoluogo',
        'list_date',
      ],
      comuniCsv,
    ),
  );

  const posas = synthesizePosas(
    rows.map((r) => ({ istatCode: r.istatCode, name: r.name, legalPopulation: r.legalPopulation })),
    2024,
  );
  const posasParse = await time(() => parsePosas(posas));
  const posasLoad = await time(() =>
    importPopulation(engine.db, posasParse.value, { year: 2024, source: 'bench' }),
  );
  await sql`create table bench_population (like population including all)`.execute(engine.db);
  const popCsv = posasParse.value.rows
    .map((r) => `${r.istatCode},2024,${r.age},${r.male},${r.female}`)
    .join('\n');
  const copyPop = await time(() =>
    engine.copy('bench_population', ['istat_code', 'ref_year', 'age', 'male', 'female'], popCsv),
  );

  const comuniTotal = parse.ms + load.ms;
  const popTotal = posasParse.ms + posasLoad.ms;
  return {
    comuni: {
      rows: rows.length,
      parseSeconds: round(parse.ms / 1000, 3),
      importSeconds: round(load.ms / 1000, 3),
      totalSeconds: round(comuniTotal / 1000, 3),
      copySeconds: round(copyComuni.ms / 1000, 3),
      ratioToCopy: round(comuniTotal / copyComuni.ms),
    },
    popolazione: {
      rows: posasParse.value.rows.length,
      values: posasParse.value.rows.length * 2,
      fileMB: round(posas.length / 1024 / 1024, 1),
      parseSeconds: round(posasParse.ms / 1000, 3),
      importSeconds: round(posasLoad.ms / 1000, 3),
      totalSeconds: round(popTotal / 1000, 3),
      copySeconds: round(copyPop.ms / 1000, 3),
      ratioToCopy: round(popTotal / copyPop.ms),
    },
  };
}

export async function benchImports(): Promise<void> {
  const results: Record<string, unknown> = {};
  const lite = await pgliteEngine();
  try {
    results.pglite = await measure(lite);
  } finally {
    await lite.close();
  }
  const url = await postgresUrl();
  if (url) {
    const server = await postgresEngine(url);
    try {
      results.postgres = await measure(server);
    } finally {
      await server.close();
    }
  } else results.postgres = 'skipped: no PostgreSQL server reachable';
  report('imports', results);
}
