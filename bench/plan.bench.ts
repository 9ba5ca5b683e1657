import { sql } from 'kysely';
import type { Database } from '../src/db/database.js';
import { withTenant } from '../src/db/scope.js';
import { seedDemo } from '../src/db/seed.js';
import { renderPlanPdf } from '../src/features/plan/plan.pdf.js';
import * as q from '../src/features/plan/plan.queries.js';
import { getPlan, planOverview } from '../src/features/plan/plan.service.js';
import { renderPlanXlsx } from '../src/features/plan/plan.xlsx.js';
import { officeActor } from '../src/http/auth.js';
import { onBothEngines, report, round, time } from './lib.js';

const GENERAL = 10;
const SPECIFIC_PER_GENERAL = 4; // 50 objectives in all
// 12 or 13 actions per specific objective, alternating: 500 actions
const INDICATORS_PER_ACTION = 4; // 2,000 indicators
const YEARS = [2025, 2026, 2027, 2028, 2029]; // 5 years of targets and values

/** A region-sized plan written with set-based SQL inside the Ambito's tenant session. */
async function buildLargePlan(database: Database): Promise<{ planId: string; ambitoId: string }> {
  await seedDemo(database.db, { users: false, plans: false });
  const ambitoId = (
    await database.db.selectFrom('ambiti').select('id').where('code', '=', 'monza').executeTakeFirstOrThrow()
  ).id;
  const planId = await withTenant(database.db, { ambitoId }, async (trx) => {
    await sql`insert into taxonomy_periods (code, name) values ('2025-2029', 'Bench') on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into macro_areas (period_code, code, name) select '2025-2029', chr(64 + g), 'Area ' || g from generate_series(1, 10) g on conflict do nothing`.execute(
      trx,
    );
    const plan = await trx
      .insertInto('plans')
      .values({
        ambito_id: ambitoId,
        title: 'Piano di benchmark',
        period_code: '2025-2029',
        start_date: '2025-01-01',
        end_date: '2029-12-31',
        edition: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const p = plan.id;
    await sql`insert into objectives (ambito_id, plan_id, code, title, kind, macro_area_code, period_code, position)
      select ${ambitoId}::uuid, ${p}::uuid, 'OG' || g, 'Obiettivo generale ' || g, 'territorio_comunita', chr(64 + g), '2025-2029', g
      from generate_series(1, ${GENERAL}) g`.execute(trx);
    await sql`insert into objectives (ambito_id, plan_id, parent_id, code, title, period_code, position)
      select o.ambito_id, o.plan_id, o.id, o.code || '.' || s, 'Obiettivo specifico ' || o.code || '.' || s, '2025-2029', o.position * 10 + s
      from objectives o, generate_series(1, ${SPECIFIC_PER_GENERAL}) s where o.plan_id = ${p}::uuid and o.parent_id is null`.execute(
      trx,
    );
    await sql`insert into actions (ambito_id, plan_id, objective_id, code, title, responsible, start_date, end_date, status, staff_hours, position)
      select o.ambito_id, o.plan_id, o.id, 'A' || o.code || '.' || a, 'Azione ' || a || ' di ' || o.code, 'Ufficio di Piano',
        '2025-01-01', '2029-12-31', 'running', 100, a
      from (select *, row_number() over (order by code) as n from objectives where plan_id = ${p}::uuid and parent_id is not null) o,
        generate_series(1, 13) a where a <= case when o.n % 2 = 0 then 12 else 13 end`.execute(trx);
    await sql`insert into action_resources (ambito_id, action_id, fund, amount_cents)
      select ambito_id, id, 'FNPS', 1000000 + (random() * 100000)::int from actions where plan_id = ${p}::uuid`.execute(
      trx,
    );
    await sql`insert into indicators (ambito_id, plan_id, action_id, code, name, kind, unit, baseline)
      select a.ambito_id, a.plan_id, a.id, 'I' || a.code || '.' || i, 'Indicatore ' || i, 'output', 'numero', 10
      from actions a, generate_series(1, ${INDICATORS_PER_ACTION}) i where a.plan_id = ${p}::uuid`.execute(
      trx,
    );
    await sql`insert into indicator_targets (ambito_id, indicator_id, year, target)
      select i.ambito_id, i.id, y, 10 + (y - 2024) * 10 from indicators i, unnest(${YEARS}::int[]) y where i.plan_id = ${p}::uuid`.execute(
      trx,
    );
    await sql`insert into indicator_values (ambito_id, indicator_id, measured_on, value, source)
      select i.ambito_id, i.id, make_date(y, 6, 30), 10 + (y - 2024) * 9, 'bench'
      from indicators i, unnest(${YEARS}::int[]) y where i.plan_id = ${p}::uuid`.execute(trx);
    return p;
  });
  return { planId, ambitoId };
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await time(fn)).ms);
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

async function measure(database: Database) {
  const { planId, ambitoId } = await buildLargePlan(database);
  const actor = officeActor('bench', ambitoId);
  const counts = await withTenant(database.db, { ambitoId }, async (trx) => {
    const rows = await q.loadPlanRows(trx, planId);
    return {
      objectives: rows.objectives.length,
      actions: rows.actions.length,
      indicators: rows.indicators.length,
      values: rows.values.length,
    };
  });
  // Warm both paths once, then baseline: the same rows read with the same queries, without
  // building the tree or computing the figures.
  await withTenant(database.db, { ambitoId }, (trx) => q.loadPlanRows(trx, planId));
  await planOverview(database.db, actor, planId, '2027-07-01');
  const bare = await median(5, () =>
    withTenant(database.db, { ambitoId }, (trx) => q.loadPlanRows(trx, planId)),
  );
  const overview = await median(5, () => planOverview(database.db, actor, planId, '2027-07-01'));
  const tree = await getPlan(database.db, actor, planId);
  const pdf = await time(() => renderPlanPdf(tree));
  const xlsx = await time(() => renderPlanXlsx(tree));
  return {
    plan: counts,
    bareReadMs: round(bare, 1),
    overviewMs: round(overview, 1),
    ratioOverviewToBareRead: round(overview / bare),
    pdfMs: round(pdf.ms, 0),
    pdfKB: round(pdf.value.length / 1024, 0),
    xlsxMs: round(xlsx.ms, 0),
    xlsxKB: round(xlsx.value.length / 1024, 0),
  };
}

export async function benchPlan(): Promise<void> {
  report('plan', await onBothEngines('plan', measure));
}
