import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createCall } from '../../../test/helpers/calls.js';
import { withTenant } from '../../db/scope.js';
import { award } from './award.js';
import { rankCall } from './ranking.queries.js';
import type { AwardMode, TieBreaker } from './rules.schemas.js';
import { rankingComparator } from './scoring.js';

/**
 * The ranking computed in the database (rank_call, migration 0006) against the reference award
 * in JavaScript: the same order (rankingComparator) and the same award (award()) for every mode,
 * never more than the budget, the same result when run again, and a recorded change for every
 * application whose award changes.
 */

let t: TestApp;
let sesto: string;
let base: { budgetLineId: string; actId: string };
let calls = 0;

const MODES: AwardMode[] = ['stop', 'partial', 'skip'];
const TIE_SETS: TieBreaker[][] = [
  ['received_asc'],
  ['isee_asc', 'received_asc'],
  ['household_desc', 'age_desc', 'received_asc'],
  ['age_asc', 'isee_asc', 'received_asc'],
  ['isee_asc', 'household_desc', 'received_asc'],
];
const START = Date.UTC(2026, 2, 1, 8);

// Few distinct values, so that ties on points and on every tie rule are frequent.
const App = fc.record({
  points: fc.constantFrom(0, 5, 10, 15),
  iseeCents: fc.constantFrom(100_000, 200_000, 300_000),
  household: fc.integer({ min: 1, max: 3 }),
  birthDate: fc.constantFrom('1950-01-01', '1960-06-15', '1970-12-31'),
  receivedMs: fc.integer({ min: 0, max: 6 }),
  amountCents: fc.constantFrom(0, 100, 250, 400, 1_000),
  status: fc.constantFrom('admissible', 'admissible', 'admissible', 'excluded', 'withdrawn'),
});
type App = typeof App extends fc.Arbitrary<infer A> ? A : never;
const Case = fc.record({
  apps: fc.array(App, { maxLength: 25 }),
  budget: fc.integer({ min: 0, max: 3_000 }),
  ties: fc.constantFrom(...TIE_SETS),
  // The first mode takes the path of a first ranking, the others that of a ranking done again.
  modes: fc.shuffledSubarray(MODES, { minLength: MODES.length, maxLength: MODES.length }),
});

interface Row {
  id: string;
  protocol: string;
  app: App;
}
type Result = Map<string, string>;

/** A published, closed call of its own with these applications, written straight into its tables. */
async function insertCall(apps: App[]): Promise<{ callId: string; rows: Row[] }> {
  const code = `PROP-${++calls}`;
  return withTenant(t.database.db, { ambitoId: sesto }, async (trx) => {
    const { id: callId } = await trx
      .insertInto('calls')
      .values({
        ambito_id: sesto,
        code,
        title: 'Bando di prova',
        budget_line_id: base.budgetLineId,
        approval_act_id: base.actId,
        opens_at: new Date(START - 86_400_000),
        closes_at: new Date(START + 86_400_000),
        budget_cents: 1,
        rules: '{}',
        debtor_name: 'Comune capofila',
        debtor_iban: 'IT60X0542811101000000123456',
        status: 'published',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (apps.length === 0) return { callId, rows: [] };
    const inserted = await trx
      .insertInto('applications')
      .values(
        apps.map((a, i) => ({
          ambito_id: sesto,
          call_id: callId,
          seq: i + 1,
          protocol: `${code}/${String(i + 1).padStart(6, '0')}`,
          received_at: new Date(START + a.receivedMs),
          idempotency_key: `prop-key-${i + 1}`,
          applicant_cf: `CF${String(i + 1).padStart(14, '0')}`,
          data: '{}',
          data_hash: 'x',
          receipt_hash: 'x',
          eligibility: '{}',
          points: a.points,
          score: '[]',
          amount_cents: a.amountCents,
          isee_cents: a.iseeCents,
          household: a.household,
          birth_date: a.birthDate,
          status: a.status,
        })),
      )
      .returning(['id', 'protocol'])
      .execute();
    return { callId, rows: inserted.map((r, i) => ({ ...r, app: apps[i] as App })) };
  });
}

/** What the reference says: "position outcome cents" per application in the ranking. */
function expected(rows: Row[], budget: number, mode: AwardMode, ties: TieBreaker[]): Result {
  const ranked = rows
    .filter((r) => r.app.status === 'admissible')
    .map((r) => ({
      id: r.id,
      amountCents: r.app.amountCents,
      points: r.app.points,
      iseeCents: r.app.iseeCents,
      householdMembers: r.app.household,
      birthDate: r.app.birthDate,
      receivedAt: new Date(START + r.app.receivedMs).toISOString(),
      protocol: r.protocol,
    }))
    .sort(rankingComparator(ties));
  const out: Result = new Map(
    award(ranked, budget, mode).map((a, i) => [a.id, `${i + 1} ${a.status} ${a.awardedCents}`]),
  );
  for (const r of rows) if (r.app.status === 'excluded') out.set(r.id, '- excluded 0');
  return out;
}

async function rankInDb(
  callId: string,
  budget: number,
  mode: AwardMode,
  ties: TieBreaker[],
  renumber = true,
) {
  return withTenant(t.database.db, { ambitoId: sesto }, async (trx) => {
    const changes = await rankCall(trx, {
      renumber,
      ambitoId: sesto,
      callId,
      budgetCents: budget,
      mode,
      ties,
      reason: `prova ${mode}`,
      by: 'test',
    });
    const entries = await trx
      .selectFrom('ranking_entries')
      .select(['application_id', 'position', 'outcome', 'awarded_cents'])
      .where('call_id', '=', callId)
      .execute();
    const result: Result = new Map(
      entries.map((e) => [e.application_id, `${e.position ?? '-'} ${e.outcome} ${e.awarded_cents}`]),
    );
    const spent = entries.reduce((s, e) => s + e.awarded_cents, 0);
    return { changes, result, spent };
  });
}

/** How many applications changed outcome or amount (a position alone is not a change of award). */
function awardChanges(before: Result, after: Result): number {
  const award = (s: string | undefined) => s?.split(' ').slice(1).join(' ');
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids].filter((id) => before.has(id) && award(before.get(id)) !== award(after.get(id))).length;
}

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  sesto = (
    await t.database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'sesto-san-giovanni')
      .executeTakeFirstOrThrow()
  ).id;
  const office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  base = await createCall(office, sesto, { publish: false });
});
afterAll(() => t?.close());

describe('the ranking in the database', () => {
  it('equals the reference award for every mode, within the budget, and is repeatable', async () => {
    await fc.assert(
      fc.asyncProperty(Case, async ({ apps, budget, ties, modes }) => {
        const { callId, rows } = await insertCall(apps);
        let previous: Result | undefined;
        for (const mode of modes) {
          const want = expected(rows, budget, mode, ties);
          const first = await rankInDb(callId, budget, mode, ties);
          expect(first.result).toEqual(want);
          expect(first.spent).toBeLessThanOrEqual(budget);
          // The first ranking records nothing; later ones record each change of award.
          expect(first.changes).toBe(previous ? awardChanges(previous, want) : 0);
          const again = await rankInDb(callId, budget, mode, ties);
          expect(again.result).toEqual(want);
          expect(again.changes).toBe(0);
          previous = want;
        }
        // A withdrawal: the same award as the reference without it, the approved positions kept.
        const gone = rows.find((r) => r.app.status === 'admissible');
        if (!gone || !previous) return;
        await withTenant(t.database.db, { ambitoId: sesto }, (trx) =>
          trx.updateTable('applications').set({ status: 'withdrawn' }).where('id', '=', gone.id).execute(),
        );
        const mode = modes.at(-1) as AwardMode;
        const left = rows.map((r) =>
          r === gone ? { ...r, app: { ...r.app, status: 'withdrawn' as const } } : r,
        );
        const want = expected(left, budget, mode, ties);
        const after = await rankInDb(callId, budget, mode, ties, false);
        const awardOf = (s?: string) => s?.split(' ').slice(1).join(' ');
        const positionOf = (s?: string) => s?.split(' ')[0];
        expect(new Set(after.result.keys())).toEqual(new Set(want.keys()));
        for (const [id, line] of want) {
          expect(awardOf(after.result.get(id))).toBe(awardOf(line));
          expect(positionOf(after.result.get(id))).toBe(positionOf(previous.get(id)));
        }
        expect(after.spent).toBeLessThanOrEqual(budget);
        expect(after.changes).toBe(awardChanges(previous, want));
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
