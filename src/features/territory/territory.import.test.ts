import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/database.js';
import { withTenant } from '../../db/scope.js';
import { BUNDLED_COMUNI, seedDemo } from '../../db/seed.js';
import { ImportError } from './import-error.js';
import { parseIstatComuni } from './istat-comuni.parser.js';
import { parsePosas } from './posas.parser.js';
import { importComuni, importPopulation } from './territory.import.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db, { users: false });
});
afterAll(() => database?.close());

describe('re-importing a newer ISTAT list', () => {
  it('updates names, marks vanished comuni as ceased, and keeps everything that refers to them', async () => {
    const rows = parseIstatComuni(fs.readFileSync(BUNDLED_COMUNI));
    // A newer list where Villasanta (a member of the demo Ambito of Monza) merged away and Monza was renamed.
    const newer = rows
      .filter((r) => r.istatCode !== '108049')
      .map((r) => (r.istatCode === '108033' ? { ...r, name: 'Monza (nuova denominazione)' } : r));
    const result = await importComuni(database.db, newer, { listDate: '2021-01-01', source: 'test' });
    expect(result).toMatchObject({ rows: rows.length - 1, inserted: 0, ceased: 1 });

    const villasanta = await database.db
      .selectFrom('comuni')
      .selectAll()
      .where('istat_code', '=', '108049')
      .executeTakeFirstOrThrow();
    expect(villasanta.ceased_on).toBe('2021-01-01');
    const monza = await database.db
      .selectFrom('comuni')
      .select('name')
      .where('istat_code', '=', '108033')
      .executeTakeFirstOrThrow();
    expect(monza.name).toBe('Monza (nuova denominazione)');
    const ambito = await database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'monza')
      .executeTakeFirstOrThrow();
    const members = await withTenant(database.db, { ambitoId: ambito.id }, (trx) =>
      trx.selectFrom('ambito_comuni').select('istat_code').execute(),
    );
    expect(members.map((m) => m.istat_code)).toContain('108049');
  });

  it('refuses a list older than one already applied, writing nothing', async () => {
    const rows = parseIstatComuni(fs.readFileSync(BUNDLED_COMUNI)).map((r) => ({
      ...r,
      name: `${r.name} (vecchio)`,
    }));
    await expect(
      importComuni(database.db, rows, { listDate: '2019-01-01', source: 'test' }),
    ).rejects.toBeInstanceOf(ImportError);
    const milano = await database.db
      .selectFrom('comuni')
      .select('name')
      .where('istat_code', '=', '015146')
      .executeTakeFirstOrThrow();
    expect(milano.name).toBe('Milano');
  });

  it('refuses population for a comune missing from the list, writing nothing', async () => {
    const attempt = importPopulation(
      database.db,
      {
        year: 2030,
        comuni: 2,
        rows: [
          { istatCode: '015146', age: 0, male: 1, female: 1 },
          { istatCode: '999999', age: 0, male: 1, female: 1 },
        ],
      },
      { year: 2030, source: 'test' },
    );
    await expect(attempt).rejects.toThrow(/999999/);
    const any = await database.db
      .selectFrom('population')
      .select('istat_code')
      .where('ref_year', '=', 2030)
      .executeTakeFirst();
    expect(any).toBeUndefined();
  });

  it('names the line of a comune in a population file that the ISTAT list does not know', async () => {
    const rows = (code: string) =>
      Array.from({ length: 101 }, (_, age) => `${code};X;${age};1;1;2`).join('\n');
    const file = Buffer.from(
      `\uFEFFPopolazione residente al 1° gennaio 2031\nCodice comune;Denominazione;Età;Totale maschi;Totale femmine;Totale\n${rows('015146')}\n${rows('999999')}\n`,
    );
    const parsed = parsePosas(file);
    const attempt = importPopulation(database.db, parsed, { year: 2031, source: 'test' });
    // Title, header, 101 rows of Milano: the unknown comune starts on line 104.
    await expect(attempt).rejects.toMatchObject({ line: 104, field: 'Codice comune' });
  });
});

describe('a comune whose cadastral code is not yet assigned', () => {
  // A merger creates a comune; the first ISTAT list that has it says N.D. for its cadastral code.
  const NEW_CODE = '108999';
  const withNewComune = (belfiore: string | null) => {
    const rows = parseIstatComuni(fs.readFileSync(BUNDLED_COMUNI));
    const monza = rows.find((r) => r.istatCode === '108033');
    if (!monza) throw new Error('Monza missing from the bundled list');
    return [...rows, { ...monza, istatCode: NEW_CODE, name: 'Comune di prova da fusione', belfiore }];
  };
  const stored = () =>
    database.db
      .selectFrom('comuni')
      .select(['name', 'belfiore', 'ceased_on'])
      .where('istat_code', '=', NEW_CODE)
      .executeTakeFirst();

  it('is kept with an unknown code, found by search, and gets its code from a later list', async () => {
    const first = await importComuni(database.db, withNewComune(null), {
      listDate: '2022-01-01',
      source: 'test',
    });
    expect(first.inserted).toBe(1);
    expect(await stored()).toEqual({ name: 'Comune di prova da fusione', belfiore: null, ceased_on: null });

    const app = await buildApp({ db: database.db, rateLimitPerMinute: 100_000 });
    try {
      const res = await app.inject({ url: '/api/v1/comuni?q=comune%20di%20prova' });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([expect.objectContaining({ istatCode: NEW_CODE, belfiore: null })]);
    } finally {
      await app.close();
    }

    await importComuni(database.db, withNewComune('M999'), { listDate: '2022-07-01', source: 'test' });
    expect(await stored()).toMatchObject({ belfiore: 'M999', ceased_on: null });

    // A later list that again says N.D. does not forget a code already known.
    await importComuni(database.db, withNewComune(null), { listDate: '2023-01-01', source: 'test' });
    expect(await stored()).toMatchObject({ belfiore: 'M999' });
  });
});
