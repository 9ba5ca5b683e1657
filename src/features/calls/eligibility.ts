import { formatDate, formatEuro } from '../../format.js';
import { type ApplicantData, type CallRules, DISABILITY_LABELS, type IseeType } from './rules.schemas.js';

export interface EligibilityReason {
  /** residence, age_min, age_max, isee_type, isee_ceiling, disability, condition.<code> */
  code: string;
  message: string;
}
export interface EligibilityResult {
  eligible: boolean;
  /** Why not: empty when eligible. Every unmet requirement is listed, not only the first. */
  reasons: EligibilityReason[];
}

/**
 * Age in completed years on a date, from ISO dates compared as text (no time zones involved).
 * Someone born on 29 February turns a year older on 1 March in common years: the anniversary
 * has not been reached on 28 February.
 */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** The date the age requirement and the age points are measured on. */
export function ageReferenceDate(rules: CallRules): string {
  return rules.eligibility.age?.on ?? rules.eligibility.residenceOn;
}

export interface IseeOption {
  type: IseeType;
  maxCents: number;
  /** The declared condition that opened this ceiling; null for the main one. */
  when: string | null;
}

/** The ISEE ceilings open to this applicant: the main one and those whose condition they declared. */
export function iseeOptions(rules: CallRules, conditions: Record<string, boolean>): IseeOption[] {
  const isee = rules.eligibility.isee;
  if (!isee) return [];
  return [
    { type: isee.type, maxCents: isee.maxCents, when: null },
    ...(isee.alternatives ?? [])
      .filter((a) => conditions[a.when] === true)
      .map((a) => ({ type: a.type, maxCents: a.maxCents, when: a.when })),
  ];
}

export function checkEligibility(
  rules: CallRules,
  applicant: ApplicantData,
  ctx: { memberIstat: ReadonlySet<string> },
): EligibilityResult {
  const e = rules.eligibility;
  const reasons: EligibilityReason[] = [];
  const fail = (code: string, message: string) => reasons.push({ code, message });

  if (!ctx.memberIstat.has(applicant.residenceIstat))
    fail('residence', `residenza in un Comune che al ${formatDate(e.residenceOn)} non fa parte dell’Ambito`);

  if (e.age) {
    const age = ageOn(applicant.birthDate, e.age.on);
    const on = formatDate(e.age.on);
    if (e.age.min !== undefined && age < e.age.min)
      fail('age_min', `età al ${on}: ${Math.max(age, 0)} anni, il minimo è ${e.age.min}`);
    if (e.age.max !== undefined && age > e.age.max)
      fail('age_max', `età al ${on}: ${age} anni, il massimo è ${e.age.max}`);
  }

  if (e.isee) {
    const options = iseeOptions(rules, applicant.conditions);
    const sameType = options.filter((o) => o.type === applicant.isee.type);
    if (sameType.length === 0) {
      const wanted = [...new Set(options.map((o) => o.type))].join(' o ');
      fail('isee_type', `ISEE ${applicant.isee.type} non ammesso: serve l’ISEE ${wanted}`);
    } else if (!sameType.some((o) => applicant.isee.valueCents <= o.maxCents)) {
      const ceiling = Math.max(...sameType.map((o) => o.maxCents));
      fail(
        'isee_ceiling',
        `ISEE ${applicant.isee.type} di ${formatEuro(applicant.isee.valueCents)} oltre il limite di ${formatEuro(ceiling)}`,
      );
    }
  }

  if (e.disability && !e.disability.anyOf.some((code) => applicant.disability.includes(code)))
    fail(
      'disability',
      `serve almeno una tra: ${e.disability.anyOf.map((c) => DISABILITY_LABELS[c]).join('; ')}`,
    );

  for (const c of e.conditions)
    if (c.required && applicant.conditions[c.code] !== true)
      fail(`condition.${c.code}`, `requisito non dichiarato: ${c.label}`);

  return { eligible: reasons.length === 0, reasons };
}
