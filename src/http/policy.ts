import type { Actor, Role } from './auth.js';
import { DomainError } from './errors.js';

type Scope = 'platform' | 'ambito';

/**
 * Every action a route can ask for: the roles that may perform it and the scope their role
 * assignment must cover. One table, one place; the database enforces the Ambito scope again.
 */
const RULES = {
  'territory:write': { roles: ['admin'], scope: 'platform' },
  'users:read': { roles: ['admin'], scope: 'platform' },
  'users:manage': { roles: ['admin'], scope: 'platform' },
  // Who was granted or lost a role that reads personal data in the Ambito (ADR 0007).
  'role_grants:read': { roles: ['ufficio_di_piano', 'revisore'], scope: 'ambito' },
  'audit:read': { roles: ['revisore'], scope: 'ambito' },
  'plan:read_draft': { roles: ['ufficio_di_piano'], scope: 'ambito' },
  'plan:write': { roles: ['ufficio_di_piano'], scope: 'ambito' },
  'acts:write': { roles: ['ufficio_di_piano'], scope: 'ambito' },
  'taxonomy:write': { roles: ['admin'], scope: 'platform' },
  // The Ambito's money: the mayors and the auditors read it; the Ufficio di Piano manages it.
  'finance:read': { roles: ['ufficio_di_piano', 'assemblea', 'revisore'], scope: 'ambito' },
  'finance:write': { roles: ['ufficio_di_piano'], scope: 'ambito' },
  // Calls for benefits: the office defines and runs them; citizens apply for themselves,
  // operators of the Ambito on a citizen's behalf; auditors read.
  'calls:write': { roles: ['ufficio_di_piano'], scope: 'ambito' },
  'applications:submit': { roles: ['cittadino'], scope: 'platform' },
  'applications:submit_for': { roles: ['ufficio_di_piano', 'assistente_sociale'], scope: 'ambito' },
  'applications:read': { roles: ['ufficio_di_piano', 'revisore'], scope: 'ambito' },
  // The whole record (names, codice fiscale, ISEE, IBAN, disability, attachments) without a
  // stated purpose: the office that reviews. Auditors read pseudonymised views (ADR 0007).
  'applications:read_full': { roles: ['ufficio_di_piano'], scope: 'ambito' },
  'applications:review': { roles: ['ufficio_di_piano'], scope: 'ambito' },
} as const satisfies Record<string, { roles: readonly Role[]; scope: Scope }>;

export type Action = keyof typeof RULES;

/** Roles whose holders read personal data: granting or revoking them is shown to the Ambito. */
export const PERSONAL_DATA_ROLES: readonly Role[] = [
  'ufficio_di_piano',
  'assistente_sociale',
  'revisore',
  'ats_asst',
];

export interface Target {
  ambitoId?: string;
  resourceType?: string;
  resourceId?: string;
}

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  if (actor.kind === 'anonymous') return false;
  const rule = RULES[action];
  const roles: readonly Role[] = rule.roles;
  return actor.roles.some(
    (r) =>
      roles.includes(r.role) &&
      (rule.scope === 'platform' || (target.ambitoId !== undefined && r.ambitoId === target.ambitoId)),
  );
}

/**
 * Throws UNAUTHENTICATED for anonymous callers, FORBIDDEN for callers without the role, and
 * NOT_FOUND when the role exists but for another Ambito: guessing another tenant's ids tells
 * nothing. Denials carry what was attempted, for the audit log.
 */
export function assertCan(actor: Actor, action: Action, target: Target = {}): void {
  if (can(actor, action, target)) return;
  if (actor.kind === 'anonymous')
    throw new DomainError('UNAUTHENTICATED', 'Accesso richiesto per questa operazione');
  const roles: readonly Role[] = RULES[action].roles;
  const hasRoleElsewhere = actor.roles.some((r) => roles.includes(r.role));
  const error = hasRoleElsewhere
    ? new DomainError('NOT_FOUND', 'Risorsa non trovata')
    : new DomainError('FORBIDDEN', 'Il tuo ruolo non consente questa operazione');
  error.denied = { action, ...target };
  throw error;
}

/**
 * The Comuni the actor's grants for the action confine it to in the Ambito: `undefined` when a
 * grant covers the whole Ambito (or the actor may not act there at all: `can` decides that), the
 * set of ISTAT codes when every matching grant names a Comune (an assistente sociale of one
 * Comune acts only for that Comune's residents).
 */
export function comuneScope(actor: Actor, action: Action, ambitoId: string): ReadonlySet<string> | undefined {
  if (actor.kind === 'anonymous') return undefined;
  const rule = RULES[action];
  const roles: readonly Role[] = rule.roles;
  const matching = actor.roles.filter(
    (r) => roles.includes(r.role) && (rule.scope === 'platform' || r.ambitoId === ambitoId),
  );
  if (matching.length === 0 || matching.some((r) => r.comuneIstat === null)) return undefined;
  return new Set(matching.map((r) => r.comuneIstat as string));
}

/** Whether a resident of `istat` lies within the Comuni the actor's grants for the action cover. */
export function inComuneScope(actor: Actor, action: Action, ambitoId: string, istat: string): boolean {
  const scope = comuneScope(actor, action, ambitoId);
  return scope === undefined || scope.has(istat);
}
