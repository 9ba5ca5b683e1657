import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { assertCan } from '../../http/policy.js';
import { registerHash } from './hashes.js';

export interface RegisterCheck {
  entries: number;
  firstBroken: { seq: number; protocol: string; reason: string } | null;
}

/**
 * Recomputes the protocol register of an Ambito from its first entry: a removed, inserted or
 * altered entry breaks the chain at that point, and the check names it.
 */
export function verifyRegister(db: Kysely<DB>, actor: Actor, ambitoId: string): Promise<RegisterCheck> {
  assertCan(actor, 'applications:read', { ambitoId, resourceType: 'protocol_register' });
  return withTenant(db, { ambitoId }, async (trx) => {
    let prev = '0'.repeat(64);
    let expectedSeq = 1;
    let entries = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('protocol_register')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(5000)
        .execute();
      if (rows.length === 0) return { entries, firstBroken: null };
      for (const r of rows) {
        const broken = (reason: string) => ({
          entries,
          firstBroken: { seq: Number(r.seq), protocol: r.protocol, reason },
        });
        if (Number(r.seq) !== expectedSeq) return broken('voce mancante prima di questa');
        if (r.prev_hash !== prev) return broken('collegamento con la voce precedente alterato');
        const hash = registerHash({
          prevHash: r.prev_hash,
          seq: Number(r.seq),
          protocol: r.protocol,
          receivedAt: r.received_at.toISOString(),
          dataHash: r.data_hash,
          applicationId: r.application_id,
        });
        if (hash !== r.hash) return broken('contenuto della voce alterato');
        prev = r.hash;
        expectedSeq++;
        entries++;
      }
    }
  });
}
