import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/types.js';

export const THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failed attempts from one address within the window; the next one waits `lockMs`. */
  perIp: 20,
  /** Failed attempts on one account name within the window; the next one waits `lockMs`. */
  perAccount: 5,
  /** How long a lock lasts: set once when the threshold is passed, never extended by attempts during it. */
  lockMs: 15 * 60_000,
};

export type ThrottleScope = 'address' | 'account';

export interface LoginThrottleTable {
  scope: ThrottleScope;
  subject: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

/** The throttle table as Kysely sees it, next to the shared table types. */
export const withThrottle = (db: Kysely<DB>) => db.withTables<{ login_throttle: LoginThrottleTable }>();

export interface Admission {
  admitted: boolean;
  /** When refused: the end of the lock. */
  lockedUntil: Date | null;
}

/**
 * Counts one attempt for `subject` before its password is checked, and answers from the same
 * statement whether it may be checked at all. One upsert, which row-locks the counter: of a
 * burst of concurrent attempts exactly `limit` are checked, the next one sets the lock, the rest
 * are refused. During a lock nothing changes, so the lock ends when it was first set to end;
 * after it, or after a quiet window, counting starts again.
 */
export async function reserveAttempt(
  db: Kysely<DB>,
  scope: ThrottleScope,
  subject: string,
  limit: number,
): Promise<Admission> {
  const window = sql`(${THROTTLE.windowMs}::double precision * interval '1 millisecond')`;
  const lock = sql`(${THROTTLE.lockMs}::double precision * interval '1 millisecond')`;
  const locked = sql`t.locked_until > now()`;
  const fresh = sql`(t.locked_until is not null or t.window_started_at <= now() - ${window})`;
  const { rows } = await sql<{ failures: number; locked_until: Date | string | null }>`
    insert into login_throttle as t (scope, subject, failures, window_started_at, locked_until)
    values (${scope}, ${subject}, 1, now(), null)
    on conflict (scope, subject) do update set
      failures = case when ${locked} then t.failures when ${fresh} then 1 else t.failures + 1 end,
      window_started_at = case when ${locked} then t.window_started_at when ${fresh} then now()
        else t.window_started_at end,
      locked_until = case when ${locked} then t.locked_until
        when ${fresh} then null
        when t.failures + 1 > ${limit} then now() + ${lock}
        else null end
    returning failures, locked_until`.execute(db);
  const row = rows[0];
  const lockedUntil = row?.locked_until ? new Date(row.locked_until) : null;
  return lockedUntil ? { admitted: false, lockedUntil } : { admitted: true, lockedUntil: null };
}

/** Clears an account's count: its user has just proved who they are. */
export async function clearFailures(db: Kysely<DB>, username: string): Promise<void> {
  await withThrottle(db)
    .deleteFrom('login_throttle')
    .where('scope', '=', 'account')
    .where('subject', '=', username)
    .execute();
}

/**
 * Gives back one counted attempt: an address's good login (only that one, so a client cannot
 * wash its failures away with its own account), or a password that was right while the second
 * factor is still to come.
 */
export async function giveBack(db: Kysely<DB>, scope: ThrottleScope, subject: string): Promise<void> {
  await withThrottle(db)
    .updateTable('login_throttle')
    .set({ failures: sql`greatest(failures - 1, 0)` })
    .where('scope', '=', scope)
    .where('subject', '=', subject)
    .where('locked_until', 'is', null)
    .execute();
}

/** Ends an account's lock (an administrator's unlock); true when it was locked. */
export async function clearAccount(db: Kysely<DB>, username: string): Promise<boolean> {
  const removed = await withThrottle(db)
    .deleteFrom('login_throttle')
    .where('scope', '=', 'account')
    .where('subject', '=', username)
    .returning('locked_until')
    .executeTakeFirst();
  return !!removed?.locked_until && new Date(removed.locked_until).getTime() > Date.now();
}

const ROME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "07/12/2026 18:05", Italian time, rounded up to the minute so it is never before the lock ends. */
export function romeTime(at: Date): string {
  const up = new Date(Math.ceil(at.getTime() / 60_000) * 60_000);
  const parts = Object.fromEntries(ROME.formatToParts(up).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}
