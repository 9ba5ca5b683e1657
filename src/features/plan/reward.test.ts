import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRewardProject, type RewardProject, type RewardRules } from './reward.js';

const rules: RewardRules = { minAmbiti: 2, sameDistrict: true, requireAsst: true, minObjectives: 2 };
const objectives = [
  { code: 'OG1', macroAreaCode: 'A' },
  { code: 'OS1.1', macroAreaCode: 'A' }, // specific: the parent's macro-area
  { code: 'OG2', macroAreaCode: 'J' },
  { code: 'OG9', macroAreaCode: null },
];
const good: RewardProject = {
  partnerAmbiti: ['Ambito di Lecco'],
  sameDistrict: true,
  asstInvolved: true,
  objectiveCodes: ['OG1', 'OG2'],
};
const rulesOf = (p: RewardProject, r: RewardRules = rules) =>
  checkRewardProject(p, r, objectives).failures.map((f) => f.rule);

describe('checkRewardProject', () => {
  it('accepts a project meeting every requirement', () => {
    expect(checkRewardProject(good, rules, objectives)).toEqual({ ok: true, failures: [] });
  });

  it('counts the Ambito itself: two Ambiti need one partner', () => {
    const r = checkRewardProject({ ...good, partnerAmbiti: [] }, rules, objectives);
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      {
        rule: 'min_ambiti',
        message:
          'Programmazione e realizzazione congiunta di obiettivi da parte di almeno due Ambiti appartenenti allo stesso ' +
          'Distretto sociosanitario: non è indicato alcun Ambito partner',
      },
    ]);
    expect(rulesOf({ ...good, partnerAmbiti: ['A', 'B'] }, { ...rules, minAmbiti: 3 })).toEqual([]);
  });

  it('does not count the same partner twice or blank names', () => {
    const r = checkRewardProject(
      { ...good, partnerAmbiti: ['Ambito di Lecco', ' ambito  di lecco ', ''] },
      { ...rules, minAmbiti: 3 },
      objectives,
    );
    expect(r.failures).toEqual([
      {
        rule: 'min_ambiti',
        message:
          'Programmazione e realizzazione congiunta di obiettivi da parte di almeno tre Ambiti appartenenti allo stesso ' +
          'Distretto sociosanitario: risultano due Ambiti compreso il proprio',
      },
    ]);
  });

  it('requires the same Distretto only when the rules say so', () => {
    const p = { ...good, sameDistrict: false };
    const r = checkRewardProject(p, rules, objectives);
    expect(r.failures.map((f) => f.rule)).toEqual(['same_district']);
    expect(r.failures[0]?.message).toContain('stesso Distretto sociosanitario');
    expect(rulesOf(p, { ...rules, sameDistrict: false })).toEqual([]);
  });

  it('requires the ASST only when the rules say so', () => {
    const p = { ...good, asstInvolved: false };
    const r = checkRewardProject(p, rules, objectives);
    expect(r.failures.map((f) => f.rule)).toEqual(['asst']);
    expect(r.failures[0]?.message).toMatch(/^Coinvolgimento dell’ASST di riferimento/);
    expect(rulesOf(p, { ...rules, requireAsst: false })).toEqual([]);
  });

  it('counts only objectives of the plan within a macro-area, each once', () => {
    const r = checkRewardProject({ ...good, objectiveCodes: ['OG1', 'OG1', 'OG9', 'X7'] }, rules, objectives);
    expect(r.failures).toEqual([
      { rule: 'objective_unknown', message: 'Obiettivo non presente nel piano: X7' },
      { rule: 'objective_macro_area', message: 'Obiettivo non collegato a una macro-area: OG9' },
      {
        rule: 'min_objectives',
        message:
          'Numero minimo di due obiettivi da programmare all’interno delle macroaree: ne risulta uno (OG1)',
      },
    ]);
  });

  it('accepts specific objectives through their parent’s macro-area', () => {
    expect(rulesOf({ ...good, objectiveCodes: ['OG1', 'OS1.1'] })).toEqual([]);
  });

  it('says when no objective is valid', () => {
    const r = checkRewardProject({ ...good, objectiveCodes: [] }, rules, objectives);
    expect(r.failures).toEqual([
      {
        rule: 'min_objectives',
        message:
          'Numero minimo di due obiettivi da programmare all’interno delle macroaree: nessun obiettivo valido indicato',
      },
    ]);
  });

  it('lists every failing requirement at once', () => {
    const r = checkRewardProject(
      { partnerAmbiti: [], sameDistrict: false, asstInvolved: false, objectiveCodes: ['Z1', 'Z2'] },
      rules,
      objectives,
    );
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.rule)).toEqual([
      'min_ambiti',
      'same_district',
      'asst',
      'objective_unknown',
      'min_objectives',
    ]);
    expect(r.failures[3]?.message).toBe('Obiettivi non presenti nel piano: Z1, Z2');
  });

  it('is ok exactly when there are no failures', () => {
    fc.assert(
      fc.property(
        fc.record({
          partnerAmbiti: fc.array(fc.constantFrom('A', 'B', 'C', ' ', 'a')),
          sameDistrict: fc.boolean(),
          asstInvolved: fc.boolean(),
          objectiveCodes: fc.array(fc.constantFrom('OG1', 'OS1.1', 'OG2', 'OG9', 'X')),
        }),
        fc.record({
          minAmbiti: fc.integer({ min: 1, max: 4 }),
          sameDistrict: fc.boolean(),
          requireAsst: fc.boolean(),
          minObjectives: fc.integer({ min: 0, max: 4 }),
        }),
        (p, r) => {
          const res = checkRewardProject(p, r, objectives);
          expect(res.ok).toBe(res.failures.length === 0);
          for (const f of res.failures) expect(f.message.length).toBeGreaterThan(10);
        },
      ),
    );
  });
});
