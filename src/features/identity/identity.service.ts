import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as OTPAuth from 'otpauth';
import { withReference } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { type Actor, identifiedUser, type RoleAssignment, type SessionPolicy } from '../../http/auth.js';
import { DomainError, invalid } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import type { LoginBody, SessionView } from './identity.schemas.js';
import { verifyPassword } from './password.js';
import { clearFailures, giveBack, reserveAttempt, romeTime, THROTTLE } from './throttle.js';
import { randomToken, tokenHash } from './tokens.js';

export { THROTTLE };

const GENERIC = 'Nome utente o password non corretti';

export interface NewSession {
  token: string;
  view: SessionView;
}

function rolesOf(db: Kysely<DB>, userId: string): Promise<RoleAssignment[]> {
  return db
    .selectFrom('role_assignments')
    .select([
      'id',
      'role',
      'ambito_id as ambitoId',
      'comune_istat as comuneIstat',
      'organization_id as organizationId',
    ])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute() as Promise<RoleAssignment[]>;
}

/** Starts a session for a user who has proved who they are: a new token, never the presented one. */
export async function openSession(
  db: Kysely<DB>,
  policy: SessionPolicy,
  user: { id: string; username: string },
  ctx: { ip: string; userAgent?: string; replacing?: string; method: string },
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + policy.absoluteMs);
  await withReference(db, async (trx) => {
    // Session fixation: whatever session the client presented is ended, not upgraded.
    if (ctx.replacing)
      await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash(ctx.replacing)).execute();
    await trx
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: expiresAt,
        ip: ctx.ip,
        user_agent: ctx.userAgent?.slice(0, 300) ?? null,
        auth_method: ctx.method,
      })
      .execute();
  });
  return { token, view: await sessionView(db, user.id, csrfToken, expiresAt) };
}

export async function sessionView(
  db: Kysely<DB>,
  userId: string,
  csrfToken: string,
  expiresAt: Date,
): Promise<SessionView> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'totp_enabled_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      totpEnabled: user.totp_enabled_at !== null,
    },
    roles: await rolesOf(db, userId),
    csrfToken,
    expiresAt: expiresAt.toISOString(),
  };
}

export async function currentSession(db: Kysely<DB>, actor: Actor): Promise<SessionView> {
  if (actor.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Nessuna sessione attiva');
  const s = await db
    .selectFrom('sessions')
    .select('expires_at')
    .where('token_hash', '=', actor.sessionHash)
    .executeTakeFirstOrThrow();
  return sessionView(db, actor.id, actor.csrfToken, new Date(s.expires_at));
}

/** The answer to an attempt on a locked account name, known or not: the same words either way. */
function lockedError(until: Date): DomainError {
  return new DomainError(
    'UNAUTHENTICATED',
    `Account temporaneamente bloccato per troppi tentativi non riusciti: riprovare dopo le ${romeTime(until).replace(' ', ' alle ')} (ora italiana)`,
    [{ field: 'username', reason: `account temporaneamente bloccato fino al ${romeTime(until)}` }],
  );
}

/**
 * Password login with throttling per address and per account name, an optional second factor,
 * and one generic message for every failure that could reveal an account. Each attempt is
 * counted atomically before the password is checked (`reserveAttempt`), so a burst of parallel
 * guesses gets exactly the allowed number of checks. A locked account opens early only to its
 * right password with a valid second factor; an administrator can also unlock it.
 */
export async function login(
  db: Kysely<DB>,
  policy: SessionPolicy,
  input: LoginBody,
  ctx: { ip: string; userAgent?: string; replacing?: string },
): Promise<NewSession> {
  const anonymous: Actor = { kind: 'anonymous', ip: ctx.ip };
  const username = input.username.trim().toLowerCase();
  const address = await reserveAttempt(db, 'address', ctx.ip, THROTTLE.perIp);
  if (!address.admitted) {
    await audit(db, anonymous, {
      action: 'session.login',
      outcome: 'denied',
      username,
      detail: { reason: 'throttled' },
    });
    throw new DomainError(
      'TOO_MANY',
      `Troppi tentativi di accesso da questo indirizzo: riprovare dopo le ${romeTime(address.lockedUntil as Date).replace(' ', ' alle ')} (ora italiana)`,
    );
  }
  const account = await reserveAttempt(db, 'account', username, THROTTLE.perAccount);
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  // Checked in every case, locked or not, known or not: the time taken tells nothing.
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);

  const fail = async (reason: string, error: DomainError = new DomainError('UNAUTHENTICATED', GENERIC)) => {
    await withReference(db, async (trx) => {
      await trx.insertInto('login_attempts').values({ username, ip: ctx.ip, succeeded: false }).execute();
      await audit(trx, anonymous, {
        action: 'session.login',
        outcome: 'failed',
        username,
        detail: { reason },
      });
    });
    throw error;
  };

  let unlocked = false;
  if (!account.admitted) {
    const until = account.lockedUntil as Date;
    const opens =
      user &&
      passwordOk &&
      !user.disabled_at &&
      user.totp_enabled_at &&
      input.totp &&
      (await checkSecondFactor(db, user, input.totp));
    if (!opens) return fail('locked', lockedError(until));
    unlocked = true;
  } else {
    if (!user || !passwordOk) return fail(user ? 'bad_password' : 'unknown_user');
    if (user.disabled_at) return fail('disabled');
    if (user.totp_enabled_at) {
      if (!input.totp) {
        // The password was right: this attempt is not a failure, the one with the code decides.
        await giveBack(db, 'account', username);
        await giveBack(db, 'address', ctx.ip);
        throw new DomainError(
          'UNAUTHENTICATED',
          'Inserire il codice di verifica dell’app di autenticazione',
          [{ field: 'totp', reason: 'codice richiesto' }],
        );
      }
      if (!(await checkSecondFactor(db, user, input.totp)))
        return fail('bad_totp', new DomainError('UNAUTHENTICATED', 'Codice di verifica non valido'));
    }
  }

  await withReference(db, async (trx) => {
    await clearFailures(trx, username);
    await giveBack(trx, 'address', ctx.ip);
    await trx.insertInto('login_attempts').values({ username, ip: ctx.ip, succeeded: true }).execute();
    await audit(trx, identifiedUser(user, ctx.ip), {
      action: 'session.login',
      ...(unlocked ? { detail: { unlocked: true } } : {}),
    });
  });
  return openSession(db, policy, user, { ...ctx, method: 'password' });
}

export async function logout(db: Kysely<DB>, actor: Actor, everywhere: boolean): Promise<void> {
  if (actor.kind !== 'user') return;
  await withReference(db, async (trx) => {
    if (everywhere) await trx.deleteFrom('sessions').where('user_id', '=', actor.id).execute();
    else await trx.deleteFrom('sessions').where('token_hash', '=', actor.sessionHash).execute();
    await audit(trx, actor, { action: everywhere ? 'session.logout_everywhere' : 'session.logout' });
  });
}

// ---- Second factor (RFC 6238 TOTP) ------------------------------------------------------------

const totpFor = (username: string, secret: string) =>
  new OTPAuth.TOTP({
    issuer: 'Ambito',
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  });

async function checkSecondFactor(
  db: Kysely<DB>,
  user: { id: string; username: string; totp_secret: string | null; totp_last_step: number | null },
  code: string,
): Promise<boolean> {
  if (code.includes('-')) {
    const used = await db
      .updateTable('user_recovery_codes')
      .set({ used_at: new Date() })
      .where('user_id', '=', user.id)
      .where('code_hash', '=', tokenHash(code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(used.numUpdatedRows) === 1;
  }
  if (!user.totp_secret) return false;
  const step = validStep(user.username, user.totp_secret, code);
  if (step === null) return false;
  // A code is accepted once: replaying an observed code within its window fails, even in parallel.
  const taken = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

function requireStaff(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Accesso richiesto');
  if (!actor.roles.some((r) => r.role !== 'cittadino'))
    throw new DomainError('FORBIDDEN', 'Il secondo fattore è disponibile per il personale degli enti');
}

type StaffActor = Extract<Actor, { kind: 'user' }>;
type UserRow = Awaited<ReturnType<typeof loadUser>>;

const loadUser = (db: Kysely<DB>, id: string) =>
  db
    .withTables<{ users: { totp_pending_secret: string | null } }>()
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/**
 * Re-authentication before the second factor is changed or removed: the current password and,
 * when a second factor is active, one of its codes (or a recovery code). Counted on the account
 * like a login, so a stolen session cannot guess the password here; every refusal is audited.
 */
async function reauthenticate(
  db: Kysely<DB>,
  actor: StaffActor,
  action: string,
  input: { password: string; code?: string | undefined },
): Promise<UserRow> {
  const user = await loadUser(db, actor.id);
  const refuse = async (reason: string, error: DomainError): Promise<never> => {
    await audit(db, actor, {
      action,
      outcome: 'failed',
      resourceType: 'user',
      resourceId: actor.id,
      detail: { reason },
    });
    throw error;
  };
  if (!user.password_hash)
    return refuse(
      'no_password',
      invalid('password', 'l’account non ha una password: accedere con l’identità digitale'),
    );
  const account = await reserveAttempt(db, 'account', user.username, THROTTLE.perAccount);
  if (!account.admitted) {
    const until = romeTime(account.lockedUntil as Date);
    return refuse(
      'locked',
      new DomainError(
        'TOO_MANY',
        `Troppi tentativi non riusciti: riprovare dopo le ${until.replace(' ', ' alle ')}`,
        [{ field: 'password', reason: `troppi tentativi non riusciti, riprovare dopo il ${until}` }],
      ),
    );
  }
  if (!(await verifyPassword(user.password_hash, input.password)))
    return refuse('bad_password', invalid('password', 'password non corretta'));
  if (user.totp_enabled_at) {
    if (!input.code)
      return refuse(
        'code_missing',
        invalid('code', 'inserire un codice dell’app di autenticazione o un codice di recupero'),
      );
    if (!(await checkSecondFactor(db, user, input.code)))
      return refuse('bad_code', invalid('code', 'codice non valido'));
  }
  await clearFailures(db, user.username);
  return user;
}

/**
 * Starts setting up a second factor, or replacing the active one: a new secret kept pending. The
 * active secret stays in force, and is still asked at login, until the new one is confirmed.
 */
export async function startTotp(
  db: Kysely<DB>,
  actor: Actor,
  input: { password: string; code?: string | undefined },
) {
  requireStaff(actor);
  const user = await reauthenticate(db, actor, 'user.totp_setup', input);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await withReference(db, async (trx) => {
    await trx
      .withTables<{ users: { totp_pending_secret: string | null } }>()
      .updateTable('users')
      .set({ totp_pending_secret: secret, updated_at: new Date() })
      .where('id', '=', actor.id)
      .execute();
    await audit(trx, actor, {
      action: 'user.totp_setup',
      resourceType: 'user',
      resourceId: actor.id,
      detail: { replacing: user.totp_enabled_at !== null },
    });
  });
  return { secret, otpauthUri: totpFor(actor.username, secret).toString() };
}

/** The time step of a valid code of `secret`, or null. */
function validStep(username: string, secret: string, code: string): number | null {
  const delta = totpFor(username, secret).validate({ token: code, window: 1 });
  return delta === null ? null : Math.floor(Date.now() / 30_000) + delta;
}

/** Confirms the pending secret with one of its codes: it replaces the active one, with new recovery codes. */
export async function confirmTotp(db: Kysely<DB>, actor: Actor, code: string) {
  requireStaff(actor);
  const user = await loadUser(db, actor.id);
  const pending = user.totp_pending_secret;
  if (!pending) throw invalid('code', 'nessuna attivazione in corso');
  const step = validStep(user.username, pending, code);
  if (step === null) {
    await audit(db, actor, {
      action: 'user.totp_enabled',
      outcome: 'failed',
      resourceType: 'user',
      resourceId: actor.id,
      detail: { reason: 'bad_code' },
    });
    throw invalid('code', 'codice non valido');
  }
  const recoveryCodes = Array.from({ length: 10 }, () => {
    const raw = randomBytes(10).toString('hex').slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await withReference(db, async (trx) => {
    const swapped = await trx
      .withTables<{ users: { totp_pending_secret: string | null } }>()
      .updateTable('users')
      .set({
        totp_secret: pending,
        totp_pending_secret: null,
        totp_enabled_at: new Date(),
        // The code just used cannot be replayed at login.
        totp_last_step: step,
        updated_at: new Date(),
      })
      .where('id', '=', actor.id)
      // A setup started again meanwhile has another secret: this code does not confirm it.
      .where('totp_pending_secret', '=', pending)
      .executeTakeFirst();
    if (Number(swapped.numUpdatedRows) !== 1)
      throw invalid('code', 'attivazione sostituita da una più recente');
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', actor.id).execute();
    await trx
      .insertInto('user_recovery_codes')
      .values(recoveryCodes.map((c) => ({ user_id: actor.id, code_hash: tokenHash(c), used_at: null })))
      .execute();
    await audit(trx, actor, {
      action: 'user.totp_enabled',
      resourceType: 'user',
      resourceId: actor.id,
      detail: { replaced: user.totp_enabled_at !== null },
    });
  });
  return { recoveryCodes };
}

/** Removes the second factor: the current password and a current code or a recovery code. */
export async function disableTotp(db: Kysely<DB>, actor: Actor, input: { password: string; code: string }) {
  requireStaff(actor);
  const current = await loadUser(db, actor.id);
  if (!current.totp_enabled_at) throw invalid('code', 'il secondo fattore non è attivo');
  await reauthenticate(db, actor, 'user.totp_disabled', input);
  await withReference(db, async (trx) => {
    await trx
      .withTables<{ users: { totp_pending_secret: string | null } }>()
      .updateTable('users')
      .set({
        totp_secret: null,
        totp_pending_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        updated_at: new Date(),
      })
      .where('id', '=', actor.id)
      .execute();
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', actor.id).execute();
    await audit(trx, actor, { action: 'user.totp_disabled', resourceType: 'user', resourceId: actor.id });
  });
}
