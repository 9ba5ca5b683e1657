import type { AwardMode } from './rules.schemas.js';

export interface Ranked {
  id: string;
  amountCents: number;
}
export type AwardStatus = 'funded' | 'partially_funded' | 'not_funded';
export interface Awarded {
  id: string;
  status: AwardStatus;
  awardedCents: number;
}

function assertCents(value: number, what: string) {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what}: atteso un numero intero di centesimi non negativo, ricevuto ${value}`);
}

/**
 * The reference award of a ranking (the production one runs in SQL; this one is what property
 * tests and cross-checks trust). Walks the ranking in order with what is left of the budget:
 * - stop: funds until the first application that does not fit, then nobody else, so nobody
 *   lower in the ranking is ever funded ahead of someone higher;
 * - skip: funds everyone who still fits, skipping those who do not;
 * - partial: as stop, but the first that does not fit receives what is left (if anything).
 * An amount of 0 means "not fundable" (e.g. ISEE above every amount band): it is never funded,
 * and it neither spends budget nor stops the walk, since it is not a matter of money.
 */
export function award(ranked: readonly Ranked[], budgetCents: number, mode: AwardMode): Awarded[] {
  assertCents(budgetCents, 'budget');
  let left = budgetCents;
  let closed = false;
  return ranked.map(({ id, amountCents }) => {
    assertCents(amountCents, `importo di ${id}`);
    if (closed || amountCents === 0) return { id, status: 'not_funded', awardedCents: 0 };
    if (amountCents <= left) {
      left -= amountCents;
      return { id, status: 'funded', awardedCents: amountCents };
    }
    if (mode === 'skip') return { id, status: 'not_funded', awardedCents: 0 };
    closed = true;
    if (mode === 'partial' && left > 0) {
      const rest = left;
      left = 0;
      return { id, status: 'partially_funded', awardedCents: rest };
    }
    return { id, status: 'not_funded', awardedCents: 0 };
  });
}
