import type { Role, SessionView } from '../identity/types';

/** Whether the session holds one of `roles` on this Ambito (the server's 'ambito' scope). */
function holds(session: SessionView | null | undefined, roles: readonly Role[], ambitoId: string): boolean {
  return !!session?.roles.some((r) => roles.includes(r.role) && r.ambitoId === ambitoId);
}

/** The Ufficio di Piano writes the Ambito's calls, reviews and ranks (calls:write, applications:review). */
export const canManageCalls = (session: SessionView | null | undefined, ambitoId: string) =>
  holds(session, ['ufficio_di_piano'], ambitoId);

/** Who reads the applications of the Ambito (applications:read). */
export const canReadApplications = (session: SessionView | null | undefined, ambitoId: string) =>
  holds(session, ['ufficio_di_piano', 'revisore'], ambitoId);

/** Operators who submit an application on a citizen's behalf (applications:submit_for). */
export const canSubmitFor = (session: SessionView | null | undefined, ambitoId: string) =>
  holds(session, ['ufficio_di_piano', 'assistente_sociale'], ambitoId);

/** A citizen applies for themselves (applications:submit, on any Ambito). */
export const isCitizen = (session: SessionView | null | undefined) =>
  !!session?.roles.some((r) => r.role === 'cittadino');

export const canApply = (session: SessionView | null | undefined, ambitoId: string) =>
  isCitizen(session) || canSubmitFor(session, ambitoId);
