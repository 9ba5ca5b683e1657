/**
 * Checks a reward project ("progetto premiale") against the rules of the programming period:
 * joint programming by enough Ambiti of the same Distretto, the ASST involved, a minimum number
 * of the plan's objectives within the macro-areas. Every unmet requirement is listed, in Italian,
 * so the Ufficio di Piano sees at once what is missing.
 */

export interface RewardProject {
  partnerAmbiti: string[];
  sameDistrict: boolean;
  asstInvolved: boolean;
  objectiveCodes: string[];
}

export interface RewardRules {
  minAmbiti: number;
  sameDistrict: boolean;
  requireAsst: boolean;
  minObjectives: number;
}

/** An objective of the plan; specific objectives carry their parent's macro-area. */
export interface PlanObjectiveCode {
  code: string;
  macroAreaCode: string | null;
}

export interface RewardFailure {
  rule: string;
  message: string;
}

export interface RewardCheck {
  ok: boolean;
  failures: RewardFailure[];
}

const WORDS = ['zero', 'un', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci'];
const count = (n: number, one: string, many: string) =>
  n === 1 ? `un ${one}` : `${WORDS[n] ?? String(n)} ${many}`;

/** Distinct, non-empty, case- and space-insensitive. */
const distinct = (names: string[]) => {
  const seen = new Map<string, string>();
  for (const n of names) {
    const t = n.trim().replace(/\s+/g, ' ');
    if (t && !seen.has(t.toLocaleLowerCase('it'))) seen.set(t.toLocaleLowerCase('it'), t);
  }
  return [...seen.values()];
};

const list = (codes: string[]) => codes.join(', ');

export function checkRewardProject(
  project: RewardProject,
  rules: RewardRules,
  planObjectiveCodes: PlanObjectiveCode[],
): RewardCheck {
  const failures: RewardFailure[] = [];

  // the Ambito itself counts: two Ambiti means at least one partner
  const partners = distinct(project.partnerAmbiti);
  const ambiti = 1 + partners.length;
  if (ambiti < rules.minAmbiti) {
    failures.push({
      rule: 'min_ambiti',
      message:
        `Programmazione e realizzazione congiunta di obiettivi da parte di almeno ${count(rules.minAmbiti, 'Ambito', 'Ambiti')}` +
        `${rules.sameDistrict ? ' appartenenti allo stesso Distretto sociosanitario' : ''}: ` +
        (partners.length === 0
          ? 'non è indicato alcun Ambito partner'
          : `risultano ${count(ambiti, 'Ambito', 'Ambiti')} compreso il proprio`),
    });
  }

  if (rules.sameDistrict && !project.sameDistrict) {
    failures.push({
      rule: 'same_district',
      message:
        'Programmazione e realizzazione congiunta di obiettivi da parte di Ambiti appartenenti allo stesso Distretto ' +
        'sociosanitario: gli Ambiti partner non risultano dello stesso Distretto',
    });
  }

  if (rules.requireAsst && !project.asstInvolved) {
    failures.push({
      rule: 'asst',
      message:
        'Coinvolgimento dell’ASST di riferimento nella programmazione e realizzazione del progetto: non risulta coinvolta',
    });
  }

  const byCode = new Map(planObjectiveCodes.map((o) => [o.code, o]));
  const codes = [...new Set(project.objectiveCodes.map((c) => c.trim()).filter(Boolean))];
  const unknown = codes.filter((c) => !byCode.has(c));
  const outside = codes.filter((c) => byCode.has(c) && !byCode.get(c)?.macroAreaCode);
  const valid = codes.filter((c) => byCode.get(c)?.macroAreaCode);

  if (unknown.length > 0) {
    failures.push({
      rule: 'objective_unknown',
      message: `${unknown.length === 1 ? 'Obiettivo non presente' : 'Obiettivi non presenti'} nel piano: ${list(unknown)}`,
    });
  }
  if (outside.length > 0) {
    failures.push({
      rule: 'objective_macro_area',
      message: `${outside.length === 1 ? 'Obiettivo non collegato' : 'Obiettivi non collegati'} a una macro-area: ${list(outside)}`,
    });
  }
  if (valid.length < rules.minObjectives) {
    failures.push({
      rule: 'min_objectives',
      message:
        `Numero minimo di ${count(rules.minObjectives, 'obiettivo', 'obiettivi')} da programmare all’interno delle macroaree: ` +
        (valid.length === 0
          ? 'nessun obiettivo valido indicato'
          : `${valid.length === 1 ? 'ne risulta uno' : `ne risultano ${WORDS[valid.length] ?? valid.length}`} (${list(valid)})`),
    });
  }

  return { ok: failures.length === 0, failures };
}
