import type { Kysely } from 'kysely';
import { withReference } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { clearAccount } from './throttle.js';

/** An administrator ends an account's lock (and its count of failures) at once; audited. */
export async function unlockUser(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'users:manage');
  await withReference(db, async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!user) throw notFound('Utente');
    const wasLocked = await clearAccount(trx, user.username);
    await audit(trx, actor, {
      action: 'user.unlock',
      resourceType: 'user',
      resourceId: id,
      detail: { wasLocked },
    });
  });
}
