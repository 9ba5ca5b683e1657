/**
 * The riparto: a fund split among the Comuni of an Ambito, exact to the cent.
 *
 * Money never becomes a float here. Every share is an exact rational over one common bigint
 * denominator; shares are floored and the cents left over go one each by the largest-remainder
 * method, so the lines always add up to the total and no Comune is ever more than one cent away
 * from its exact share.
 */

/** One component of a (possibly weighted) rule: each Comune's figure (a non-negative integer, e.g. residents, or cents of historical spending, or a fixed share's points) and the component's weight in the mix (a positive integer). */
export interface SplitComponent {
  weight: number;
  figures: ReadonlyMap<string, number>;
}

export interface SplitLine {
  istatCode: string;
  amountCents: number;
  /** the exact share before rounding, as a decimal string with 6 decimals, for display */
  exactCents: string;
}

/** A rule that cannot be applied; `field` names the offending input, the message says why in Italian. */
export class SplitError extends Error {
  override readonly name = 'SplitError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/**
 * Splits `totalCents` among `istatCodes` by a mix of components.
 *
 * Comune c's exact share is total × Σ_i (w_i / W) × (x_ci / X_i), with W = Σ w_i and
 * X_i = Σ_c x_ci. Each share is floored; the cents still missing (fewer than the Comuni) go one
 * each, in this order, which is part of the product and must stay stable across releases:
 *   1. the larger remainder (the fractional part of the exact share) first;
 *   2. on equal remainders, the Comune with the larger exact share first;
 *   3. then the lower ISTAT code (plain string comparison) first.
 * The order of `istatCodes` therefore never changes any amount; it only orders the lines.
 *
 * `exactCents` is truncated (not rounded) to 6 decimals, so it never reads as a whole cent the
 * exact share did not reach.
 */
export function allocate(
  totalCents: number,
  istatCodes: readonly string[],
  components: readonly SplitComponent[],
): SplitLine[] {
  if (!isNonNegativeSafeInteger(totalCents)) {
    throw new SplitError(
      'totalCents',
      'l’importo da ripartire deve essere un numero intero di centesimi non negativo',
    );
  }
  checkComuni(istatCodes);
  if (components.length === 0) {
    throw new SplitError('rule.components', 'la regola di riparto non indica alcun criterio');
  }

  const weights: bigint[] = [];
  const figures: bigint[][] = [];
  const sums: bigint[] = [];
  components.forEach((component, i) => {
    const field = `rule.components[${i}]`;
    // A single rule has no components in the user's eyes: name the criterion only in a mix.
    const prefix = components.length > 1 ? `criterio ${i + 1}: ` : '';
    if (!isSafeInteger(component.weight) || component.weight <= 0) {
      throw new SplitError(`${field}.weight`, `${prefix}il peso deve essere un numero intero positivo`);
    }
    const xs = readFigures(component.figures, istatCodes, `${field}.figures`, prefix);
    const sum = xs.reduce((a, b) => a + b, 0n);
    if (sum === 0n) {
      throw new SplitError(
        `${field}.figures`,
        `${prefix}i valori sono tutti zero, non c’è nulla in base a cui ripartire`,
      );
    }
    weights.push(BigInt(component.weight));
    figures.push(xs);
    sums.push(sum);
  });

  // share_c = T · Σ_i w_i · x_ci · (L / X_i) / (W · L), with L the lcm of the X_i: one exact
  // denominator for every Comune, so shares compare and sum as plain integers.
  const total = BigInt(totalCents);
  const lcmOfSums = sums.reduce(lcm);
  const denominator = weights.reduce((a, b) => a + b, 0n) * lcmOfSums;
  const numerators = istatCodes.map((_, c) => {
    let mix = 0n;
    for (let i = 0; i < figures.length; i++) {
      mix += (weights[i] as bigint) * (figures[i]?.[c] as bigint) * (lcmOfSums / (sums[i] as bigint));
    }
    return total * mix;
  });

  const amounts = largestRemainder(total, numerators, denominator, istatCodes);
  return istatCodes.map((istatCode, c) => ({
    istatCode,
    amountCents: Number(amounts[c]),
    exactCents: decimal6(numerators[c] as bigint, denominator),
  }));
}

/**
 * Quota capitaria: each Comune pays its population × `centsPerInhabitant`. Nothing is rounded,
 * so the exact share is the amount itself.
 */
export function perHead(
  centsPerInhabitant: number,
  population: ReadonlyMap<string, number>,
  istatCodes: readonly string[],
): SplitLine[] {
  if (!isNonNegativeSafeInteger(centsPerInhabitant)) {
    throw new SplitError(
      'rule.centsPerInhabitant',
      'la quota per abitante deve essere un numero intero di centesimi non negativo',
    );
  }
  checkComuni(istatCodes);
  const residents = readFigures(population, istatCodes, 'rule.population', 'popolazione: ');
  return istatCodes.map((istatCode, c) => {
    const amount = (residents[c] as bigint) * BigInt(centsPerInhabitant);
    if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SplitError(
        'rule.centsPerInhabitant',
        `la quota del Comune ${istatCode} supera il massimo importo gestibile`,
      );
    }
    return { istatCode, amountCents: Number(amount), exactCents: `${amount}.000000` };
  });
}

/** Floors every share, then hands out the missing cents by the tie rule documented on `allocate`. */
function largestRemainder(
  total: bigint,
  numerators: readonly bigint[],
  denominator: bigint,
  istatCodes: readonly string[],
): bigint[] {
  const amounts = numerators.map((n) => n / denominator);
  const remainders = numerators.map((n) => n % denominator);
  const missing = Number(total - amounts.reduce((a, b) => a + b, 0n));
  if (missing === 0) return amounts;

  const order = istatCodes.map((_, c) => c);
  order.sort(
    (a, b) =>
      compareDesc(remainders[a] as bigint, remainders[b] as bigint) ||
      compareDesc(numerators[a] as bigint, numerators[b] as bigint) ||
      compareAsc(istatCodes[a] as string, istatCodes[b] as string),
  );
  for (let k = 0; k < missing; k++) {
    const c = order[k] as number;
    amounts[c] = (amounts[c] as bigint) + 1n;
  }
  return amounts;
}

function checkComuni(istatCodes: readonly string[]): void {
  if (istatCodes.length === 0) throw new SplitError('rule', 'non c’è alcun Comune tra cui ripartire');
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const code of istatCodes) (seen.has(code) ? repeated : seen).add(code);
  if (repeated.size > 0) {
    throw new SplitError('rule', `Comuni indicati più di una volta: ${listCodes([...repeated])}`);
  }
}

/** The figures aligned with `istatCodes`, refusing gaps, strangers and values that are not counts. */
function readFigures(
  figures: ReadonlyMap<string, number>,
  istatCodes: readonly string[],
  field: string,
  prefix: string,
): bigint[] {
  const members = new Set(istatCodes);
  const strangers = [...figures.keys()].filter((code) => !members.has(code));
  if (strangers.length > 0) {
    throw new SplitError(field, `${prefix}Comune non appartenente all’Ambito: ${listCodes(strangers)}`);
  }
  const missing = istatCodes.filter((code) => !figures.has(code));
  if (missing.length > 0) {
    throw new SplitError(field, `${prefix}mancano i valori per i Comuni ${listCodes(missing)}`);
  }
  const invalid = istatCodes.filter((code) => !isNonNegativeSafeInteger(figures.get(code)));
  if (invalid.length > 0) {
    throw new SplitError(
      field,
      `${prefix}il valore deve essere un numero intero non negativo (Comuni ${listCodes(invalid)})`,
    );
  }
  return istatCodes.map((code) => BigInt(figures.get(code) as number));
}

/** A message stays readable even when a whole province is missing. */
function listCodes(codes: readonly string[]): string {
  const shown = 10;
  const head = codes.slice(0, shown).join(', ');
  return codes.length > shown ? `${head} e altri ${codes.length - shown}` : head;
}

function decimal6(numerator: bigint, denominator: bigint): string {
  const micro = (numerator * 1_000_000n) / denominator;
  return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

const compareDesc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
const compareAsc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isNonNegativeSafeInteger(value: unknown): value is number {
  return isSafeInteger(value) && value >= 0;
}
