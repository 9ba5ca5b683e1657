import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';

export interface AuditEntry {
  action: string;
  outcome?: 'ok' | 'denied' | 'failed';
  resourceType?: string;
  resourceId?: string;
  ambitoId?: string | null;
  /** Why the data was read or changed (the legal basis or the task), when the caller states it. */
  purpose?: string;
  detail?: Record<string, unknown>;
  /** For events without an authenticated actor (failed logins): the name that was tried. */
  username?: string;
}

/**
 * Appends one entry to the hash-chained audit log, inside the caller's transaction so that a
 * write and its audit row commit or roll back together. Never log secrets or personal content
 * in `detail`: identifiers only.
 */
export async function audit(trx: Tx | Kysely<DB>, actor: Actor, e: AuditEntry): Promise<void> {
  const userId = actor.kind === 'anonymous' ? null : actor.id;
  const username = actor.kind === 'anonymous' ? (e.username ?? null) : actor.username;
  await sql`select audit_append(${userId}::uuid, ${username}, ${actor.ip ?? null}, ${e.action}, ${e.resourceType ?? null},
    ${e.resourceId ?? null}, ${e.ambitoId ?? null}::uuid, ${e.purpose ?? null}, ${e.outcome ?? 'ok'},
    ${JSON.stringify(e.detail ?? {})}::jsonb)`.execute(trx);
}

export interface ChainCheck {
  entries: number;
  firstBroken: { id: number; reason: string } | null;
}

/**
 * Recomputes every entry's hash in the application from the stored fields and the previous
 * entry's hash. Needs a connection that sees every entry (the owner's).
 */
export async function verifyAuditChain(db: Kysely<DB>): Promise<ChainCheck> {
  let prev = '0'.repeat(64);
  let entries = 0;
  let lastId = 0;
  for (;;) {
    const { rows } = await sql<{ id: number; canonical: string; prev_hash: string; hash: string }>`
      select id, prev_hash, hash, audit_canonical(prev_hash, a) as canonical
      from audit_log a where id > ${lastId} order by id limit 5000`.execute(db);
    if (rows.length === 0) return { entries, firstBroken: null };
    for (const row of rows) {
      if (row.prev_hash !== prev)
        return {
          entries,
          firstBroken: { id: row.id, reason: 'collegamento con la voce precedente alterato o voce rimossa' },
        };
      const expected = createHash('sha256').update(row.canonical, 'utf8').digest('hex');
      if (row.hash !== expected)
        return { entries, firstBroken: { id: row.id, reason: 'contenuto della voce alterato' } };
      prev = row.hash;
      lastId = row.id;
      entries++;
    }
  }
}
