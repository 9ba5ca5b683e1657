import { t } from '../../../i18n';
import { parseEuro } from '../money';
import type { SimpleRule, SplitRule } from '../types';

export const RULE_KINDS = ['population', 'historical', 'fixed', 'mix', 'perHead'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Everything the rule fields hold, as typed; `weights` is the fixed share of each Comune. */
export interface RuleValues {
  kind: RuleKind;
  referenceDate: string;
  ageFrom: string;
  ageTo: string;
  historicalYear: string;
  historicalFund: string;
  weights: Record<string, string>;
  mixPopulation: string;
  mixHistorical: string;
  mixFixed: string;
  perHead: string;
}

export function initialRule(year: number): RuleValues {
  return {
    kind: 'population',
    // ISTAT figures are at 1 January; the demo and most Ambiti have last year's loaded.
    referenceDate: `${year - 1}-01-01`,
    ageFrom: '',
    ageTo: '',
    historicalYear: String(year - 1),
    historicalFund: '',
    weights: {},
    mixPopulation: '70',
    mixHistorical: '0',
    mixFixed: '30',
    perHead: '',
  };
}

type Built = { rule: SplitRule; errors?: undefined } | { rule?: undefined; errors: Record<string, string> };

const INT = /^\d+$/;

function population(v: RuleValues, errors: Record<string, string>): SimpleRule {
  if (!v.referenceDate) errors.referenceDate = t.finance.split.required;
  for (const k of ['ageFrom', 'ageTo'] as const) {
    if (v[k] && (!INT.test(v[k]) || Number(v[k]) > 100)) errors[k] = t.finance.split.ageInvalid;
  }
  return {
    kind: 'population',
    referenceDate: v.referenceDate,
    ...(v.ageFrom ? { ageFrom: Number(v.ageFrom) } : {}),
    ...(v.ageTo ? { ageTo: Number(v.ageTo) } : {}),
  };
}

function historical(v: RuleValues, errors: Record<string, string>): SimpleRule {
  if (!/^\d{4}$/.test(v.historicalYear)) errors.historicalYear = t.finance.yearInvalid;
  return {
    kind: 'historical',
    year: Number(v.historicalYear),
    ...(v.historicalFund ? { fundCode: v.historicalFund } : {}),
  };
}

function fixed(v: RuleValues, comuni: string[], errors: Record<string, string>): SimpleRule {
  const shares = comuni.map((istatCode) => {
    const w = (v.weights[istatCode] ?? '').trim();
    if (!INT.test(w)) errors[`weight-${istatCode}`] = t.finance.split.weightInvalid;
    return { istatCode, weight: INT.test(w) ? Number(w) : 0 };
  });
  return { kind: 'fixed', shares };
}

/**
 * The rule to send, or the fields the form itself refuses (keyed as the fields are named): the
 * server checks again, and its errors land on the same fields.
 */
export function buildRule(v: RuleValues, comuni: string[]): Built {
  const errors: Record<string, string> = {};
  let rule: SplitRule;
  switch (v.kind) {
    case 'population':
      rule = population(v, errors);
      break;
    case 'historical':
      rule = historical(v, errors);
      break;
    case 'fixed':
      rule = fixed(v, comuni, errors);
      break;
    case 'perHead': {
      const cents = parseEuro(v.perHead);
      if (!v.referenceDate) errors.referenceDate = t.finance.split.required;
      if (cents === null || cents === 0) errors.centsPerInhabitant = t.finance.amountInvalid;
      rule = { kind: 'perHead', referenceDate: v.referenceDate, centsPerInhabitant: cents ?? 0 };
      break;
    }
    case 'mix': {
      const parts: Array<[string, 'mixPopulation' | 'mixHistorical' | 'mixFixed', () => SimpleRule]> = [
        ['population', 'mixPopulation', () => population(v, errors)],
        ['historical', 'mixHistorical', () => historical(v, errors)],
        ['fixed', 'mixFixed', () => fixed(v, comuni, errors)],
      ];
      const components = [];
      for (const [, key, make] of parts) {
        const w = v[key].trim() || '0';
        if (!INT.test(w)) errors[key] = t.finance.split.weightInvalid;
        else if (Number(w) > 0) components.push({ weight: Number(w), rule: make() });
      }
      if (components.length === 0 && !errors.mixPopulation) errors.mixPopulation = t.finance.split.mixEmpty;
      rule = { kind: 'mix', components };
      break;
    }
  }
  return Object.keys(errors).length ? { errors } : { rule };
}

/** "popolazione 18-64 anni al 01/01/2024", as the saved splits list describes each rule. */
export function ruleText(rule: SplitRule): string {
  const k = t.finance.split.kinds;
  switch (rule.kind) {
    case 'population':
      return rule.ageFrom !== undefined || rule.ageTo !== undefined
        ? `${k.population} ${rule.ageFrom ?? 0}-${rule.ageTo ?? 100}`
        : k.population;
    case 'historical':
      return `${k.historical} ${rule.year}${rule.fundCode ? ` (${rule.fundCode})` : ''}`;
    case 'mix':
      return `${k.mix}: ${rule.components.map((c) => `${c.weight} ${ruleText(c.rule)}`).join(', ')}`;
    default:
      return k[rule.kind];
  }
}
