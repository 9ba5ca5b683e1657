import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../src/db/database.js';
import { APP_ROLE } from '../src/db/migrate.js';
import type { DB } from '../src/db/types.js';
import { publishRanking } from '../src/features/calls/ranking.service.js';
import { withdrawApplication } from '../src/features/calls/review.service.js';
import type { AwardMode } from '../src/features/calls/rules.schemas.js';
import { templateFor } from '../src/features/calls/templates.js';
import { officeActor } from '../src/http/auth.js';
import { onBothEngines, report, round, time } from './lib.js';

/**
 * Ranking and award of a call with 100,000 and 1,000,000 admissible applications: the ranking
 * through the service (policy, tenant session, row-level security, rank_call, entries written,
 * audit) against the bare window query over the same data written to a scratch table by the
 * owner, as the issue defines it; and against the same query writing a table shaped like
 * ranking_entries (same columns and primary key), which is what any ranking has to write.
 */

const SIZES = (process.env.RANKING_SIZES ?? '100000,1000000').split(',').map(Number);
const MODES: AwardMode[] = ['stop', 'skip'];
// PGlite runs in one WebAssembly thread: past this, a size is reported as not run.
const PGLITE_MAX = Number(process.env.RANKING_PGLITE_MAX ?? 1_000_000);

const ORDER = 'points desc, isee_cents, received_at, seq';
const bare = (callId: string) => sql`insert into bench_scratch
  select id, sum(amount_cents) over (order by ${sql.raw(ORDER)})
  from applications where call_id = ${callId} and status = 'admissible'`;
const shaped = (ambitoId: string, callId: string, budget: number) => sql`
  insert into bench_shape (ambito_id, call_id, application_id, position, points, outcome, awarded_cents)
  select ${ambitoId}, ${callId}, id, row_number() over w, points,
    case when cum <= ${budget} then 'funded' else 'not_funded' end, case when cum <= ${budget} then amount_cents else 0 end
  from (select *, sum(amount_cents) over w as cum from applications
    where call_id = ${callId} and status = 'admissible' window w as (order by ${sql.raw(ORDER)})) x
  window w as (order by ${sql.raw(ORDER)})`;

/** As the owner, outside row-level security and (for loading) without triggers or foreign-key checks. */
function asOwner<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>, raw = false): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`reset role`.execute(trx);
    if (raw) await sql`set local session_replication_role = replica`.execute(trx);
    const out = await fn(trx);
    await sql`set role ${sql.id(APP_ROLE)}`.execute(trx);
    return out;
  });
}

async function setup(db: Kysely<DB>) {
  return asOwner(
    db,
    async (trx) => {
      const { rows } = await sql<{ ambito: string; act: string }>`
      with a as (insert into ambiti (code, name) values ('bench-ranking', 'Ambito di benchmark') returning id),
      t as (insert into acts (ambito_id, kind, body, number, act_date, subject)
        select id, 'determina_udp', 'Ufficio di Piano', 'G-1/2026', '2026-05-01', 'Graduatoria' from a returning id)
      select (select id from a) as ambito, (select id from t) as act`.execute(trx);
      return rows[0] as { ambito: string; act: string };
    },
    true,
  );
}

/** One call with n admissible applications (set-based); the budget funds about half of them. */
async function load(db: Kysely<DB>, ambitoId: string, actId: string, n: number) {
  return asOwner(
    db,
    async (trx) => {
      const rules = { ...templateFor('misura_b2', 2026).rules, ties: ['isee_asc', 'received_asc'] };
      const budget = Math.round(n * 180_000);
      const { rows } = await sql<{ id: string }>`
      insert into calls (ambito_id, code, title, budget_line_id, approval_act_id, opens_at, closes_at,
        budget_cents, rules, debtor_name, debtor_iban, status)
      values (${ambitoId}, ${`BENCH-${n}`}, 'Bando di benchmark', gen_random_uuid(), ${actId},
        now() - interval '30 days', now() - interval '1 day', ${budget}, ${JSON.stringify(rules)},
        'Comune', 'IT60X0542811101000000123456', 'published') returning id`.execute(trx);
      const callId = (rows[0] as { id: string }).id;
      await sql`insert into applications (ambito_id, id, call_id, seq, protocol, received_at, idempotency_key,
        applicant_cf, data, data_hash, receipt_hash, eligibility, points, score, amount_cents, isee_cents,
        household, birth_date, status)
      select ${ambitoId}, gen_random_uuid(), ${callId}, g, ${`BENCH-${n}/`} || lpad(g::text, 7, '0'),
        timestamptz '2026-03-01 08:00' + g * interval '3 ms', 'bench-key-' || g, 'CF' || lpad(g::text, 14, '0'),
        '{}', 'h', 'h', '{}', (hashint4(g) & 15) * 5, '[]',
        (array[480000, 360000, 240000])[1 + (hashint4(g * 7) & 65535) % 3],
        (hashint4(g * 13) & 2097151) + 100000, 1 + (hashint4(g * 17) & 3),
        date '1940-01-01' + (hashint4(g * 19) & 16383), 'admissible'
      from generate_series(1, ${n}) g`.execute(trx);
      return { callId, budget };
    },
    true,
  );
}

/** Back to a call without a ranking, with the award rule to measure. */
const reset = (db: Kysely<DB>, callId: string, mode: AwardMode) =>
  asOwner(
    db,
    async (trx) => {
      await sql`delete from ranking_entries where call_id = ${callId}`.execute(trx);
      await sql`update calls set status = 'published', ranked_at = null, ranking_act_id = null,
        rules = jsonb_set(rules, '{onDoesNotFit}', ${JSON.stringify(mode)}::jsonb) where id = ${callId}`.execute(
        trx,
      );
      await sql`update applications set status = 'admissible' where call_id = ${callId} and status = 'withdrawn'`.execute(
        trx,
      );
    },
    true,
  );

/** Settles what the previous run left (dirty pages, dead rows) so each timing starts alike. */
async function settle(database: Database) {
  await asOwner(database.db, async (trx) => {
    await sql`drop table if exists bench_scratch`.execute(trx);
    await sql`drop table if exists bench_shape`.execute(trx);
    await sql`create table bench_scratch (id uuid, cum bigint)`.execute(trx);
    await sql`create table bench_shape (like ranking_entries including indexes)`.execute(trx);
  });
  await database.db.connection().execute(async (conn) => {
    await sql`reset role`.execute(conn);
    await sql`vacuum ranking_entries`.execute(conn);
    if (database.kind === 'postgres') await sql`checkpoint`.execute(conn);
    await sql`set role ${sql.id(APP_ROLE)}`.execute(conn);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;

async function measureSize(database: Database, ambitoId: string, actId: string, n: number) {
  const { db } = database;
  const loaded = await time(() => load(db, ambitoId, actId, n));
  const { callId, budget } = loaded.value;
  await asOwner(db, (trx) => sql`analyze applications`.execute(trx).then(() => undefined));
  const actor = officeActor('bench', ambitoId);
  const runs = n >= 1_000_000 ? 2 : 3;
  const out: Record<string, unknown> = { applications: n, loadS: round(loaded.ms / 1000, 1) };
  for (const mode of MODES) {
    const service: number[] = [];
    const bareMs: number[] = [];
    const shapeMs: number[] = [];
    let funded = 0;
    let awarded = 0;
    for (let r = 0; r < runs; r++) {
      await reset(db, callId, mode);
      await settle(database);
      bareMs.push((await time(() => asOwner(db, (trx) => bare(callId).execute(trx)))).ms);
      await settle(database);
      const ranked = await time(() => publishRanking(db, actor, callId, { phase: 'provisional', actId }));
      service.push(ranked.ms);
      funded = ranked.value.counts.funded;
      awarded = ranked.value.awardedCents;
      await settle(database);
      shapeMs.push(
        (await time(() => asOwner(db, (trx) => shaped(ambitoId, callId, budget).execute(trx)))).ms,
      );
    }
    // The bare running sum says how many "stop" funds: the service must agree.
    const stopFunded = await asOwner(db, async (trx) => {
      await sql`truncate bench_scratch`.execute(trx);
      await bare(callId).execute(trx);
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from bench_scratch where cum <= ${budget}`.execute(trx);
      return rows[0]?.n ?? 0;
    });
    const [s, b, sh] = [median(service), median(bareMs), median(shapeMs)];
    out[mode] = {
      serviceS: round(s / 1000, 2),
      bareQueryS: round(b / 1000, 2),
      ratio: round(s / b, 2),
      sameShapeQueryS: round(sh / 1000, 2),
      ratioToSameShape: round(s / sh, 2),
      runs,
      funded,
      withinBudget: awarded <= budget,
      agreesWithBareQuery: mode === 'stop' ? funded === stopFunded : funded >= stopFunded,
    };
    console.log(`  ${database.kind} ${n} ${mode}: ${JSON.stringify(out[mode])}`);
  }
  // Funds freed at the top: everybody below moves up one place and the next one is funded.
  const top = await asOwner(db, async (trx) => {
    const { rows } = await sql<{ id: string }>`select application_id as id from ranking_entries
      where call_id = ${callId} and position = 1`.execute(trx);
    return rows[0]?.id as string;
  });
  await settle(database);
  const withdrawn = await time(() => withdrawApplication(db, actor, callId, top));
  out.reawardAfterTopWithdrawal = {
    seconds: round(withdrawn.ms / 1000, 2),
    changes: withdrawn.value.changes,
  };
  return out;
}

export async function measureRanking(database: Database) {
  const { ambito, act } = await setup(database.db);
  const out: Record<string, unknown> = {};
  for (const n of SIZES) {
    if (database.kind === 'pglite' && n > PGLITE_MAX) {
      out[String(n)] = `not run on PGlite (over RANKING_PGLITE_MAX=${PGLITE_MAX})`;
      continue;
    }
    console.log(`${database.kind}: ${n} applications…`);
    out[String(n)] = await measureSize(database, ambito, act, n);
  }
  return out;
}

export async function benchRanking(): Promise<void> {
  const results = await onBothEngines('ranking', measureRanking);
  report('ranking', {
    note: 'seconds are medians; ratio = service / bare window query (owner, scratch table id+sum); sameShape = the same window query writing a table like ranking_entries (primary key, no row-level security)',
    ...results,
  });
}
