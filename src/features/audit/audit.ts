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
 *
 * A user's entry first binds the transaction to that user (`app.actor_user_id`, first binding
 * wins): the database refuses an entry for any other user in the same transaction, and any
 * entry naming a user through a bare `audit_append` call that has not claimed that user.
 */
export async function audit(trx: Tx | Kysely<DB>, actor: Actor, e: AuditEntry): Promise<void> {
  const userId = actor.kind === 'user' ? actor.id : null;
  const username = actor.kind === 'anonymous' ? (e.username ?? null) : actor.username;
  // One statement, so that the binding and the append share a transaction even on a bare pool.
  await sql`with bound as (
      select set_config('app.actor_user_id',
        coalesce(nullif(current_setting('app.actor_user_id', true), ''), ${userId ?? ''}), true) as v
    )
    select audit_append(${userId}::uuid, ${username}, ${actor.ip ?? null}, ${e.action}, ${e.resourceType ?? null},
      ${e.resourceId ?? null}, ${e.ambitoId ?? null}::uuid, ${e.purpose ?? null}, ${e.outcome ?? 'ok'},
      ${JSON.stringify(e.detail ?? {})}::jsonb)
    from bound`.execute(trx);
}

export interface ChainCheck {
  entries: number;
  /** The last entry whose hash was verified (0 and the zero hash for an empty log). */
  lastId: number;
  lastHash: string;
  firstBroken: { id: number; reason: string } | null;
  /** For each watched id met on the way: its stored hash and how many entries reach up to it. */
  seen: Map<number, { hash: string; entries: number }>;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Recomputes every entry's hash in the application from the stored fields and the previous
 * entry's hash. Needs a connection that sees every entry (the owner's). `watch` names entries
 * (the anchored ones) whose hash and position the caller wants to compare.
 */
export async function verifyAuditChain(
  db: Kysely<DB>,
  watch: ReadonlySet<number> = new Set(),
): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let entries = 0;
  let lastId = 0;
  const seen = new Map<number, { hash: string; entries: number }>();
  const result = (firstBroken: ChainCheck['firstBroken']): ChainCheck => ({
    entries,
    lastId,
    lastHash: prev,
    firstBroken,
    seen,
  });
  for (;;) {
    const { rows } = await sql<{ id: number; canonical: string; prev_hash: string; hash: string }>`
      select id, prev_hash, hash, audit_canonical(prev_hash, a) as canonical
      from audit_log a where id > ${lastId} order by id limit 5000`.execute(db);
    if (rows.length === 0) return result(null);
    for (const row of rows) {
      const id = Number(row.id);
      if (row.prev_hash !== prev)
        return result({ id, reason: 'collegamento con la voce precedente alterato o voce rimossa' });
      const expected = createHash('sha256').update(row.canonical, 'utf8').digest('hex');
      if (row.hash !== expected) return result({ id, reason: 'contenuto della voce alterato' });
      prev = row.hash;
      lastId = id;
      entries++;
      if (watch.has(id)) seen.set(id, { hash: row.hash, entries });
    }
  }
}
