import { formatDate } from '../../format.js';
import type { PlanStatus } from './plan.schemas.js';

/**
 * The life of a Piano di Zona: drafted, approved by the Assemblea dei Sindaci, put in force,
 * possibly extended (more than once), closed. Pure rules: the service loads the plan and the act,
 * asks here whether the step is allowed, and writes the new state.
 */

export interface ActRef {
  id: string;
  kind: string;
  date: string;
}

export type PlanEvent =
  | { action: 'approve'; act: ActRef }
  | { action: 'enforce' }
  | { action: 'extend'; act: ActRef; extendedTo: string }
  | { action: 'close' };

export interface PlanState {
  status: PlanStatus;
  startDate: string;
  endDate: string;
  extendedTo: string | null;
}

export type TransitionResult = { ok: true; state: PlanState } | { ok: false; field: string; reason: string };

export const STATUS_LABELS: Record<PlanStatus, string> = {
  draft: 'bozza',
  approved: 'approvato',
  in_force: 'in vigore',
  extended: 'prorogato',
  closed: 'chiuso',
};

/** Where each action leads and where it may start from. */
const TRANSITIONS: Record<PlanEvent['action'], { to: PlanStatus; from: readonly PlanStatus[] }> = {
  approve: { to: 'approved', from: ['draft'] },
  enforce: { to: 'in_force', from: ['approved'] },
  extend: { to: 'extended', from: ['in_force', 'extended'] },
  close: { to: 'closed', from: ['in_force', 'extended'] },
};

/** A draft is edited freely; once approved every change needs a reason and makes a new version. */
export function isEditableFreely(status: PlanStatus): boolean {
  return status === 'draft';
}

/** A closed plan is history: it does not change any more. */
export function isChangeable(status: PlanStatus): boolean {
  return status !== 'closed';
}

const refuse = (field: string, reason: string): TransitionResult => ({ ok: false, field, reason });

const isIsoDate = (s: unknown): s is string => {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** "da bozza a chiuso", "da in vigore ad approvato". */
const jump = (from: PlanStatus, to: PlanStatus) => {
  const target = STATUS_LABELS[to];
  return `da ${STATUS_LABELS[from]} ${/^a/i.test(target) ? 'ad' : 'a'} ${target}`;
};

/** The end the plan currently has: the last extension, or the original end. */
export function currentEnd(state: PlanState): string {
  return state.extendedTo ?? state.endDate;
}

export function nextState(state: PlanState, event: PlanEvent): TransitionResult {
  const rule = (TRANSITIONS as Record<string, (typeof TRANSITIONS)[keyof typeof TRANSITIONS] | undefined>)[
    (event as { action?: unknown }).action as string
  ];
  if (!rule) return refuse('action', 'azione non riconosciuta: usare approve, enforce, extend o close');
  if (!rule.from.includes(state.status)) {
    if (state.status === rule.to) return refuse('action', `il piano è già ${STATUS_LABELS[state.status]}`);
    return refuse('action', `non si può passare ${jump(state.status, rule.to)}`);
  }

  switch (event.action) {
    case 'approve': {
      if (!event.act?.id)
        return refuse('actId', 'indicare la delibera dell’Assemblea dei Sindaci che approva il piano');
      if (event.act.kind !== 'delibera_assemblea')
        return refuse('actId', 'il piano si approva con una delibera dell’Assemblea dei Sindaci');
      return { ok: true, state: { ...state, status: 'approved' } };
    }
    case 'enforce':
      return { ok: true, state: { ...state, status: 'in_force' } };
    case 'extend': {
      if (!event.act?.id) return refuse('actId', 'indicare l’atto che dispone la proroga del piano');
      if (event.act.kind === 'altro')
        return refuse(
          'actId',
          'la proroga va disposta con un atto formale (delibera, determina, DGR o decreto)',
        );
      if (!isIsoDate(event.extendedTo))
        return refuse('extendedTo', 'nuova data di fine non valida: usare il formato AAAA-MM-GG');
      const end = currentEnd(state);
      if (event.extendedTo <= end)
        return refuse(
          'extendedTo',
          `la proroga deve andare oltre l’attuale fine del piano (${formatDate(end)}): indicata ${formatDate(event.extendedTo)}`,
        );
      return { ok: true, state: { ...state, status: 'extended', extendedTo: event.extendedTo } };
    }
    case 'close':
      return { ok: true, state: { ...state, status: 'closed' } };
  }
}
