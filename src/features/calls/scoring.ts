import { ageOn, ageReferenceDate } from './eligibility.js';
import type { ApplicantData, CallRules, TieBreaker } from './rules.schemas.js';

export interface ScoreLine {
  /** isee, household, age, disability.<code>, condition.<code> */
  criterion: string;
  points: number;
}
export interface Score {
  points: number;
  /** One line per criterion the call scores on (0 when it does not apply): they add up to `points`. */
  breakdown: ScoreLine[];
}

export function scoreApplication(rules: CallRules, applicant: ApplicantData): Score {
  const s = rules.scoring;
  const breakdown: ScoreLine[] = [];
  if (s.isee.length > 0) {
    // Bands are ascending (checked when the call is saved): the first that holds the value is its band.
    const band = s.isee.find((b) => applicant.isee.valueCents <= b.upToCents);
    breakdown.push({ criterion: 'isee', points: band?.points ?? 0 });
  }
  if (s.household) {
    const band = s.household.findLast((b) => b.minMembers <= applicant.householdMembers);
    breakdown.push({ criterion: 'household', points: band?.points ?? 0 });
  }
  if (s.age) {
    const age = ageOn(applicant.birthDate, ageReferenceDate(rules));
    const band = s.age.find((b) => b.from <= age && age <= b.to);
    breakdown.push({ criterion: 'age', points: band?.points ?? 0 });
  }
  for (const d of s.disability ?? [])
    breakdown.push({
      criterion: `disability.${d.code}`,
      points: applicant.disability.includes(d.code) ? d.points : 0,
    });
  for (const c of s.conditions ?? [])
    breakdown.push({
      criterion: `condition.${c.code}`,
      points: applicant.conditions[c.code] === true ? c.points : 0,
    });
  return { points: breakdown.reduce((sum, line) => sum + line.points, 0), breakdown };
}

/**
 * The benefit the applicant would receive, in cents. Zero means the application cannot be funded
 * (its ISEE is above every amount band); a requested amount is capped at the call's maximum.
 */
export function amountFor(rules: CallRules, applicant: ApplicantData): number {
  const amount = rules.amount;
  switch (amount.kind) {
    case 'fixed':
      return amount.cents;
    case 'bands':
      return amount.bands.find((b) => applicant.isee.valueCents <= b.upToIseeCents)?.cents ?? 0;
    case 'requested':
      return Math.min(applicant.requestedCents ?? 0, amount.maxCents);
  }
}

/** What the ranking compares; the same columns the SQL ranking orders by. */
export interface RankEntry {
  points: number;
  iseeCents: number;
  householdMembers: number;
  birthDate: string;
  /** ISO 8601 instant with milliseconds, e.g. 2025-03-01T08:00:00.123Z */
  receivedAt: string;
  protocol: string;
}
type Compare = (a: RankEntry, b: RankEntry) => number;

const byNumber = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);
/** Code-unit order, as PostgreSQL's "C" collation: locale rules could tie two distinct protocols. */
const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function instant(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`istante di ricezione non valido: ${iso}`);
  return t;
}

const TIES: Record<TieBreaker, Compare> = {
  isee_asc: (a, b) => byNumber(a.iseeCents, b.iseeCents),
  household_desc: (a, b) => byNumber(b.householdMembers, a.householdMembers),
  // Older first means the earlier birth date first.
  age_desc: (a, b) => byText(a.birthDate, b.birthDate),
  age_asc: (a, b) => byText(b.birthDate, a.birthDate),
  // Instants are compared as instants: two offsets ("Z", "+01:00") may name the same moment.
  received_asc: (a, b) => byNumber(instant(a.receivedAt), instant(b.receivedAt)),
};

/**
 * Higher points first, then the call's tie rules in order, then the protocol: with unique
 * protocols the order is total, so the ranking never depends on the order rows were read in.
 */
export function rankingComparator(ties: readonly TieBreaker[]): Compare {
  const steps: Compare[] = [(a, b) => byNumber(b.points, a.points), ...ties.map((t) => TIES[t])];
  return (a, b) => {
    for (const step of steps) {
      const c = step(a, b);
      if (c !== 0) return c;
    }
    return byText(a.protocol, b.protocol);
  };
}
