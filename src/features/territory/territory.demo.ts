import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { systemActor } from '../../http/auth.js';
import { synthesizeAges } from './population.synthetic.js';
import { importPopulation } from './territory.import.js';
import type { CreateAmbitoBody } from './territory.schemas.js';
import { createAmbito } from './territory.service.js';

/**
 * The four Ambiti of the seed documents, with their real Comuni (ISTAT codes from the official
 * list), ATS and ASST. Invented details are marked: the membership start date, the capofila of
 * Distretto 4 (the seed does not name it) and the population by age, which is synthetic.
 */
export const DEMO_AMBITI: CreateAmbitoBody[] = [
  {
    code: 'monza',
    name: 'Ambito di Monza',
    capofilaIstat: '108033',
    ats: 'ATS Brianza',
    asst: 'ASST Monza',
    district: 'Distretto di Monza',
    comuni: members('108033', '108012', '108049'),
  },
  {
    code: 'distretto-4-martesana',
    name: 'Ambito Distretto 4 – ASST Melegnano e della Martesana',
    capofilaIstat: '015070', // demo assumption: the seed document names no capofila
    ats: 'ATS della Città Metropolitana di Milano',
    asst: 'ASST Melegnano e della Martesana',
    district: 'Distretto 4',
    comuni: members('015016', '015040', '015044', '015051', '015060', '015070', '015108', '015106', '015172'),
  },
  {
    code: 'sesto-san-giovanni',
    name: 'Ambito di Sesto San Giovanni',
    capofilaIstat: '015209',
    ats: 'ATS della Città Metropolitana di Milano',
    asst: 'ASST Nord Milano',
    district: 'Distretto Nord Milano',
    comuni: members('015209', '015081'),
  },
  {
    code: 'azzate',
    name: 'Ambito di Azzate',
    capofilaIstat: '012006',
    ats: 'ATS Insubria',
    asst: 'ASST Sette Laghi',
    district: 'Distretto di Varese',
    comuni: members(
      '012006',
      '012023',
      '012025',
      '012033',
      '012057',
      '012064',
      '012035',
      '012047',
      '012036',
      '012073',
      '012105',
      '012106',
      '012124',
    ),
  },
];

function members(...codes: string[]) {
  // Demo assumption: memberships start with the 2021-2023 planning period.
  return codes.map((istatCode) => ({ istatCode, validFrom: '2021-01-01' }));
}

export const DEMO_POPULATION_YEAR = 2024;
/** Earlier years too, so that splits and LEPS figures can name the reference date the plan states. */
export const DEMO_POPULATION_YEARS = [2020, 2021, 2022, 2023, DEMO_POPULATION_YEAR];
const SYSTEM = systemActor('demo');

/** Loads what is missing; running it again writes nothing. */
export async function seedTerritoryDemo(db: Kysely<DB>): Promise<{ ambiti: number; population: boolean }> {
  const existing = new Set((await db.selectFrom('ambiti').select('code').execute()).map((a) => a.code));
  let ambiti = 0;
  for (const a of DEMO_AMBITI) {
    if (existing.has(a.code)) continue;
    await createAmbito(db, SYSTEM, a, { demo: true });
    ambiti++;
  }
  // Only years nobody has imported: real ISTAT figures are never replaced by synthetic ones.
  const imported = new Set(
    (await db.selectFrom('population_imports').select('ref_year').execute()).map((r) => r.ref_year),
  );
  const missing = DEMO_POPULATION_YEARS.filter((y) => !imported.has(y));
  if (missing.length === 0) return { ambiti, population: false };

  const codes = DEMO_AMBITI.flatMap((a) => a.comuni.map((c) => c.istatCode));
  const comuni = await db
    .selectFrom('comuni')
    .select(['istat_code', 'legal_population'])
    .where('istat_code', 'in', codes)
    .execute();
  for (const year of missing) {
    // A slow drift, different for each Comune: about +0.5% or -0.3% a year before 2024.
    const rows = comuni.flatMap((c, i) => {
      const drift = 1000 - (DEMO_POPULATION_YEAR - year) * (i % 2 === 0 ? 5 : -3);
      const total = Math.round(((c.legal_population ?? 0) * 103 * drift) / 100_000);
      const seed = year === DEMO_POPULATION_YEAR ? i + 1 : (i + 1) * 7919 + year;
      return synthesizeAges(total, seed).map((r) => ({ istatCode: c.istat_code, ...r }));
    });
    await importPopulation(
      db,
      { year, rows, comuni: comuni.length },
      { year, source: 'Dati dimostrativi sintetici (non ISTAT)', demo: true },
    );
  }
  return { ambiti, population: true };
}
