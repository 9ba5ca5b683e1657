import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';

const ambitoColumns = [
  'a.id',
  'a.code',
  'a.name',
  'a.ats',
  'a.asst',
  'a.district',
  'a.demo',
  'a.capofila_istat',
  'c.name as capofila_name',
] as const;

export function listAmbiti(trx: Tx) {
  return trx
    .selectFrom('ambiti as a')
    .leftJoin('comuni as c', 'c.istat_code', 'a.capofila_istat')
    .select(ambitoColumns)
    .orderBy('a.name')
    .execute();
}

export function findAmbito(trx: Tx, id: string) {
  return trx
    .selectFrom('ambiti as a')
    .leftJoin('comuni as c', 'c.istat_code', 'a.capofila_istat')
    .select(ambitoColumns)
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export function findAmbitoByCode(trx: Tx, code: string) {
  return trx.selectFrom('ambiti').select(['id', 'code']).where('code', '=', code).executeTakeFirst();
}

/** Memberships of the tenant in session (row-level security scopes them to one Ambito). */
export function listMemberships(trx: Tx) {
  return trx
    .selectFrom('ambito_comuni as m')
    .innerJoin('comuni as c', 'c.istat_code', 'm.istat_code')
    .innerJoin('provinces as p', 'p.code', 'c.province_code')
    .select([
      'm.istat_code',
      'm.valid_from',
      'm.valid_to',
      'c.name',
      'c.legal_population',
      'p.abbr as province_abbr',
      'p.name as province_name',
    ])
    .orderBy('c.name')
    .orderBy('m.valid_from')
    .execute();
}

export function findCurrentMembership(trx: Tx, istatCode: string, date: string) {
  return trx
    .selectFrom('ambito_comuni')
    .selectAll()
    .where('istat_code', '=', istatCode)
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
    .executeTakeFirst();
}

export function insertAmbito(
  trx: Tx,
  row: {
    id: string;
    code: string;
    name: string;
    capofila_istat: string;
    ats: string | null;
    asst: string | null;
    district: string | null;
    demo?: boolean;
  },
) {
  return trx.insertInto('ambiti').values(row).execute();
}

export function updateAmbito(
  trx: Tx,
  id: string,
  patch: Partial<{
    name: string;
    capofila_istat: string;
    ats: string | null;
    asst: string | null;
    district: string | null;
  }>,
) {
  return trx
    .updateTable('ambiti')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export function insertMemberships(
  trx: Tx,
  rows: Array<{ ambito_id: string; istat_code: string; valid_from: string; valid_to: string | null }>,
) {
  return trx.insertInto('ambito_comuni').values(rows).execute();
}

export function endMembership(trx: Tx, istatCode: string, validFrom: string, validTo: string) {
  return trx
    .updateTable('ambito_comuni')
    .set({ valid_to: validTo })
    .where('istat_code', '=', istatCode)
    .where('valid_from', '=', validFrom)
    .execute();
}

export function listComuniByCodes(trx: Tx, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('comuni')
    .select(['istat_code', 'name', 'ceased_on'])
    .where('istat_code', 'in', codes)
    .execute();
}

export function searchComuni(trx: Tx, q: string, limit: number) {
  let query = trx
    .selectFrom('comuni as c')
    .innerJoin('provinces as p', 'p.code', 'c.province_code')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select([
      'c.istat_code',
      'c.name',
      'c.belfiore',
      'c.legal_population',
      'c.ceased_on',
      'p.abbr as province_abbr',
      'p.name as province_name',
      'r.name as region_name',
    ]);
  if (/^[0-9]{1,6}$/.test(q)) query = query.where('c.istat_code', 'like', `${q}%`);
  else if (/^[A-Za-z][0-9]{3}$/.test(q)) query = query.where('c.belfiore', '=', q.toUpperCase());
  else if (q) {
    const escaped = q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`);
    // Names starting with the text come first, then names containing it.
    query = query
      .where(sql<boolean>`lower(c.name) like ${`%${escaped}%`}`)
      .orderBy(sql`lower(c.name) like ${`${escaped}%`}`, 'desc');
  }
  return query.orderBy('c.name').orderBy('c.istat_code').limit(limit).execute();
}

/** The latest population year on or before `year`, with whether it is demo data. */
export function findPopulationYear(trx: Tx, year: number) {
  return trx
    .selectFrom('population_imports')
    .select(['ref_year', 'demo'])
    .where('ref_year', '<=', year)
    .orderBy('ref_year', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Per-comune totals and age bands derived from the single-year-of-age table. */
export function populationByComune(trx: Tx, codes: string[], year: number) {
  if (codes.length === 0) return Promise.resolve([]);
  const band = (lo: number, hi: number) =>
    sql<number>`coalesce(sum(male + female) filter (where age between ${lo} and ${hi}), 0)::int`;
  return trx
    .selectFrom('population')
    .select([
      'istat_code',
      sql<number>`sum(male + female)::int`.as('total'),
      band(0, 17).as('age0to17'),
      band(18, 64).as('age18to64'),
      band(65, 100).as('age65plus'),
      band(75, 100).as('age75plus'),
    ])
    .where('ref_year', '=', year)
    .where('istat_code', 'in', codes)
    .groupBy('istat_code')
    .execute();
}
