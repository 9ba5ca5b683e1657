import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { seedCallsDemo } from '../features/calls/calls.demo.js';
import { seedFinanceDemo } from '../features/finance/finance.demo.js';
import { seedIdentityDemo } from '../features/identity/identity.demo.js';
import { seedPlanDemo } from '../features/plan/plan.demo.js';
import { seedMonzaPlan } from '../features/plan/plan.demo-monza.js';
import { parseIstatComuni } from '../features/territory/istat-comuni.parser.js';
import { seedTerritoryDemo } from '../features/territory/territory.demo.js';
import { importComuni } from '../features/territory/territory.import.js';
import type { DB } from './types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The official ISTAT list shipped with the project (public data, ISTAT, CC BY 3.0 IT). */
export const BUNDLED_COMUNI = path.join(ROOT, 'reference/istat/Elenco-comuni-italiani-2020-01-01.csv');

/** The date in an ISTAT list's file name ("Elenco-comuni-italiani-2020-01-01.csv"), if any. */
export function listDateFromName(file: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})/.exec(path.basename(file))?.[1];
}

/** Loads the bundled ISTAT list when the reference table is empty (first start). */
export async function ensureReferenceData(db: Kysely<DB>): Promise<number> {
  const any = await db.selectFrom('comuni').select('istat_code').limit(1).executeTakeFirst();
  if (any) return 0;
  const rows = parseIstatComuni(fs.readFileSync(BUNDLED_COMUNI));
  const result = await importComuni(db, rows, {
    listDate: listDateFromName(BUNDLED_COMUNI) ?? '2020-01-01',
    source: path.basename(BUNDLED_COMUNI),
  });
  return result.rows;
}

/**
 * Reference data, then every feature's demo data; idempotent, so every start may call it.
 * Demo users are created once, and their passwords are returned only that time.
 */
export async function seedDemo(
  db: Kysely<DB>,
  opts: { users?: boolean; plans?: boolean; finance?: boolean } = {},
) {
  const comuni = await ensureReferenceData(db);
  const territory = await seedTerritoryDemo(db);
  const users = opts.users === false ? [] : await seedIdentityDemo(db);
  const plans = opts.plans === false ? 0 : (await seedPlanDemo(db)) + (await seedMonzaPlan(db));
  // Budgets are spent on plan actions: no plans, no budgets.
  const budgets = opts.plans === false || opts.finance === false ? 0 : await seedFinanceDemo(db);
  // Calls are paid from budget lines: no budgets, no calls.
  const calls = opts.plans === false || opts.finance === false ? 0 : await seedCallsDemo(db);
  return { comuni, territory, users, plans, budgets, calls };
}
