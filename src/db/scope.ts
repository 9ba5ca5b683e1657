import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from './types.js';

export type Tx = Transaction<DB>;

export interface TenantScope {
  ambitoId: string;
}

/**
 * Runs `fn` in one transaction inside the tenant session: the per-transaction setting
 * `app.ambito_id` is what the row-level security policies compare with, so a query that
 * forgets its WHERE clause still sees only this Ambito's rows. The setting ends with the
 * transaction and can never leak into the next user of the pooled connection.
 */
export function withTenant<T>(db: Kysely<DB>, scope: TenantScope, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('app.ambito_id', ${scope.ambitoId}, true)`.execute(trx);
    return fn(trx);
  });
}

/** A transaction outside any tenant: reference data and the list of Ambiti only; tenant tables read empty. */
export function withReference<T>(db: Kysely<DB>, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
