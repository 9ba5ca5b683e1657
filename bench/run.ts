import { benchAuth } from './auth.bench.js';
import { benchClickday } from './clickday.bench.js';
import { benchFinance } from './finance.bench.js';
import { benchImports } from './imports.bench.js';
import { benchPlan } from './plan.bench.js';
import { benchRanking } from './ranking.bench.js';
import { benchStartup } from './startup.bench.js';

/** `npm run bench [name...]`: prints figures and writes bench/results/<name>.json. Nothing is asserted. */
const all: Record<string, () => Promise<void>> = {
  imports: benchImports,
  startup: benchStartup,
  auth: benchAuth,
  plan: benchPlan,
  finance: benchFinance,
  clickday: benchClickday,
  ranking: benchRanking,
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(all)) {
  const fn = all[name];
  if (!fn) {
    console.error(`benchmark sconosciuto: ${name} (disponibili: ${Object.keys(all).join(', ')})`);
    process.exit(2);
  }
  await fn();
}
