import { type Kysely, sql } from 'kysely';
import { withReference } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { ImportError } from './import-error.js';
import type { IstatComuneRow } from './istat-comuni.parser.js';
import type { PosasParsed } from './posas.parser.js';

export type Progress = (done: number, total: number) => void;

export interface ComuniImportResult {
  listDate: string;
  rows: number;
  inserted: number;
  updated: number;
  ceased: number;
}

const CHUNK = 20_000;

/**
 * Loads the ISTAT list in one transaction: regions, provinces and comuni are upserted, and
 * comuni missing from the newer list are marked ceased on its date, never deleted, so that
 * memberships and history that refer to them stay valid. An older list than one already
 * applied is refused, so names cannot go back in time. A cadastral code not yet assigned (N.D. in
 * the list, null here) never erases one already known; a later list that brings it fills it in.
 */
export async function importComuni(
  db: Kysely<DB>,
  rows: IstatComuneRow[],
  opts: { listDate: string; source: string; onProgress?: Progress },
): Promise<ComuniImportResult> {
  return withReference(db, async (trx) => {
    const newer = await trx
      .selectFrom('comuni_imports')
      .select('list_date')
      .where('list_date', '>', opts.listDate)
      .executeTakeFirst();
    if (newer) throw new ImportError(0, `è già stato importato un elenco più recente (${newer.list_date})`);

    const regions = new Map(rows.map((r) => [r.regionCode, r.regionName]));
    const provinces = new Map(rows.map((r) => [r.provinceCode, r]));
    await sql`insert into regions (code, name)
      select * from unnest(${[...regions.keys()]}::text[], ${[...regions.values()]}::text[])
      on conflict (code) do update set name = excluded.name`.execute(trx);
    const prov = [...provinces.values()];
    await sql`insert into provinces (code, name, abbr, region_code)
      select * from unnest(${prov.map((p) => p.provinceCode)}::text[], ${prov.map((p) => p.provinceName)}::text[],
        ${prov.map((p) => p.provinceAbbr)}::text[], ${prov.map((p) => p.regionCode)}::text[])
      on conflict (code) do update set name = excluded.name, abbr = excluded.abbr, region_code = excluded.region_code`.execute(
      trx,
    );

    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const result = await sql<{ inserted: boolean }>`
        insert into comuni (istat_code, name, name_other, province_code, belfiore, legal_population, is_capoluogo, list_date, ceased_on)
        select c.*, ${opts.listDate}::date, null::date from unnest(
          ${part.map((r) => r.istatCode)}::text[], ${part.map((r) => r.name)}::text[], ${part.map((r) => r.nameOther)}::text[],
          ${part.map((r) => r.provinceCode)}::text[], ${part.map((r) => r.belfiore)}::text[],
          ${part.map((r) => r.legalPopulation)}::int[], ${part.map((r) => r.isCapoluogo)}::boolean[]
        ) as c
        on conflict (istat_code) do update set
          name = excluded.name, name_other = excluded.name_other, province_code = excluded.province_code,
          belfiore = coalesce(excluded.belfiore, comuni.belfiore), legal_population = excluded.legal_population,
          is_capoluogo = excluded.is_capoluogo, list_date = excluded.list_date, ceased_on = null, updated_at = now()
        returning (xmax = 0) as inserted`.execute(trx);
      for (const r of result.rows) r.inserted ? inserted++ : updated++;
      opts.onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
    }
    const ceased = await sql`update comuni set ceased_on = ${opts.listDate}::date, updated_at = now()
      where ceased_on is null and not (istat_code = any(${rows.map((r) => r.istatCode)}::text[]))`.execute(
      trx,
    );
    const ceasedCount = Number(ceased.numAffectedRows ?? 0);
    await trx
      .insertInto('comuni_imports')
      .values({ list_date: opts.listDate, source: opts.source, rows: rows.length, ceased: ceasedCount })
      .onConflict((oc) =>
        oc.column('list_date').doUpdateSet({
          source: opts.source,
          rows: rows.length,
          ceased: ceasedCount,
          imported_at: new Date(),
        }),
      )
      .execute();
    return { listDate: opts.listDate, rows: rows.length, inserted, updated, ceased: ceasedCount };
  });
}

export interface PopulationImportResult {
  year: number;
  comuni: number;
  values: number;
}

/**
 * Replaces one year's population in one transaction. Every comune must already be in the
 * reference list: an unknown code is refused with its line and nothing is written.
 */
export async function importPopulation(
  db: Kysely<DB>,
  parsed: PosasParsed,
  opts: { year: number; source: string; demo?: boolean; onProgress?: Progress },
): Promise<PopulationImportResult> {
  const { rows } = parsed;
  return withReference(db, async (trx) => {
    const codes = [...new Set(rows.map((r) => r.istatCode))];
    const known = await sql<{ code: string }>`
      select u.code from unnest(${codes}::text[]) as u(code) join comuni c on c.istat_code = u.code`.execute(
      trx,
    );
    const knownSet = new Set(known.rows.map((r) => r.code));
    const unknown = rows.find((r) => !knownSet.has(r.istatCode));
    if (unknown) {
      throw new ImportError(
        parsed.firstLine?.get(unknown.istatCode) ?? 0,
        `Comune ${unknown.istatCode} non presente nell'elenco ISTAT: importare prima l'elenco dei Comuni`,
        'Codice comune',
      );
    }
    await trx.deleteFrom('population').where('ref_year', '=', opts.year).execute();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await sql`insert into population (istat_code, ref_year, age, male, female)
        select code, ${opts.year}, age, male, female from unnest(
          ${part.map((r) => r.istatCode)}::text[], ${part.map((r) => r.age)}::smallint[],
          ${part.map((r) => r.male)}::int[], ${part.map((r) => r.female)}::int[]) as u(code, age, male, female)`.execute(
        trx,
      );
      opts.onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
    }
    await trx
      .insertInto('population_imports')
      .values({ ref_year: opts.year, source: opts.source, demo: opts.demo ?? false, comuni: codes.length })
      .onConflict((oc) =>
        oc.column('ref_year').doUpdateSet({
          source: opts.source,
          demo: opts.demo ?? false,
          comuni: codes.length,
          imported_at: new Date(),
        }),
      )
      .execute();
    return { year: opts.year, comuni: codes.length, values: rows.length * 2 };
  });
}
