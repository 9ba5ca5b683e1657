import type { SessionView } from '../identity/types';

/** Who reads the Ambito's money (as the server's finance:read): its mayors, auditors and office. */
const READERS = ['ufficio_di_piano', 'assemblea', 'revisore'] as const;

export function canReadFinance(session: SessionView | null | undefined, ambitoId: string): boolean {
  return !!session?.roles.some(
    (r) => (READERS as readonly string[]).includes(r.role) && r.ambitoId === ambitoId,
  );
}

/** Only the Ufficio di Piano of the Ambito changes it (the server's finance:write). */
export function canWriteFinance(session: SessionView | null | undefined, ambitoId: string): boolean {
  return !!session?.roles.some((r) => r.role === 'ufficio_di_piano' && r.ambitoId === ambitoId);
}
