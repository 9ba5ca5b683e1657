import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActRef,
  isChangeable,
  isEditableFreely,
  nextState,
  type PlanEvent,
  type PlanState,
  STATUS_LABELS,
} from './lifecycle.js';
import { PLAN_STATUSES, type PlanStatus } from './plan.schemas.js';

const delibera: ActRef = { id: 'a1', kind: 'delibera_assemblea', date: '2025-03-01' };
const decreto: ActRef = { id: 'a2', kind: 'decreto', date: '2027-11-01' };
const altro: ActRef = { id: 'a3', kind: 'altro', date: '2027-11-01' };

const draft: PlanState = {
  status: 'draft',
  startDate: '2025-01-01',
  endDate: '2027-12-31',
  extendedTo: null,
};
const at = (status: PlanStatus, extendedTo: string | null = null): PlanState => ({
  ...draft,
  status,
  extendedTo,
});

function refusal(state: PlanState, event: PlanEvent) {
  const r = nextState(state, event);
  if (r.ok) throw new Error(`expected a refusal, got ${r.state.status}`);
  return r;
}

describe('plan lifecycle: the happy path', () => {
  it('goes draft → approved → in_force → extended → extended → closed', () => {
    let s = draft;
    const steps: Array<[PlanEvent, PlanStatus]> = [
      [{ action: 'approve', act: delibera }, 'approved'],
      [{ action: 'enforce' }, 'in_force'],
      [{ action: 'extend', act: decreto, extendedTo: '2028-06-30' }, 'extended'],
      [{ action: 'extend', act: delibera, extendedTo: '2028-12-31' }, 'extended'],
      [{ action: 'close' }, 'closed'],
    ];
    for (const [event, status] of steps) {
      const r = nextState(s, event);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.state.status).toBe(status);
      s = r.state;
    }
    expect(s).toEqual({ ...draft, status: 'closed', extendedTo: '2028-12-31' });
  });

  it('closes straight from in force', () => {
    expect(nextState(at('in_force'), { action: 'close' })).toEqual({ ok: true, state: at('closed') });
  });

  it('does not mutate the state it is given', () => {
    const s = at('in_force');
    nextState(s, { action: 'extend', act: decreto, extendedTo: '2028-06-30' });
    expect(s).toEqual(at('in_force'));
  });
});

describe('plan lifecycle: refusals', () => {
  it('refuses to close a draft, naming the jump', () => {
    expect(refusal(draft, { action: 'close' })).toEqual({
      ok: false,
      field: 'action',
      reason: 'non si può passare da bozza a chiuso',
    });
  });

  it('refuses to approve twice', () => {
    const r = refusal(at('approved'), { action: 'approve', act: delibera });
    expect(r.field).toBe('action');
    expect(r.reason).toBe('il piano è già approvato');
  });

  it('refuses to approve a plan in force, with the right preposition', () => {
    expect(refusal(at('in_force'), { action: 'approve', act: delibera }).reason).toBe(
      'non si può passare da in vigore ad approvato',
    );
  });

  it('refuses approval with an act that is not a delibera dell’Assemblea', () => {
    const r = refusal(draft, { action: 'approve', act: { ...delibera, kind: 'determina_udp' } });
    expect(r.field).toBe('actId');
    expect(r.reason).toContain('Assemblea dei Sindaci');
  });

  it('refuses approval without an act', () => {
    const r = refusal(draft, { action: 'approve', act: undefined as unknown as ActRef });
    expect(r.field).toBe('actId');
  });

  it.each(['draft', 'in_force', 'extended', 'closed'] as const)('refuses to enforce from %s', (status) => {
    expect(
      refusal(at(status, status === 'extended' ? '2028-06-30' : null), { action: 'enforce' }).field,
    ).toBe('action');
  });

  it.each(['draft', 'approved', 'closed'] as const)('refuses to extend from %s', (status) => {
    const r = refusal(at(status), { action: 'extend', act: decreto, extendedTo: '2028-06-30' });
    expect(r.field).toBe('action');
    expect(r.reason).toContain(`da ${STATUS_LABELS[status]} a prorogato`);
  });

  it.each(['draft', 'approved', 'closed'] as const)('refuses to close from %s', (status) => {
    expect(refusal(at(status), { action: 'close' }).field).toBe('action');
  });

  it('refuses an extension by an act of kind altro', () => {
    const r = refusal(at('in_force'), { action: 'extend', act: altro, extendedTo: '2028-06-30' });
    expect(r.field).toBe('actId');
  });

  it('refuses an extension without an act', () => {
    const r = refusal(at('in_force'), {
      action: 'extend',
      act: undefined as unknown as ActRef,
      extendedTo: '2028-06-30',
    });
    expect(r.field).toBe('actId');
  });

  it('refuses an extension that does not go past the end', () => {
    const same = refusal(at('in_force'), { action: 'extend', act: decreto, extendedTo: '2027-12-31' });
    expect(same.field).toBe('extendedTo');
    expect(same.reason).toContain('31/12/2027');
    const earlier = refusal(at('in_force'), { action: 'extend', act: decreto, extendedTo: '2026-06-30' });
    expect(earlier.field).toBe('extendedTo');
  });

  it('refuses a second extension that does not go past the first', () => {
    const r = refusal(at('extended', '2028-06-30'), {
      action: 'extend',
      act: decreto,
      extendedTo: '2028-03-31',
    });
    expect(r.field).toBe('extendedTo');
    expect(r.reason).toContain('30/06/2028');
  });

  it('refuses an extension with a malformed date', () => {
    for (const extendedTo of ['', '2028-02-30', '30/06/2028']) {
      expect(refusal(at('in_force'), { action: 'extend', act: decreto, extendedTo }).field).toBe(
        'extendedTo',
      );
    }
  });

  it('refuses an unknown action', () => {
    expect(refusal(draft, { action: 'reopen' } as unknown as PlanEvent).field).toBe('action');
  });
});

describe('plan lifecycle: editing', () => {
  it('edits freely only a draft and never a closed plan', () => {
    expect(PLAN_STATUSES.filter(isEditableFreely)).toEqual(['draft']);
    expect(PLAN_STATUSES.filter((s) => !isChangeable(s))).toEqual(['closed']);
  });

  it('labels every status in Italian', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...PLAN_STATUSES].sort());
  });
});

describe('plan lifecycle: properties', () => {
  const rank: Record<PlanStatus, number> = { draft: 0, approved: 1, in_force: 2, extended: 3, closed: 4 };
  const date = fc
    .date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2031-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const act = fc.record({
    id: fc.constantFrom('x1', 'x2'),
    kind: fc.constantFrom(
      'delibera_assemblea',
      'delibera_comune',
      'determina_udp',
      'dgr',
      'decreto',
      'altro',
    ),
    date,
  });
  const event: fc.Arbitrary<PlanEvent> = fc.oneof(
    act.map((a) => ({ action: 'approve' as const, act: a })),
    fc.constant({ action: 'enforce' as const }),
    fc.record({ act, extendedTo: fc.oneof(date, fc.constant('not-a-date')) }).map((e) => ({
      action: 'extend' as const,
      ...e,
    })),
    fc.constant({ action: 'close' as const }),
  );

  it('never reaches an illegal state from a draft', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let s = draft;
        let approvedBy: ActRef | null = null;
        let wasInForce = false;
        for (const e of events) {
          const r = nextState(s, e);
          if (!r.ok) {
            expect(r.reason.length).toBeGreaterThan(0);
            continue;
          }
          const next = r.state;
          // never backwards; only extended → extended repeats
          expect(rank[next.status]).toBeGreaterThanOrEqual(rank[s.status]);
          if (next.status === s.status) expect(next.status).toBe('extended');
          if (e.action === 'approve') approvedBy = e.act;
          if (next.status !== 'draft') {
            expect(approvedBy?.kind).toBe('delibera_assemblea');
          }
          if (next.status === 'in_force') wasInForce = true;
          if (next.status === 'extended' || next.status === 'closed') expect(wasInForce).toBe(true);
          if (next.status === 'extended') {
            expect(next.extendedTo).not.toBeNull();
            expect((next.extendedTo as string) > next.endDate).toBe(true);
            expect((next.extendedTo as string) > (s.extendedTo ?? s.endDate)).toBe(true);
          } else {
            expect(next.extendedTo).toBe(s.extendedTo);
          }
          expect(next.startDate).toBe(draft.startDate);
          expect(next.endDate).toBe(draft.endDate);
          s = next;
        }
        if (s.status === 'closed') expect(isChangeable(s.status)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('reaches every status with some sequence', () => {
    const seen = new Set<PlanStatus>();
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let s = draft;
        seen.add(s.status);
        for (const e of events) {
          const r = nextState(s, e);
          if (r.ok) s = r.state;
          seen.add(s.status);
        }
      }),
      { numRuns: 2000 },
    );
    expect([...seen].sort()).toEqual([...PLAN_STATUSES].sort());
  });
});
