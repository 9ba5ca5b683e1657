import { type Kysely, sql } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor, Role } from '../../http/auth.js';
import { assertCan, PERSONAL_DATA_ROLES } from '../../http/policy.js';
import { audit } from '../audit/audit.js';

export const ROLE_GRANTS_PAGE = 100;

// The plain actions are those recorded before personal-data grants had their own (ADR 0007).
const ACTIONS = ['user.grant_personal_data', 'user.revoke_personal_data', 'user.grant', 'user.revoke'];

export interface RoleGrantEvent {
  id: number;
  at: string;
  change: 'granted' | 'revoked';
  role: Role;
  comuneIstat: string | null;
  user: { username: string; displayName: string } | null;
  by: string | null;
}

/**
 * Who was granted or lost a role that reads personal data in the Ambito, when and by whom: read
 * from the Ambito's own audit log (append-only, hash-chained), so nothing can be granted quietly.
 */
export async function listRoleGrants(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  query: { before?: number },
): Promise<{ items: RoleGrantEvent[] }> {
  assertCan(actor, 'role_grants:read', { ambitoId, resourceType: 'role_grants' });
  return withTenant(db, { ambitoId }, async (trx) => {
    let s = trx
      .selectFrom('audit_log')
      .select(['id', 'at', 'action', 'resource_id', 'actor_username', 'detail'])
      .where('ambito_id', '=', ambitoId)
      .where('outcome', '=', 'ok')
      .where('action', 'in', ACTIONS)
      .where(sql<string>`detail->>'role'`, 'in', [...PERSONAL_DATA_ROLES])
      .orderBy('id', 'desc')
      .limit(ROLE_GRANTS_PAGE);
    if (query.before) s = s.where('id', '<', query.before);
    const rows = await s.execute();
    const ids = [...new Set(rows.map((r) => r.resource_id).filter((id): id is string => id !== null))];
    const users = ids.length
      ? await trx
          .selectFrom('users')
          .select(['id', 'username', 'display_name'])
          .where(sql<string>`id::text`, 'in', ids)
          .execute()
      : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    await audit(trx, actor, {
      action: 'role_grants.read',
      resourceType: 'role_grants',
      ambitoId,
      detail: { count: rows.length },
    });
    return {
      items: rows.map((r) => {
        const d = (r.detail ?? {}) as { role: Role; comune?: string | null };
        const u = r.resource_id ? byId.get(r.resource_id) : undefined;
        return {
          id: Number(r.id),
          at: new Date(r.at).toISOString(),
          change: r.action.startsWith('user.grant') ? 'granted' : 'revoked',
          role: d.role as Role,
          comuneIstat: d.comune ?? null,
          user: u ? { username: u.username, displayName: u.display_name } : null,
          by: r.actor_username,
        };
      }),
    };
  });
}
