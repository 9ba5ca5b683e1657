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
import { randomToken, tokenHash } from './tokens.js';

export const THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failed attempts from one address within the window before it must wait. */
  perIp: 20,
  /** Consecutive failures before an account is locked for `lockMs`. */
  perAccount: 5,
  lockMs: 15 * 60_000,
};

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

/**
 * Password login with throttling per address, temporary lockout per account, an optional
 * second factor, and one generic message for every failure that could reveal an account.
 */
export async function login(
  db: Kysely<DB>,
  policy: SessionPolicy,
  input: LoginBody,
  ctx: { ip: string; userAgent?: string; replacing?: string },
): Promise<NewSession> {
  const anonymous: Actor = { kind: 'anonymous', ip: ctx.ip };
  const username = input.username.trim().toLowerCase();
  const since = new Date(Date.now() - THROTTLE.windowMs);
  const recent = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip', '=', ctx.ip)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= THROTTLE.perIp) {
    await audit(db, anonymous, {
      action: 'session.login',
      outcome: 'denied',
      username,
      detail: { reason: 'throttled' },
    });
    throw new DomainError(
      'TOO_MANY',
      'Troppi tentativi di accesso da questo indirizzo: riprovare tra qualche minuto',
    );
  }

  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const fail = async (reason: string, message = GENERIC) => {
    await withReference(db, async (trx) => {
      await trx.insertInto('login_attempts').values({ username, ip: ctx.ip, succeeded: false }).execute();
      if (user && reason !== 'locked') {
        const failures = user.failed_logins + 1;
        await trx
          .updateTable('users')
          .set({
            failed_logins: failures,
            locked_until:
              failures >= THROTTLE.perAccount ? new Date(Date.now() + THROTTLE.lockMs) : user.locked_until,
          })
          .where('id', '=', user.id)
          .execute();
      }
      await audit(trx, anonymous, {
        action: 'session.login',
        outcome: 'failed',
        username,
        detail: { reason },
      });
    });
    throw new DomainError('UNAUTHENTICATED', message);
  };

  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk) return fail(user ? 'bad_password' : 'unknown_user');
  if (user.disabled_at) return fail('disabled');
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) return fail('locked');
  if (user.totp_enabled_at) {
    if (!input.totp) {
      throw new DomainError('UNAUTHENTICATED', 'Inserire il codice di verifica dell’app di autenticazione', [
        { field: 'totp', reason: 'codice richiesto' },
      ]);
    }
    if (!(await checkSecondFactor(db, user, input.totp)))
      return fail('bad_totp', 'Codice di verifica non valido');
  }

  await withReference(db, async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await trx.insertInto('login_attempts').values({ username, ip: ctx.ip, succeeded: true }).execute();
    await audit(trx, identifiedUser(user, ctx.ip), { action: 'session.login' });
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
  const delta = totpFor(user.username, user.totp_secret).validate({ token: code, window: 1 });
  if (delta === null) return false;
  // A code is accepted once: replaying an observed code within its window fails.
  const step = Math.floor(Date.now() / 30_000) + delta;
  if (user.totp_last_step !== null && step <= user.totp_last_step) return false;
  await db.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
  return true;
}

function requireStaff(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Accesso richiesto');
  if (!actor.roles.some((r) => r.role !== 'cittadino'))
    throw new DomainError('FORBIDDEN', 'Il secondo fattore è disponibile per il personale degli enti');
}

export async function startTotp(db: Kysely<DB>, actor: Actor) {
  requireStaff(actor);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await db
    .updateTable('users')
    .set({ totp_secret: secret, totp_enabled_at: null })
    .where('id', '=', actor.id)
    .execute();
  return { secret, otpauthUri: totpFor(actor.username, secret).toString() };
}

export async function confirmTotp(db: Kysely<DB>, actor: Actor, code: string) {
  requireStaff(actor);
  const user = await db.selectFrom('users').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow();
  if (!user.totp_secret || user.totp_enabled_at) throw invalid('code', 'nessuna attivazione in corso');
  if (!(await checkSecondFactor(db, user, code))) throw invalid('code', 'codice non valido');
  const recoveryCodes = Array.from({ length: 10 }, () => {
    const raw = randomBytes(10).toString('hex').slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await withReference(db, async (trx) => {
    await trx.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', '=', actor.id).execute();
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', actor.id).execute();
    await trx
      .insertInto('user_recovery_codes')
      .values(recoveryCodes.map((c) => ({ user_id: actor.id, code_hash: tokenHash(c), used_at: null })))
      .execute();
    await audit(trx, actor, { action: 'user.totp_enabled', resourceType: 'user', resourceId: actor.id });
  });
  return { recoveryCodes };
}

export async function disableTotp(db: Kysely<DB>, actor: Actor, code: string) {
  requireStaff(actor);
  const user = await db.selectFrom('users').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow();
  if (!user.totp_enabled_at) throw invalid('code', 'il secondo fattore non è attivo');
  if (!(await checkSecondFactor(db, user, code))) throw invalid('code', 'codice non valido');
  await withReference(db, async (trx) => {
    await trx
      .updateTable('users')
      .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
      .where('id', '=', actor.id)
      .execute();
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', actor.id).execute();
    await audit(trx, actor, { action: 'user.totp_disabled', resourceType: 'user', resourceId: actor.id });
  });
}
