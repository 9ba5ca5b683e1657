/** Wire types of the /api/v1 identity and audit endpoints (see the server's Zod schemas). */

export const ROLES = [
  'admin',
  'ufficio_di_piano',
  'assistente_sociale',
  'assemblea',
  'terzo_settore',
  'ats_asst',
  'cittadino',
  'revisore',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleAssignment {
  id: string;
  role: Role;
  ambitoId: string | null;
  comuneIstat: string | null;
  organizationId: string | null;
}

export interface SessionView {
  user: { id: string; username: string; displayName: string; totpEnabled: boolean };
  roles: RoleAssignment[];
  csrfToken: string;
  expiresAt: string;
}

export interface GrantBody {
  role: Role;
  ambitoId?: string | null;
  comuneIstat?: string | null;
  organizationId?: string | null;
}

export interface CreateUserBody {
  username: string;
  displayName: string;
  email?: string | null;
  password?: string;
  roles: GrantBody[];
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  disabled: boolean;
  totpEnabled: boolean;
  demo: boolean;
  roles: RoleAssignment[];
}

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
}

export interface OidcInfo {
  enabled: boolean;
  label: string;
}

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  id: number;
  at: string;
  username: string | null;
  ip: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  purpose: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}
