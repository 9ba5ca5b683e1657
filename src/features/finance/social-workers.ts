/**
 * The social-worker LEPS (L. 178/2020 c.797 ff.) and the yearly contribution it earns from the
 * Fondo Povertà: EUR 40,000 per full-time permanent social worker beyond 1 per 6,500 residents up
 * to 1 per 5,000 (the LEPS), EUR 20,000 per worker beyond 1:5,000 up to 1:4,000 (the target).
 *
 * Everything is exact. FTE arrive in hundredths, and lcm(6500, 5000, 4000) = 260,000, so counting
 * workers in units of 1/26,000,000 makes every threshold an integer:
 *   FTE = f/100 → 260,000·f;  P/6500 → 4,000·P;  P/5000 → 5,200·P;  P/4000 → 6,500·P.
 * With A and B the clamped worker counts of the two bands in those units, the contribution in
 * cents is 100·(40,000·A + 20,000·B) / 26,000,000 = (2A + B) / 13.
 *
 * The law does not say how to round; we round half-up to the cent, once, on the final amount.
 * (With 13 as the only denominator an exact half cannot occur, so any round-to-nearest agrees.)
 */

export type SocialWorkerStatus = 'sotto_soglia' | 'verso_leps' | 'leps_raggiunto' | 'obiettivo_raggiunto';

export interface SocialWorkerFigures {
  population: number;
  fteHundredths: number;
  /** P / FTE rounded half-up to an integer; null when FTE is 0 */
  residentsPerWorker: number | null;
  /**
   * sotto_soglia: fewer than 1 per 6,500 residents (no contribution); verso_leps: at least
   * 1:6,500 but below 1:5,000; leps_raggiunto: at least 1:5,000 (the LEPS) but below 1:4,000;
   * obiettivo_raggiunto: at least 1:4,000 (the target)
   */
  status: SocialWorkerStatus;
  contributionCents: number;
  /** FTE (hundredths, rounded up) needed to reach 1:6500, 1:5000, 1:4000 */
  thresholdsHundredths: { base: number; leps: number; target: number };
  /** the contribution at the 1:4000 target */
  maxContributionCents: number;
}

const UNITS_PER_HUNDREDTH = 260_000n;
const BASE_UNITS_PER_RESIDENT = 4_000n; // 1 per 6,500
const LEPS_UNITS_PER_RESIDENT = 5_200n; // 1 per 5,000
const TARGET_UNITS_PER_RESIDENT = 6_500n; // 1 per 4,000

export function socialWorkerFigures(population: number, fteHundredths: number): SocialWorkerFigures {
  // A ratio per resident means nothing for an Ambito without residents: with P = 0 every
  // threshold is 0, so even no workers at all would read as the target reached.
  if (!Number.isSafeInteger(population) || population <= 0) {
    throw new RangeError('la popolazione dell’Ambito deve essere un numero intero positivo');
  }
  if (!Number.isSafeInteger(fteHundredths) || fteHundredths < 0) {
    throw new RangeError(
      'gli assistenti sociali equivalenti a tempo pieno vanno indicati in centesimi interi non negativi',
    );
  }

  const p = BigInt(population);
  const workers = BigInt(fteHundredths) * UNITS_PER_HUNDREDTH;
  const base = p * BASE_UNITS_PER_RESIDENT;
  const leps = p * LEPS_UNITS_PER_RESIDENT;
  const target = p * TARGET_UNITS_PER_RESIDENT;

  const contribution = (units: bigint) => {
    const first = clamp(units - base, 0n, leps - base);
    const second = clamp(units - leps, 0n, target - leps);
    return divideHalfUp(2n * first + second, 13n);
  };

  return {
    population,
    fteHundredths,
    residentsPerWorker: fteHundredths === 0 ? null : toSafe(divideHalfUp(100n * p, BigInt(fteHundredths))),
    status:
      workers >= target
        ? 'obiettivo_raggiunto'
        : workers >= leps
          ? 'leps_raggiunto'
          : workers >= base
            ? 'verso_leps'
            : 'sotto_soglia',
    contributionCents: toSafe(contribution(workers)),
    thresholdsHundredths: {
      base: toSafe(divideCeil(base, UNITS_PER_HUNDREDTH)),
      leps: toSafe(divideCeil(leps, UNITS_PER_HUNDREDTH)),
      target: toSafe(divideCeil(target, UNITS_PER_HUNDREDTH)),
    },
    maxContributionCents: toSafe(contribution(target)),
  };
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  return value < min ? min : value > max ? max : value;
}

/** For non-negative numerators and positive denominators only. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function divideCeil(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

function toSafe(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError('la popolazione indicata è troppo grande per calcolare il contributo');
  }
  return Number(value);
}
