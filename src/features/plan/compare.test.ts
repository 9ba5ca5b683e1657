import { describe, expect, it } from 'vitest';
import { comparePlans } from './compare.js';
import type { ActionView, IndicatorView, ObjectiveView, PlanTree } from './plan.schemas.js';

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

const indicator = (code: string, over: Partial<IndicatorView> = {}): IndicatorView => ({
  id: uuid(),
  code,
  name: `Indicatore ${code}`,
  kind: 'output',
  unit: 'numero',
  baseline: '10',
  baselineDate: '2024-12-31',
  evaluationTool: 'registro',
  lowerIsBetter: false,
  targets: [{ year: 2025, target: '20' }],
  values: [{ id: uuid(), measuredOn: '2025-06-30', value: '15', source: 'gestionale' }],
  revision: 1,
  ...over,
});

const action = (code: string, over: Partial<ActionView> = {}): ActionView => ({
  id: uuid(),
  code,
  title: `Azione ${code}`,
  responsible: 'Ufficio di Piano',
  partners: ['ASST'],
  startDate: '2025-01-01',
  endDate: '2025-12-31',
  status: 'planned',
  staffHours: 100,
  resources: [{ fund: 'FNPS', amountCents: 1_000_00 }],
  indicators: [],
  revision: 1,
  ...over,
});

const objective = (code: string, over: Partial<ObjectiveView> = {}): ObjectiveView => ({
  id: uuid(),
  code,
  title: `Obiettivo ${code}`,
  kind: 'territorio_comunita',
  macroArea: { code: 'A', name: 'Contrasto alla povertà' },
  needs: 'bisogni',
  leps: [],
  specific: [],
  indicators: [],
  revision: 1,
  ...over,
});

const plan = (over: Partial<PlanTree> = {}): PlanTree => ({
  id: '00000000-0000-4000-8000-aaaaaaaaaaaa',
  ambitoId: '00000000-0000-4000-8000-bbbbbbbbbbbb',
  title: 'Piano di Zona 2025-2027',
  period: '2025-2027',
  edition: 1,
  status: 'approved',
  startDate: '2025-01-01',
  endDate: '2027-12-31',
  extendedTo: null,
  version: 1,
  ambitoName: 'Ambito di prova',
  governance: 'governance',
  methodology: 'metodo',
  approvalAct: null,
  extensionAct: null,
  objectives: [],
  rewardProjects: [],
  revision: 1,
  ...over,
});

/** A small tree: OG1 › OS1.1 › A1 (with I2), OG1 has I1. Fresh ids each call. */
const tree = () =>
  plan({
    objectives: [
      objective('OG1', {
        indicators: [indicator('I1')],
        specific: [
          {
            id: uuid(),
            code: 'OS1.1',
            title: 'Specifico',
            needs: '',
            indicators: [],
            actions: [action('A1', { indicators: [indicator('I2')] })],
            revision: 1,
          },
        ],
      }),
    ],
  });

describe('comparePlans', () => {
  it('finds nothing between two copies that differ only in ids, revisions and version', () => {
    const b = tree();
    b.revision = 9;
    b.version = 3;
    for (const o of b.objectives) o.revision = 7;
    expect(comparePlans(tree(), b)).toEqual([]);
  });

  it('reports each changed plan field as item "piano"', () => {
    const changes = comparePlans(
      plan(),
      plan({ title: 'PdZ', status: 'extended', extendedTo: '2028-06-30', edition: 2 }),
    );
    expect(changes).toEqual([
      { kind: 'changed', item: 'piano', field: 'extendedTo', from: null, to: '2028-06-30' },
      { kind: 'changed', item: 'piano', field: 'status', from: 'approved', to: 'extended' },
      { kind: 'changed', item: 'piano', field: 'title', from: 'Piano di Zona 2025-2027', to: 'PdZ' },
    ]);
  });

  it('reports added and removed items at every level, in order', () => {
    const a = tree();
    const b = tree();
    // remove I2 (under A1), add action A2 and objective OG2
    const os = b.objectives[0]?.specific[0];
    if (!os?.actions[0]) throw new Error('fixture');
    os.actions[0].indicators = [];
    os.actions.push(action('A2'));
    b.objectives.push(objective('OG2'));
    const changes = comparePlans(a, b);
    expect(changes.map((c) => [c.kind, c.item, c.field])).toEqual([
      ['added', 'obiettivo OG2', null],
      ['added', 'azione A2', null],
      ['removed', 'indicatore I2', null],
    ]);
    expect(changes[0]?.to).toMatchObject({ title: 'Obiettivo OG2', macroArea: { code: 'A' } });
    expect(changes[0]?.from).toBeNull();
    expect(changes[2]?.from).toMatchObject({ name: 'Indicatore I2', collocazione: 'azione A1' });
    expect(changes[2]?.to).toBeNull();
  });

  it('reports one change per differing field, ignoring nested lists', () => {
    const a = tree();
    const b = tree();
    const o = b.objectives[0];
    const s = o?.specific[0];
    const act = s?.actions[0];
    if (!o || !s || !act) throw new Error('fixture');
    o.title = 'Nuovo titolo';
    o.leps = ['pua'];
    o.macroArea = { code: 'B', name: 'Anziani' };
    s.needs = 'nuovi bisogni';
    act.partners = ['ASST', 'Comune'];
    act.resources = [{ fund: 'FNPS', amountCents: 2_000_00 }];
    act.status = 'running';
    expect(comparePlans(a, b)).toEqual([
      { kind: 'changed', item: 'obiettivo OG1', field: 'leps', from: [], to: ['pua'] },
      {
        kind: 'changed',
        item: 'obiettivo OG1',
        field: 'macroArea',
        from: { code: 'A', name: 'Contrasto alla povertà' },
        to: { code: 'B', name: 'Anziani' },
      },
      { kind: 'changed', item: 'obiettivo OG1', field: 'title', from: 'Obiettivo OG1', to: 'Nuovo titolo' },
      { kind: 'changed', item: 'obiettivo specifico OS1.1', field: 'needs', from: '', to: 'nuovi bisogni' },
      { kind: 'changed', item: 'azione A1', field: 'partners', from: ['ASST'], to: ['ASST', 'Comune'] },
      {
        kind: 'changed',
        item: 'azione A1',
        field: 'resources',
        from: [{ fund: 'FNPS', amountCents: 1_000_00 }],
        to: [{ fund: 'FNPS', amountCents: 2_000_00 }],
      },
      { kind: 'changed', item: 'azione A1', field: 'status', from: 'planned', to: 'running' },
    ]);
  });

  it('compares indicator targets and values, not their ids or order', () => {
    const a = tree();
    const b = tree();
    const i1 = b.objectives[0]?.indicators[0];
    if (!i1) throw new Error('fixture');
    i1.targets = [
      { year: 2026, target: '25' },
      { year: 2025, target: '20' },
    ];
    i1.values = [
      { id: uuid(), measuredOn: '2025-12-31', value: '18', source: 'gestionale' },
      { id: uuid(), measuredOn: '2025-06-30', value: '15', source: 'gestionale' },
    ];
    const changes = comparePlans(a, b);
    expect(changes.map((c) => [c.item, c.field])).toEqual([
      ['indicatore I1', 'targets'],
      ['indicatore I1', 'values'],
    ]);
    expect(changes[0]?.to).toEqual([
      { year: 2025, target: '20' },
      { year: 2026, target: '25' },
    ]);
    expect(changes[1]?.to).toEqual([
      { measuredOn: '2025-06-30', value: '15', source: 'gestionale' },
      { measuredOn: '2025-12-31', value: '18', source: 'gestionale' },
    ]);
  });

  it('reports an action moved under another specific objective as a change of place', () => {
    const a = tree();
    const b = tree();
    const og = b.objectives[0];
    const os = og?.specific[0];
    if (!og || !os) throw new Error('fixture');
    og.specific.push({ ...os, id: uuid(), code: 'OS1.2', actions: os.actions });
    os.actions = [];
    expect(comparePlans(a, b)).toEqual([
      { kind: 'added', item: 'obiettivo specifico OS1.2', field: null, from: null, to: expect.any(Object) },
      {
        kind: 'changed',
        item: 'azione A1',
        field: 'collocazione',
        from: 'obiettivo specifico OS1.1',
        to: 'obiettivo specifico OS1.2',
      },
    ]);
  });

  it('orders codes naturally (A2 before A10) and is deterministic', () => {
    const b = plan({
      objectives: [objective('OG10'), objective('OG2'), objective('OG1')],
    });
    const items = comparePlans(plan(), b).map((c) => c.item);
    expect(items).toEqual(['obiettivo OG1', 'obiettivo OG2', 'obiettivo OG10']);
    expect(comparePlans(plan(), b)).toEqual(comparePlans(plan(), b));
  });

  it('is symmetric: swapping the versions swaps added/removed and from/to', () => {
    const a = tree();
    const b = plan({ title: 'Altro', objectives: [objective('OG1', { title: 'X' })] });
    const forward = comparePlans(a, b);
    const backward = comparePlans(b, a);
    const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
    expect(backward).toEqual(forward.map((c) => ({ ...c, kind: flip[c.kind], from: c.to, to: c.from })));
  });
});
