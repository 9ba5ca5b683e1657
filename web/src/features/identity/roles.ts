import type { Role, SessionView } from './types';

/** Which scope each role needs, as the server (and the database's check constraint) requires. */
export const ROLE_SCOPE: Record<Role, { ambito: boolean; comune: boolean; organization: boolean }> = {
  admin: { ambito: false, comune: false, organization: false },
  ufficio_di_piano: { ambito: true, comune: false, organization: false },
  revisore: { ambito: true, comune: false, organization: false },
  ats_asst: { ambito: true, comune: false, organization: false },
  assistente_sociale: { ambito: true, comune: true, organization: false },
  assemblea: { ambito: true, comune: true, organization: false },
  terzo_settore: { ambito: false, comune: false, organization: true },
  cittadino: { ambito: false, comune: false, organization: false },
};

export function hasRole(session: SessionView | null | undefined, role: Role): boolean {
  return !!session?.roles.some((r) => r.role === role);
}

/** Staff is anyone with a role other than cittadino: they may (and should) use a second factor. */
export function isStaff(session: SessionView | null | undefined): boolean {
  return !!session?.roles.some((r) => r.role !== 'cittadino');
}

/** The Ambiti whose audit log this session may read. */
export function auditAmbitoIds(session: SessionView | null | undefined): string[] {
  const ids = (session?.roles ?? [])
    .filter((r) => r.role === 'revisore' && r.ambitoId)
    .map((r) => r.ambitoId);
  return [...new Set(ids as string[])];
}
