import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPgDatabase, dropPgDatabase, withDatabaseName } from '../../test/helpers/pg-template.js';
import { openDatabase } from '../db/database.js';
import { BUNDLED_COMUNI } from '../db/seed.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/ambito.mjs');

let tmp: string;
let env: NodeJS.ProcessEnv;
let pgName: string | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-cli-'));
  env = { ...process.env, DATA_DIR: path.join(tmp, 'data') };
  const url = process.env.DATABASE_URL;
  if (url) {
    // A database of its own, so the CLI's writes never meet another test file's.
    pgName = await createPgDatabase(url, inject('pgTemplate') as string);
    env.DATABASE_URL = withDatabaseName(url, pgName);
  }
});
afterAll(async () => {
  if (pgName && process.env.DATABASE_URL) await dropPgDatabase(process.env.DATABASE_URL, pgName);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ambito(...args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], {
      env,
      timeout: 120_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// Each command starts a process and opens the embedded database: minutes, not seconds, under load.
describe('the ambito command', { timeout: 180_000 }, () => {
  it('lists its commands', async () => {
    const r = await ambito('--help');
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed', 'import']) expect(r.stdout).toContain(cmd);
  });

  it('imports the official ISTAT list, then a population file, quietly when not on a terminal', async () => {
    const ok = await ambito('import', 'comuni', BUNDLED_COMUNI);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/7\.?9\d\d comuni/);

    const posas = path.join(tmp, 'posas.csv');
    const rows = ['108033', '108012']
      .flatMap((code) =>
        Array.from({ length: 101 }, (_, age) => `${code};X;${age};${10 + age};${11 + age};${21 + 2 * age}`),
      )
      .join('\n');
    fs.writeFileSync(
      posas,
      `\uFEFFPopolazione residente al 1° gennaio 2023\nCodice comune;Denominazione;Età;Totale maschi;Totale femmine;Totale\n${rows}\n`,
    );
    const pop = await ambito('import', 'popolazione', posas);
    expect(pop.stderr).toBe('');
    expect(pop.code).toBe(0);

    const database = await openDatabase({ dataDir: env.DATA_DIR, databaseUrl: env.DATABASE_URL });
    try {
      const sum = await database.db
        .selectFrom('population')
        .select((eb) => eb.fn.sum<number>(eb('male', '+', eb.ref('female'))).as('n'))
        .where('ref_year', '=', 2023)
        .where('istat_code', '=', '108033')
        .executeTakeFirstOrThrow();
      expect(Number(sum.n)).toBe(
        Array.from({ length: 101 }, (_, a) => 21 + 2 * a).reduce((x, y) => x + y, 0),
      );
    } finally {
      await database.close();
    }
  });

  it('refuses a broken file naming the line', async () => {
    const text = fs.readFileSync(BUNDLED_COMUNI, 'latin1').split('\r\n');
    text[10] = text[10]?.replace(/;0(\d{5});/, ';0$1X;') ?? '';
    const broken = path.join(tmp, 'Elenco-comuni-italiani-2021-01-01.csv');
    fs.writeFileSync(broken, Buffer.from(text.join('\r\n'), 'latin1'));
    const r = await ambito('import', 'comuni', broken);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/line \d+/);
    const missing = await ambito('import', 'popolazione', path.join(tmp, 'nope.csv'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('file non trovato');
  });

  it('creates users with roles, refuses weak passwords, and lists them', async () => {
    const ok = await ambito(
      'user',
      'create',
      '--username',
      'mario.rossi',
      '--password',
      'cavallo-batteria-graffetta',
      '--role',
      'admin',
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const weak = await ambito(
      'user',
      'create',
      '--username',
      'anna.bianchi',
      '--password',
      'password1234',
      '--role',
      'cittadino',
    );
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toContain('password');
    const scoped = await ambito(
      'user',
      'create',
      '--username',
      'luca.verdi',
      '--password',
      'cavallo-batteria-graffetta',
      '--role',
      'revisore',
    );
    expect(scoped.code).not.toBe(0);
    expect(scoped.stderr).toContain('ambitoId');
    const list = await ambito('user', 'list');
    expect(list.stdout).toMatch(/mario\.rossi\s+attivo\s+admin/);
    expect((await ambito('user', 'grant', 'mario.rossi', '--role', 'cittadino')).code).toBe(0);
    expect((await ambito('user', 'list')).stdout).toMatch(/mario\.rossi\s+attivo\s+admin, cittadino/);
    expect((await ambito('user', 'revoke', 'mario.rossi', '--role', 'cittadino')).code).toBe(0);
    const again = await ambito('user', 'revoke', 'mario.rossi', '--role', 'cittadino');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('non ha il ruolo cittadino');
    expect((await ambito('user', 'disable', 'mario.rossi')).code).toBe(0);
  });

  it('verifies the audit chain, and names the first altered entry', async () => {
    const ok = await ambito('audit', 'verify');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Registro integro: \d+ voci/);

    const database = await openDatabase({
      dataDir: env.DATA_DIR,
      databaseUrl: env.DATABASE_URL,
      asOwner: true,
    });
    try {
      const { sql } = await import('kysely');
      // Only someone with the owner's rights can even try: switch the guard off, alter, switch it on.
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(database.db);
      await sql`update audit_log set action = 'tampered' where id = 2`.execute(database.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(database.db);
    } finally {
      await database.close();
    }
    const broken = await ambito('audit', 'verify');
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('voce 2');
  });

  it('exports a plan as PDF and XLSX and imports the workbook as a new draft; a bad workbook lists every error', async () => {
    const seeded = await ambito('seed');
    expect(seeded.code, seeded.stderr).toBe(0);
    const database = await openDatabase({
      dataDir: env.DATA_DIR,
      databaseUrl: env.DATABASE_URL,
      asOwner: true,
    });
    let planId: string;
    let monza: string;
    try {
      planId = (
        await database.db
          .selectFrom('plans')
          .select('id')
          .where('period_code', '=', '2021-2023')
          .executeTakeFirstOrThrow()
      ).id;
      monza = (
        await database.db
          .selectFrom('ambiti')
          .select('id')
          .where('code', '=', 'monza')
          .executeTakeFirstOrThrow()
      ).id;
    } finally {
      await database.close();
    }
    const pdf = path.join(tmp, 'piano.pdf');
    const xlsx = path.join(tmp, 'piano.xlsx');
    expect((await ambito('plan', 'export', '--plan', planId, '--format', 'pdf', '--out', pdf)).code).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await ambito('plan', 'export', '--plan', planId, '--format', 'xlsx', '--out', xlsx)).code).toBe(
      0,
    );

    const imported = await ambito('plan', 'import', xlsx, '--ambito', monza);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);

    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const actions = book.getWorksheet('Azioni');
    if (!actions) throw new Error('no Azioni sheet');
    // Two actions without a title: both are reported, each with its row.
    actions.getRow(2).getCell(3).value = null;
    actions.getRow(3).getCell(3).value = null;
    const broken = path.join(tmp, 'piano-rotto.xlsx');
    await book.xlsx.writeFile(broken);
    const refused = await ambito('plan', 'import', broken, '--ambito', monza);
    expect(refused.code).not.toBe(0);
    const lines = refused.stderr.split('\n').filter((l) => /Azioni riga [23] colonna/.test(l));
    expect(lines).toHaveLength(2);
  });
});
