/**
 * Synthetic ISTAT POSAS file ("Popolazione residente al 1° gennaio per età e sesso") for tests and
 * benchmarks: same layout as the real download (UTF-8 with BOM, title line, header, one row per
 * comune and age 0..100, then a 999 row with the comune total), plausible numbers, NOT real data.
 *
 * Run directly to time the parser on a national-size file built from the real ISTAT comuni list:
 *   npx tsx bench/posas-synthetic.ts [path/to/Elenco-comuni-italiani.csv]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/features/territory/population.synthetic.js';

export interface SyntheticComune {
  istatCode: string;
  name: string;
  legalPopulation: number | null;
}

/**
 * Share of the population at each single year of age, Italy mid-2020s (rough shape: low births,
 * baby-boom bulge in the late 50s, long tail). Piecewise linear between knots, normalised.
 */
const AGE_KNOTS: Array<[age: number, weight: number]> = [
  [0, 0.62],
  [10, 0.85],
  [20, 0.95],
  [30, 1.05],
  [40, 1.3],
  [50, 1.6],
  [58, 1.62],
  [65, 1.3],
  [75, 1.1],
  [80, 0.9],
  [85, 0.6],
  [90, 0.3],
  [95, 0.1],
  [99, 0.03],
  [100, 0.04], // 100 means "100 and over"
];

/** Share of males at each age: 51.3% at birth, women prevail from the late 60s on. */
const MALE_KNOTS: Array<[age: number, share: number]> = [
  [0, 0.513],
  [40, 0.5],
  [60, 0.485],
  [70, 0.47],
  [80, 0.43],
  [90, 0.34],
  [100, 0.2],
];

function interpolate(knots: Array<[number, number]>, x: number): number {
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i] as [number, number];
    const [x0, y0] = knots[i - 1] as [number, number];
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return (knots[knots.length - 1] as [number, number])[1];
}

const BASE_SHAPE: number[] = (() => {
  const w = Array.from({ length: 101 }, (_, age) => interpolate(AGE_KNOTS, age));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
})();
const MALE_SHARE: number[] = Array.from({ length: 101 }, (_, age) => interpolate(MALE_KNOTS, age));

function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Builds a POSAS file for the given comuni. Population per comune is `legalPopulation` (or a random
 * 300..5,000 when unknown), spread over ages with the national shape, a per-comune ageing factor
 * (small comuni are older) and per-age noise. Deterministic for a given input and seed.
 */
export function synthesizePosas(comuni: SyntheticComune[], year: number, seed = 1): Buffer {
  const rand = mulberry32(seed);
  const out: string[] = [
    `"Popolazione residente al 1° gennaio ${year} per età e sesso - Tutti i comuni"`,
    'Codice comune;Denominazione;Età;Totale maschi;Totale femmine;Totale',
  ];
  const weights = new Float64Array(101);
  for (const c of comuni) {
    const population = c.legalPopulation ?? Math.round(300 + rand() * 4700);
    // Ageing: comuni under ~5,000 inhabitants skew older, big cities slightly younger.
    const ageing =
      Math.max(-0.25, Math.min(0.35, 0.12 * Math.log10(5000 / Math.max(population, 50)))) +
      (rand() - 0.5) * 0.2;
    let sum = 0;
    for (let age = 0; age <= 100; age++) {
      const noise = 1 + (rand() + rand() + rand() - 1.5) * 0.12;
      const w = (BASE_SHAPE[age] as number) * Math.exp((ageing * (age - 45)) / 45) * noise;
      weights[age] = w;
      sum += w;
    }
    const name = csvField(c.name);
    let totalM = 0;
    let totalF = 0;
    for (let age = 0; age <= 100; age++) {
      const expected = (population * (weights[age] as number)) / sum;
      const maleShare = (MALE_SHARE[age] as number) + (rand() - 0.5) * 0.04;
      // Stochastic rounding keeps small comuni realistic (many zeros at old ages).
      const m = Math.floor(expected * maleShare + rand());
      const f = Math.floor(expected * (1 - maleShare) + rand());
      totalM += m;
      totalF += f;
      out.push(`${c.istatCode};${name};${age};${m};${f};${m + f}`);
    }
    out.push(`${c.istatCode};${name};999;${totalM};${totalF};${totalM + totalF}`);
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${out.join('\n')}\n`, 'utf8')]);
}

// --- CLI: time the parser on a national-size synthetic file ---------------------------------
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseIstatComuni } = await import('../src/features/territory/istat-comuni.parser.js');
  const { parsePosas } = await import('../src/features/territory/posas.parser.js');
  const source =
    process.argv[2] ??
    fileURLToPath(new URL('../reference/istat/Elenco-comuni-italiani-2020-01-01.csv', import.meta.url));
  let t = performance.now();
  const comuni = parseIstatComuni(readFileSync(source));
  const tComuni = performance.now() - t;
  t = performance.now();
  const file = synthesizePosas(comuni, 2024);
  const tSynth = performance.now() - t;
  const lines = file.toString('utf8').split('\n').length - 1;
  const runs: number[] = [];
  let parsed = parsePosas(file);
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    parsed = parsePosas(file);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`ISTAT comuni list: ${comuni.length} comuni parsed in ${ms(tComuni)}`);
  console.log(
    `synthetic POSAS: ${lines} lines, ${(file.length / 1e6).toFixed(1)} MB, built in ${ms(tSynth)}`,
  );
  console.log(
    `parsePosas: ${parsed.rows.length} rows, ${parsed.comuni} comuni, median ${ms(runs[2] as number)} (min ${ms(runs[0] as number)}, max ${ms(runs[4] as number)})`,
  );
}
