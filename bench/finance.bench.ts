import fs from 'node:fs';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.js';
import { APP_ROLE } from '../src/db/migrate.js';
import { BUNDLED_COMUNI } from '../src/db/seed.js';
import { getBudget } from '../src/features/finance/budget.service.js';
import { allocate, type SplitComponent } from '../src/features/finance/split.js';
import { previewSplit } from '../src/features/finance/split.service.js';
import { parseIstatComuni } from '../src/features/territory/istat-comuni.parser.js';
import { officeActor } from '../src/http/auth.js';
import { COMUNI, generateFinanceData, REGION_AS_OF, YEARS } from './finance-data.js';
import { onBothEngines, report, round, time } from './lib.js';

const PAIRS = 50;
const WARM_UP = 5;

/** A small seeded generator: the same (Ambito, year) pairs and totals on every run and engine. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface FundTotals {
  code: string;
  assigned: number;
  budgeted: number;
  committed: number;
  paid: number;
}

/** The same figures per fund as the budget page, in one aggregate with explicit filters. */
const baselineSql = (ambitoId: string, year: number) => sql<FundTotals>`
  with a as (select fund_id, sum(amount_cents) as assigned from fund_assignments
      where ambito_id = ${ambitoId} and year = ${year} group by fund_id),
    l as (select a.fund_id, sum(l.amount_cents) as budgeted from budget_lines l
      join fund_assignments a on a.ambito_id = l.ambito_id and a.id = l.assignment_id
      where l.ambito_id = ${ambitoId} and l.year = ${year} group by a.fund_id),
    c as (select a.fund_id, sum(c.amount_cents) as committed from commitments c
      join budget_lines l on l.ambito_id = c.ambito_id and l.id = c.budget_line_id
      join fund_assignments a on a.ambito_id = l.ambito_id and a.id = l.assignment_id
      where c.ambito_id = ${ambitoId} and c.year = ${year} group by a.fund_id),
    p as (select a.fund_id, sum(p.amount_cents) as paid from payments p
      join commitments c on c.ambito_id = p.ambito_id and c.id = p.commitment_id
      join budget_lines l on l.ambito_id = c.ambito_id and l.id = c.budget_line_id
      join fund_assignments a on a.ambito_id = l.ambito_id and a.id = l.assignment_id
      where p.ambito_id = ${ambitoId} and c.year = ${year} group by a.fund_id)
  select f.code, a.assigned::bigint as assigned, coalesce(l.budgeted, 0)::bigint as budgeted,
    coalesce(c.committed, 0)::bigint as committed, coalesce(p.paid, 0)::bigint as paid
  from a join funds f on f.id = a.fund_id
    left join l using (fund_id) left join c using (fund_id) left join p using (fund_id)
  order by f.code`;

const key = (rows: FundTotals[]) =>
  JSON.stringify([...rows].sort((x, y) => x.code.localeCompare(y.code)).map((r) => Object.values(r)));

async function measure(database: Database) {
  console.log(`\n${database.kind}: generating the data set…`);
  const data = await generateFinanceData(database);
  console.log(`  generation ${data.generationMs} ms, analyze ${data.analyzeMs} ms`);

  const random = prng(2025);
  const pick = () => ({
    ambito: data.ambiti[Math.floor(random() * data.ambiti.length)] as { id: string; n: number },
    year: YEARS[Math.floor(random() * YEARS.length)] as number,
  });
  const warm = Array.from({ length: WARM_UP }, pick);
  const pairs = Array.from({ length: PAIRS }, pick);

  // Baseline: the owner's session on one connection, no tenant setting, explicit filters.
  const baseline = await database.db.connection().execute(async (conn) => {
    await sql`reset role`.execute(conn);
    try {
      for (const p of warm) await baselineSql(p.ambito.id, p.year).execute(conn);
      const out: Array<{ ms: number; rows: FundTotals[] }> = [];
      for (const p of pairs) {
        const r = await time(() => baselineSql(p.ambito.id, p.year).execute(conn));
        out.push({ ms: r.ms, rows: r.value.rows });
      }
      return out;
    } finally {
      await sql`set role ${sql.id(APP_ROLE)}`.execute(conn);
    }
  });

  // The budget page through the service: policy check, tenant session, row-level security.
  const page = (p: (typeof pairs)[number]) =>
    getBudget(database.db, officeActor('bench', p.ambito.id), p.ambito.id, p.year);
  for (const p of warm) await page(p);
  const service: Array<{ ms: number; rows: FundTotals[] }> = [];
  for (const p of pairs) {
    const r = await time(() => page(p));
    const rows = r.value.byFund.map((f) => ({
      code: f.code,
      assigned: f.assignedCents,
      budgeted: f.budgetedCents,
      committed: f.committedCents,
      paid: f.paidCents,
    }));
    service.push({ ms: r.ms, rows });
  }
  const matching = pairs.filter(
    (_, i) => key(service[i]?.rows ?? []) === key(baseline[i]?.rows ?? []),
  ).length;
  const totalsMatch = matching === pairs.length && (baseline[0]?.rows.length ?? 0) > 0;
  console.log(
    `  totals match: ${totalsMatch} (${matching}/${pairs.length} pairs, ${baseline[0]?.rows.length} funds each)`,
  );
  const first = service[0]?.rows ?? [];
  const sample = first.reduce((s, r) => ({ paid: s.paid + r.paid, committed: s.committed + r.committed }), {
    paid: 0,
    committed: 0,
  });

  const ms = (xs: Array<{ ms: number }>, p: number) =>
    percentile(
      xs.map((x) => x.ms),
      p,
    );
  const [s50, s95, b50, b95] = [ms(service, 50), ms(service, 95), ms(baseline, 50), ms(baseline, 95)];

  // The split preview through the service: 1,500 Comuni, population + minors + fixed shares.
  const region = await database.db.connection().execute(async (conn) => {
    await sql`reset role`.execute(conn);
    try {
      return (
        await sql<{
          istat_code: string;
        }>`select istat_code from ambito_comuni where ambito_id = ${data.regionAmbitoId}`.execute(conn)
      ).rows.map((r) => r.istat_code);
    } finally {
      await sql`set role ${sql.id(APP_ROLE)}`.execute(conn);
    }
  });
  const body = {
    totalCents: 123_456_789_01,
    asOf: REGION_AS_OF,
    rule: {
      kind: 'mix' as const,
      components: [
        { weight: 60, rule: { kind: 'population' as const, referenceDate: '2020-01-01' } },
        {
          weight: 25,
          rule: { kind: 'population' as const, referenceDate: '2020-01-01', ageFrom: 0, ageTo: 17 },
        },
        {
          weight: 15,
          rule: { kind: 'fixed' as const, shares: region.map((istatCode) => ({ istatCode, weight: 1 })) },
        },
      ],
    },
  };
  const preview = () =>
    previewSplit(database.db, officeActor('bench', data.regionAmbitoId), data.regionAmbitoId, body);
  for (let i = 0; i < 3; i++) await preview();
  const previews: number[] = [];
  let previewLines = 0;
  for (let i = 0; i < 20; i++) {
    const r = await time(preview);
    previews.push(r.ms);
    previewLines = r.value.lines.length;
  }

  return {
    generation: { totalMs: data.generationMs, analyzeMs: data.analyzeMs, stepsMs: data.stepsMs },
    invariants: data.check,
    budgetPage: {
      pairs: pairs.length,
      serviceP50Ms: round(s50, 1),
      serviceP95Ms: round(s95, 1),
      baselineP50Ms: round(b50, 1),
      baselineP95Ms: round(b95, 1),
      ratioP50: round(s50 / b50, 1),
      ratioP95: round(s95 / b95, 1),
      totalsMatch,
      firstPair: { ambito: pairs[0]?.ambito.n, year: pairs[0]?.year, funds: first.length, ...sample },
    },
    previewSplit: { comuni: previewLines, components: 3, medianMs: round(percentile(previews, 50), 1) },
  };
}

/** A naive split for reference: float shares, each floored; the cents lost are not handed out. */
function naiveSplit(totalCents: number, codes: readonly string[], components: readonly SplitComponent[]) {
  const weight = components.reduce((s, c) => s + c.weight, 0);
  const sums = components.map((c) => {
    let s = 0;
    for (const v of c.figures.values()) s += v;
    return s;
  });
  const out = new Array<number>(codes.length);
  for (let i = 0; i < codes.length; i++) {
    let share = 0;
    components.forEach((c, k) => {
      share += (c.weight / weight) * ((c.figures.get(codes[i] as string) ?? 0) / (sums[k] as number));
    });
    out[i] = Math.floor(totalCents * share);
  }
  return out;
}

/** allocate() on 1,500 real Lombard Comuni: 2011 residents, minors (synthetic), equal fixed shares. */
function measureSplit() {
  const rows = parseIstatComuni(fs.readFileSync(BUNDLED_COMUNI))
    .filter((r) => r.regionCode === '03')
    .sort((a, b) => a.istatCode.localeCompare(b.istatCode))
    .slice(0, COMUNI);
  const random = prng(7);
  const codes = rows.map((r) => r.istatCode);
  const residents = new Map(rows.map((r) => [r.istatCode, r.legalPopulation ?? 2000]));
  const minors = new Map(
    rows.map((r) => [r.istatCode, Math.floor((r.legalPopulation ?? 2000) * (0.14 + random() * 0.06))]),
  );
  const fixed = new Map(codes.map((c) => [c, 1]));
  const components: SplitComponent[] = [
    { weight: 60, figures: residents },
    { weight: 25, figures: minors },
    { weight: 15, figures: fixed },
  ];
  const totals = Array.from({ length: 60 }, () => 1_000_000_00 + Math.floor(random() * 9_000_000_00));
  const run = (fn: (t: number) => unknown) => {
    for (const t of totals.slice(0, 10)) fn(t); // warm-up
    const ms = totals.slice(10).map((t) => {
      const start = performance.now();
      fn(t);
      return performance.now() - start;
    });
    return percentile(ms, 50);
  };
  const exact = run((t) => allocate(t, codes, components));
  const naive = run((t) => naiveSplit(t, codes, components));
  const t = totals[0] as number;
  const lostCents = t - naiveSplit(t, codes, components).reduce((s, x) => s + x, 0);
  const exactSum = allocate(t, codes, components).reduce((s, l) => s + l.amountCents, 0);
  return {
    comuni: codes.length,
    components: 3,
    runs: totals.length - 10,
    allocateMedianMs: round(exact, 2),
    naiveFloatMedianMs: round(naive, 3),
    ratio: round(exact / naive, 1),
    allocateSumsToTotal: exactSum === t,
    naiveCentsLost: lostCents,
  };
}

export async function benchFinance(): Promise<void> {
  const split = measureSplit();
  const engines = await onBothEngines('finance', measure);
  report('finance', {
    dataSet:
      '90 Ambiti, 1,500 Lombard Comuni, 10 funds per Ambito (8 catalogue + 2 own), 2021-2025: ' +
      '4,500 assignments, 18,000 budget lines, 180,000 commitments, 2,000,000 payments (both engines)',
    split,
    ...engines,
  });
}
