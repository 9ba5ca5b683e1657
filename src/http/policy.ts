import type { Actor, Role } from './auth.js';
import { DomainError } from './errors.js';

/** Every action a route can ask for, with the roles that may perform it. One table, one place. */
const RULES = {
  'territory:write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof RULES;

export function can(actor: Actor, action: Action): boolean {
  if (actor.kind === 'anonymous') return false;
  const allowed: readonly Role[] = RULES[action];
  return actor.roles.some((r) => allowed.includes(r));
}

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN for callers without the role. */
export function assertCan(actor: Actor, action: Action): void {
  if (actor.kind === 'anonymous') throw new DomainError('UNAUTHENTICATED', 'Accesso richiesto per questa operazione');
  if (!can(actor, action)) throw new DomainError('FORBIDDEN', 'Il tuo ruolo non consente questa operazione');
}
