import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../src/db/database.js';
import { APP_ROLE } from '../src/db/migrate.js';
import { ensureReferenceData } from '../src/db/seed.js';
import type { DB } from '../src/db/types.js';

/**
 * The region-sized money data set of the finance benchmark, written with set-based SQL as the
 * database owner. Every count is exact by construction:
 * - 90 Ambiti sharing 1,500 Lombard Comuni (contiguous ISTAT codes, ~17 each) from 2021;
 * - per Ambito a plan with 4 general and 8 specific objectives and 24 actions;
 * - 10 funds per Ambito: the 8 catalogue funds and 2 of its own (PROPRIO_1, PROPRIO_2);
 * - 2021-2025, one assignment per fund and year: 4,500 assignments;
 * - 3, 4 or 5 budget lines per assignment (cycle): 18,000 lines on the Ambito's actions;
 * - 6, 8, 10, 12 or 14 commitments per line (cycle): 180,000 commitments;
 * - 0, 3, 6, 9, 11, 13, 16, 19 or 23 payments per commitment (cycle of 9 summing to 100): 2,000,000.
 * Each level takes a share of its parent (budgeted 83-96%, committed 78-98%, paid 10-100%,
 * lower in recent years) split by integer weights and floored, so sums never exceed the parent.
 * Payments after two thirds of a commitment fall in the next year (residui).
 */
export const YEARS = [2021, 2022, 2023, 2024, 2025];
export const AMBITI = 90;
export const COMUNI = 1500;
/** One extra Ambito holding all 1,500 Comuni in 2015-2020, for the split preview through the service. */
export const REGION_CODE = 'bench-regione';
export const REGION_AS_OF = '2020-06-30';

/** A deterministic pseudo-random integer in [0, n) of an integer SQL expression. */
const h = (x: string, n: number): RawBuilder<number> =>
  sql.raw(`((((${x})::bigint * 2654435761) % 4294967296) / 256 % ${n})`);

export interface GeneratedData {
  ambiti: Array<{ id: string; n: number }>;
  regionAmbitoId: string;
  stepsMs: Record<string, number>;
  generationMs: number;
  analyzeMs: number;
  check: Record<string, number | boolean>;
}

export async function generateFinanceData(database: Database): Promise<GeneratedData> {
  await ensureReferenceData(database.db);
  return database.db.connection().execute(async (conn) => {
    await sql`reset role`.execute(conn);
    try {
      return await generate(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
      await sql`set role ${sql.id(APP_ROLE)}`.execute(conn);
    }
  });
}

async function generate(conn: Kysely<DB>): Promise<GeneratedData> {
  const stepsMs: Record<string, number> = {};
  const step = async (name: string, ...queries: RawBuilder<unknown>[]) => {
    const start = performance.now();
    for (const q of queries) await q.execute(conn);
    stepsMs[name] = Math.round(performance.now() - start);
    process.stdout.write(`  [${name} ${stepsMs[name]} ms]`);
  };
  const start = performance.now();
  // No triggers (the money guards, the foreign-key checks) while loading; CHECKs still apply.
  await sql`set session_replication_role = replica`.execute(conn);
  await step(
    'territory',
    sql`insert into ambiti (code, name, demo)
      select 'bench-' || lpad(n::text, 2, '0'), 'Ambito di benchmark ' || n, true from generate_series(1, ${AMBITI}) n
      union all select ${REGION_CODE}, 'Ambito regionale di benchmark', true`,
    sql`create temp table b_amb as
      select id, substring(code from 7)::int as n from ambiti where code ~ '^bench-[0-9]+$'`,
    sql`create temp table b_com as
      select istat_code, row_number() over (order by istat_code) as n from comuni c
      join provinces p on p.code = c.province_code where p.region_code = '03' and c.ceased_on is null
      order by istat_code limit ${COMUNI}`,
    sql`insert into ambito_comuni (ambito_id, istat_code, valid_from)
      select a.id, c.istat_code, '2021-01-01' from b_com c join b_amb a on a.n = 1 + (c.n - 1) * ${AMBITI} / ${COMUNI}`,
    sql`insert into ambito_comuni (ambito_id, istat_code, valid_from, valid_to)
      select a.id, c.istat_code, '2015-01-01', '2020-12-31' from b_com c, ambiti a where a.code = ${REGION_CODE}`,
    // ISTAT-like residents by age for the region's split (the bundled list has only the 2011 total).
    sql`insert into population (istat_code, ref_year, age, male, female)
      select c.istat_code, 2020, age, greatest(1, coalesce(k.legal_population, 2000) / 202 + ${h('c.n * 101 + age', 7)} - 3),
        greatest(1, coalesce(k.legal_population, 2000) / 202 + ${h('c.n * 101 + age + 1', 7)} - 3)
      from b_com c join comuni k using (istat_code), generate_series(0, 100) age`,
    sql`insert into population_imports (ref_year, source, demo, comuni) values (2020, 'bench', true, ${COMUNI})`,
  );
  await step(
    'plans',
    sql`insert into acts (ambito_id, kind, body, number, act_date, subject)
      select a.id, k.kind, 'Ufficio di Piano', k.prefix || '/' || y, make_date(y, k.month, 15), k.subject || ' ' || y
      from b_amb a, generate_series(2021, 2025) y,
        (values ('dgr', 'DGR', 2, 'Riparto dei fondi'), ('determina_udp', 'IMP', 4, 'Impegni'),
          ('determina_udp', 'LIQ', 6, 'Liquidazioni')) k (kind, prefix, month, subject)`,
    sql`insert into plans (ambito_id, title, period_code, start_date, end_date, edition)
      select id, 'Piano di Zona ' || n, '2021-2023', '2021-01-01', '2025-12-31', 1 from b_amb`,
    sql`insert into objectives (ambito_id, plan_id, code, title, kind, macro_area_code, period_code, position)
      select p.ambito_id, p.id, 'OG' || g, 'Obiettivo generale ' || g,
        (array['integrazione_sociosanitaria', 'territorio_comunita', 'gestione_associata'])[1 + g % 3],
        chr(64 + (a.n + g * 3) % 10 + 1), '2021-2023', g
      from plans p join b_amb a on a.id = p.ambito_id, generate_series(1, 4) g`,
    sql`insert into objectives (ambito_id, plan_id, parent_id, code, title, period_code, position)
      select o.ambito_id, o.plan_id, o.id, o.code || '.' || s, 'Obiettivo specifico ' || o.code || '.' || s, '2021-2023', o.position * 10 + s
      from objectives o join b_amb a on a.id = o.ambito_id, generate_series(1, 2) s where o.parent_id is null`,
    sql`insert into actions (ambito_id, plan_id, objective_id, code, title, responsible, start_date, end_date, status)
      select o.ambito_id, o.plan_id, o.id, 'A' || o.code || '.' || x, 'Azione ' || x || ' di ' || o.code, 'Ufficio di Piano',
        '2021-01-01', '2025-12-31', 'running'
      from objectives o join b_amb a on a.id = o.ambito_id, generate_series(1, 3) x where o.parent_id is not null`,
    sql`create temp table b_act as
      select ambito_id, id, row_number() over (partition by ambito_id order by code) as r
      from actions where ambito_id in (select id from b_amb)`,
    sql`insert into funds (ambito_id, code, name, source)
      select id, 'PROPRIO_' || k, 'Fondo proprio ' || k || ' dell''Ambito ' || n, (array['comunale', 'altro'])[k]
      from b_amb, generate_series(1, 2) k`,
  );
  await step(
    'assignments+lines',
    sql`create temp table b_asg as
      select gen_random_uuid() as id, a.id as ambito_id, f.id as fund_id, y as year, t.id as act_id,
        row_number() over (order by a.n, y, f.code) as k, fy.min_share_area, fy.min_share_bp, fy.spend_months
      from b_amb a, generate_series(2021, 2025) y
      join funds f on true join acts t on t.number = 'DGR/' || y
      left join fund_years fy on fy.fund_id = f.id and fy.year = y
      where (f.ambito_id is null or f.ambito_id = a.id) and t.ambito_id = a.id`,
    sql`alter table b_asg add column amount bigint`,
    sql`update b_asg set amount = 10000000 + ${h('k', 140000)} * 1000 + ${h('k + 7', 1000)}`,
    sql`insert into fund_assignments (ambito_id, id, fund_id, year, amount_cents, act_id, min_share_area, min_share_bp, spend_by)
      select ambito_id, id, fund_id, year, amount, act_id, min_share_area, min_share_bp,
        (make_date(year, 12, 31) + make_interval(months => spend_months))::date
      from b_asg`,
    sql`create temp table b_line as
      select gen_random_uuid() as id, s.ambito_id, s.id as assignment_id, s.year, s.k, j, m,
        row_number() over (order by s.k, j) as li,
        s.amount * (9600 - 300 * (s.year - 2021) - ${h('s.k', 4)} * 50) * j * 2 / (10000 * m * (m + 1)) as amount
      from (select *, 3 + k % 3 as m from b_asg) s, generate_series(1, s.m) j`,
    sql`insert into budget_lines (ambito_id, id, assignment_id, year, code, action_id, area, intervention, amount_cents)
      select l.ambito_id, l.id, l.assignment_id, l.year, 'L' || l.k || '.' || l.j, t.id,
        (array['famiglia_minori', 'disabilita_non_autosufficienza', 'poverta_esclusione'])[1 + l.li % 3],
        (array['accesso', 'presa_in_carico', 'domiciliare', 'diurni', 'residenziali', 'inclusione'])[1 + ${h('l.li', 6)}],
        l.amount
      from b_line l join b_act t on t.ambito_id = l.ambito_id and t.r = 1 + (l.k * 7 + l.j) % 24`,
  );
  await step(
    'commitments',
    sql`create temp table b_cmt as
      select gen_random_uuid() as id, x.ambito_id, x.budget_line_id, x.year, x.ci, x.liq_act_id, x.imp_act_id,
        x.line_amount * (9800 - 500 * (x.year - 2021)) * x.w
          / (10000 * (sum(x.w) over (partition by x.budget_line_id))::bigint) as amount,
        (array[0, 3, 6, 9, 11, 13, 16, 19, 23])[1 + x.ci % 9] as np,
        case when x.ci % 8 = 0 then null else (x.codes)[1 + x.ci % array_length(x.codes, 1)] end as comune_istat,
        (array['comune', 'ente', 'ente', 'beneficiari'])[1 + x.ci % 4] as payee_kind
      from (
        select l.ambito_id, l.id as budget_line_id, l.year, l.amount as line_amount, c,
          row_number() over (order by l.li, c) as ci, 1 + ${h('l.li * 16 + c', 9)} as w, m.codes,
          (select id from acts t where t.ambito_id = l.ambito_id and t.number = 'LIQ/' || l.year) as liq_act_id,
          (select id from acts t where t.ambito_id = l.ambito_id and t.number = 'IMP/' || l.year) as imp_act_id
        from b_line l
        join (select ambito_id, array_agg(istat_code order by istat_code) as codes from ambito_comuni
          where valid_from = '2021-01-01' group by ambito_id) m on m.ambito_id = l.ambito_id,
          generate_series(1, (array[6, 8, 10, 12, 14])[1 + l.li % 5]) c
      ) x`,
    sql`insert into commitments (ambito_id, id, budget_line_id, year, number, act_id, commit_date, amount_cents,
        payee_kind, payee_name, comune_istat)
      select ambito_id, id, budget_line_id, year, 'I' || ci, imp_act_id, make_date(year, (1 + ci % 12)::int, (1 + ci % 28)::int), amount,
        payee_kind, case payee_kind when 'comune' then 'Comune ' || coalesce(comune_istat, 'capofila')
          when 'ente' then 'Cooperativa sociale ' || ci % 40 else 'Elenco beneficiari ' || ci end, comune_istat
      from b_cmt`,
  );
  await step(
    'payments',
    sql`insert into payments (ambito_id, commitment_id, year, number, act_id, pay_date, amount_cents, payee_name, beneficiaries)
      select c.ambito_id, c.id, c.year + case when p * 3 > c.np * 2 then 1 else 0 end, 'P' || c.ci || '.' || p, c.liq_act_id,
        make_date(c.year + case when p * 3 > c.np * 2 then 1 else 0 end, (1 + (p * 5 + c.ci) % 12)::int, (1 + (p + c.ci) % 28)::int),
        c.amount * greatest(1000, (array[10000, 10000, 9500, 8000, 5000])[c.year - 2020] - ${h('c.ci', 4)} * 500) * p * 2
          / (10000 * c.np * (c.np + 1)),
        'Beneficiario ' || c.ci, case when c.payee_kind = 'beneficiari' then 1 + p % 5 end
      from b_cmt c, generate_series(1, c.np) p`,
  );
  await sql`set session_replication_role = origin`.execute(conn);
  const generationMs = Math.round(performance.now() - start);
  const analyze = performance.now();
  await sql`analyze`.execute(conn);
  const analyzeMs = Math.round(performance.now() - analyze);
  console.log();
  const check = await invariants(conn);
  const ambiti = (await sql<{ id: string; n: number }>`select id, n from b_amb order by n`.execute(conn))
    .rows;
  const region = await sql<{ id: string }>`select id from ambiti where code = ${REGION_CODE}`.execute(conn);
  for (const t of ['b_amb', 'b_com', 'b_act', 'b_asg', 'b_line', 'b_cmt'])
    await sql`drop table ${sql.id(t)}`.execute(conn);
  return { ambiti, regionAmbitoId: region.rows[0]?.id as string, stepsMs, generationMs, analyzeMs, check };
}

/** One query: the counts, and how many parents the sums of their children exceed (all must be 0). */
async function invariants(conn: Kysely<DB>) {
  const { rows } = await sql<Record<string, number>>`
    with paid as (select ambito_id, commitment_id as id, sum(amount_cents) as s from payments group by 1, 2),
      committed as (select ambito_id, budget_line_id as id, sum(amount_cents) as s from commitments group by 1, 2),
      budgeted as (select ambito_id, assignment_id as id, sum(amount_cents) as s from budget_lines group by 1, 2)
    select (select count(*) from fund_assignments)::int as assignments, (select count(*) from budget_lines)::int as lines,
      (select count(*) from commitments)::int as commitments, (select count(*) from payments)::int as payments,
      (select count(*) from paid x left join commitments c on c.ambito_id = x.ambito_id and c.id = x.id
        where c.id is null or x.s > c.amount_cents)::int as overpaid_commitments,
      (select count(*) from committed x left join budget_lines l on l.ambito_id = x.ambito_id and l.id = x.id
        where l.id is null or x.s > l.amount_cents)::int as overcommitted_lines,
      (select count(*) from budgeted x left join fund_assignments a on a.ambito_id = x.ambito_id and a.id = x.id
        where a.id is null or x.s > a.amount_cents)::int as overbudgeted_assignments,
      (select count(*) from budget_lines l join fund_assignments a on a.ambito_id = l.ambito_id and a.id = l.assignment_id
        where a.year <> l.year)::int as line_year_mismatches,
      (select count(*) from commitments c join budget_lines l on l.ambito_id = c.ambito_id and l.id = c.budget_line_id
        where c.year <> l.year)::int as commitment_year_mismatches`.execute(conn);
  const r = rows[0] as Record<string, number>;
  const ok =
    r.overpaid_commitments === 0 &&
    r.overcommitted_lines === 0 &&
    r.overbudgeted_assignments === 0 &&
    r.line_year_mismatches === 0 &&
    r.commitment_year_mismatches === 0;
  console.log(
    `  invariants (sum payments ≤ commitment ≤ line ≤ assignment): ${JSON.stringify({ ...r, ok })}`,
  );
  return { ...r, ok };
}
