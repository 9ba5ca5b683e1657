import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';
import { invalid } from '../../http/errors.js';

/** The figures a split rule is applied to, read inside the Ambito's tenant session. */

interface Member {
  istat_code: string;
  name: string;
}

/** The Comuni of the Ambito on a date, in ISTAT order. */
export async function membersOn(trx: Tx, date: string): Promise<Member[]> {
  return trx
    .selectFrom('ambito_comuni as m')
    .innerJoin('comuni as c', 'c.istat_code', 'm.istat_code')
    .select(['m.istat_code', 'c.name'])
    .where('m.valid_from', '<=', date)
    .where((eb) => eb.or([eb('m.valid_to', 'is', null), eb('m.valid_to', '>=', date)]))
    .orderBy('m.istat_code')
    .execute();
}

/**
 * Residents of each Comune from the ISTAT figures at 1 January of the reference date's year,
 * optionally of an age range (18-64 for Dopo di Noi). No figures for that year is an error that
 * names the years there are: a split must never silently use another year.
 */
export async function populationOn(
  trx: Tx,
  codes: string[],
  referenceDate: string,
  field: string,
  ages: { from?: number | undefined; to?: number | undefined } = {},
): Promise<{ figures: Map<string, number>; year: number }> {
  const year = Number(referenceDate.slice(0, 4));
  const rows = codes.length
    ? await trx
        .selectFrom('population')
        .select(['istat_code', sql<number>`sum(male + female)::bigint`.as('residents')])
        .where('ref_year', '=', year)
        .where('istat_code', 'in', codes)
        .where('age', '>=', ages.from ?? 0)
        .where('age', '<=', ages.to ?? 100)
        .groupBy('istat_code')
        .execute()
    : [];
  if (rows.length === 0) {
    const years = await trx.selectFrom('population_imports').select('ref_year').orderBy('ref_year').execute();
    throw invalid(
      field,
      `nessun dato di popolazione al 01/01/${year}; anni disponibili: ${years.map((y) => y.ref_year).join(', ') || 'nessuno'}`,
    );
  }
  return { figures: new Map(rows.map((r) => [r.istat_code, Number(r.residents)])), year };
}

/** What was paid in each Comune on an earlier year's commitments (optionally of one fund). */
export async function historicalSpending(trx: Tx, codes: string[], year: number, fundCode?: string) {
  const { rows } = await sql<{ istat: string; paid: number }>`
    select c.comune_istat as istat, sum(p.amount_cents)::bigint as paid
    from payments p
    join commitments c on c.ambito_id = p.ambito_id and c.id = p.commitment_id
    join budget_lines l on l.ambito_id = c.ambito_id and l.id = c.budget_line_id
    join fund_assignments a on a.ambito_id = l.ambito_id and a.id = l.assignment_id
    join funds f on f.id = a.fund_id
    where c.year = ${year} and c.comune_istat is not null
      and (${fundCode ?? null}::text is null or f.code = ${fundCode ?? null})
    group by c.comune_istat`.execute(trx);
  const paid = new Map(rows.map((r) => [r.istat, Number(r.paid)]));
  // A Comune where nothing was spent has a figure of zero, not a missing one.
  return new Map(codes.map((c) => [c, paid.get(c) ?? 0]));
}
