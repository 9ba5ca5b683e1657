import type { Change, IndicatorView, PlanTree } from './plan.schemas.js';

/**
 * What changed between two versions of a plan, item by item. Items are matched by their code
 * (codes are unique within a plan), so renaming an objective is a change of its title while
 * recoding it is one removal and one addition. Ids and revisions are bookkeeping, not content,
 * and nested children are items of their own: none of them is compared.
 */

type Fields = Record<string, unknown>;
interface Item {
  /** Sort rank of the item's kind: plan first, then objectives, specific ones, actions, indicators. */
  rank: number;
  code: string;
  name: string;
  fields: Fields;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const PLAN_FIELDS = ['title', 'governance', 'methodology', 'status', 'endDate', 'extendedTo'] as const;

const indicatorFields = (i: IndicatorView, parent: string): Fields => ({
  name: i.name,
  kind: i.kind,
  unit: i.unit,
  baseline: i.baseline,
  baselineDate: i.baselineDate,
  evaluationTool: i.evaluationTool,
  lowerIsBetter: i.lowerIsBetter,
  targets: [...i.targets].sort((a, b) => a.year - b.year),
  values: i.values
    .map((v) => ({ measuredOn: v.measuredOn, value: v.value, source: v.source }))
    .sort((a, b) => cmp(a.measuredOn, b.measuredOn) || cmp(a.value, b.value) || cmp(a.source, b.source)),
  collocazione: parent,
});

/** Every item of the tree, nested levels flattened, keyed by kind and code. */
function flatten(tree: PlanTree): Map<string, Item> {
  const items = new Map<string, Item>();
  const add = (rank: number, label: string, code: string, fields: Fields) => {
    const name = label ? `${label} ${code}` : code;
    items.set(name, { rank, code, name, fields });
  };
  const indicators = (list: IndicatorView[], parent: string) => {
    for (const i of list) add(4, 'indicatore', i.code, indicatorFields(i, parent));
  };

  add(0, '', 'piano', Object.fromEntries(PLAN_FIELDS.map((f) => [f, tree[f]])));
  for (const o of tree.objectives) {
    const oName = `obiettivo ${o.code}`;
    add(1, 'obiettivo', o.code, {
      title: o.title,
      kind: o.kind,
      macroArea: o.macroArea,
      needs: o.needs,
      leps: o.leps,
    });
    indicators(o.indicators, oName);
    for (const s of o.specific) {
      const sName = `obiettivo specifico ${s.code}`;
      add(2, 'obiettivo specifico', s.code, { title: s.title, needs: s.needs, collocazione: oName });
      indicators(s.indicators, sName);
      for (const a of s.actions) {
        const aName = `azione ${a.code}`;
        add(3, 'azione', a.code, {
          title: a.title,
          responsible: a.responsible,
          partners: a.partners,
          startDate: a.startDate,
          endDate: a.endDate,
          status: a.status,
          staffHours: a.staffHours,
          resources: a.resources,
          collocazione: sName,
        });
        indicators(a.indicators, aName);
      }
    }
  }
  return items;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const codeOrder = (a: string, b: string) => a.localeCompare(b, 'it', { numeric: true }) || cmp(a, b);

export function comparePlans(a: PlanTree, b: PlanTree): Change[] {
  const before = flatten(a);
  const after = flatten(b);
  const keys = [...new Set([...before.keys(), ...after.keys()])].map(
    (k) => (before.get(k) ?? after.get(k)) as Item,
  );
  keys.sort((x, y) => x.rank - y.rank || codeOrder(x.code, y.code));

  const changes: Change[] = [];
  for (const { name } of keys) {
    const from = before.get(name);
    const to = after.get(name);
    if (!from && to) changes.push({ kind: 'added', item: name, field: null, from: null, to: to.fields });
    else if (from && !to)
      changes.push({ kind: 'removed', item: name, field: null, from: from.fields, to: null });
    else if (from && to) {
      const fields = [...new Set([...Object.keys(from.fields), ...Object.keys(to.fields)])].sort(cmp);
      for (const field of fields) {
        const x = from.fields[field] ?? null;
        const y = to.fields[field] ?? null;
        if (!same(x, y)) changes.push({ kind: 'changed', item: name, field, from: x, to: y });
      }
    }
  }
  return changes;
}
