/**
 * A plausible Italian age pyramid for synthetic population figures (demo data and
 * benchmarks only; real figures come from ISTAT POSAS files). Deterministic for a seed.
 */
function weightAt(age: number): number {
  if (age < 20) return 0.85 + age * 0.005;
  if (age < 60) return 1.05 + Math.sin((age - 20) / 12) * 0.12 + (age > 45 ? 0.2 : 0);
  if (age < 90) return 1.3 * Math.exp(-(age - 60) / 14);
  return 0.2 * Math.exp(-(age - 90) / 3);
}

/** mulberry32: a small, fast, deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AgeRow {
  age: number;
  male: number;
  female: number;
}

/** Splits `total` residents over ages 0..100 and the two sexes; the counts add up to `total` exactly. */
export function synthesizeAges(total: number, seed: number): AgeRow[] {
  const rand = mulberry32(seed);
  const weights = Array.from({ length: 101 }, (_, age) => weightAt(age) * (0.9 + rand() * 0.2));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / sum) * total));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let age = 30; rest > 0; age = (age + 1) % 101, rest--) counts[age] = (counts[age] ?? 0) + 1;
  return counts.map((n, age) => {
    // Women outlive men: the female share grows with age.
    const femaleShare = age < 60 ? 0.49 : Math.min(0.75, 0.49 + (age - 60) * 0.008);
    const female = Math.round(n * femaleShare);
    return { age, male: n - female, female };
  });
}
