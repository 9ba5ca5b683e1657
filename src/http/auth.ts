import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types.js';
import { anonymousCsrf, randomToken, sameToken, tokenHash } from '../features/identity/tokens.js';
import { DomainError } from './errors.js';

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

export type Actor =
  | { kind: 'anonymous'; ip?: string }
  | {
      kind: 'user';
      id: string;
      username: string;
      roles: RoleAssignment[];
      ip?: string;
      sessionHash: string;
      csrfToken: string;
    }
  /** The command line and the demo loader act as a named system user. */
  | { kind: 'system'; id: null; username: string; roles: RoleAssignment[]; ip?: string };

export const SESSION_COOKIE = 'ambito_session';
export const CSRF_COOKIE = 'ambito_csrf';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    csrfSecret: string;
    sessionPolicy: SessionPolicy;
    /** Production: the session cookie is Secure whatever the request says (ends in TLS at a proxy). */
    alwaysSecureCookies: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `request.protocol` follows X-Forwarded-Proto only when the proxy is trusted (TRUST_PROXY), so
 * behind a TLS proxy the cookie is Secure; in production it is Secure in any case.
 */
export function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: request.server.alwaysSecureCookies || request.protocol === 'https',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** The pre-session cookie that anonymous CSRF tokens are bound to; set when missing. */
export function ensureCsrfCookie(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomToken();
  reply.setCookie(CSRF_COOKIE, value, cookieOptions(request));
  request.cookies[CSRF_COOKIE] = value;
  return value;
}

/** The token a client must echo in X-CSRF-Token: the session's, or the pre-session one. */
export function csrfTokenFor(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): string {
  if (request.actor.kind === 'user') return request.actor.csrfToken;
  return anonymousCsrf(app.csrfSecret, ensureCsrfCookie(request, reply));
}

async function loadSecret(db: Kysely<DB>): Promise<string> {
  await sql`insert into app_secrets (name, value) values ('csrf', ${randomToken()}) on conflict (name) do nothing`.execute(
    db,
  );
  const row = await db
    .selectFrom('app_secrets')
    .select('value')
    .where('name', '=', 'csrf')
    .executeTakeFirstOrThrow();
  return row.value;
}

/**
 * Resolves `request.actor` from the server-side session named by the cookie (expired or idle
 * sessions are ended) and refuses state-changing requests whose X-CSRF-Token does not match.
 */
export async function registerAuth(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; sessionPolicy?: SessionPolicy; production?: boolean },
) {
  const { db } = deps;
  await app.register(cookie);
  app.decorate('csrfSecret', await loadSecret(db));
  app.decorate('sessionPolicy', deps.sessionPolicy ?? DEFAULT_SESSION_POLICY);
  app.decorate('alwaysSecureCookies', deps.production === true);
  app.decorateRequest('actor', null as never);

  app.addHook('onRequest', async (request, reply) => {
    request.actor = { kind: 'anonymous', ip: request.ip };
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const actor = await resolveSession(db, app.sessionPolicy, token, request.ip);
      if (actor) request.actor = actor;
      else reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    }
    // Every state-changing request, whatever its path looks like: the raw URL is not what the
    // router matched (`/%61pi/v1/...` is routed to `/api/v1/...`), so no path test decides here.
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const sent = Array.isArray(header) ? header[0] : header;
      const expected =
        request.actor.kind === 'user'
          ? request.actor.csrfToken
          : request.cookies[CSRF_COOKIE]
            ? anonymousCsrf(app.csrfSecret, request.cookies[CSRF_COOKIE] as string)
            : undefined;
      if (!sameToken(sent, expected))
        throw new DomainError(
          'FORBIDDEN',
          'Token CSRF mancante o non valido: ricaricare la pagina e riprovare',
          [{ field: 'X-CSRF-Token', reason: 'mancante o non valido' }],
        );
    }
  });
}

interface RoleRow {
  id: string;
  role: string;
  ambito_id: string | null;
  comune_istat: string | null;
  organization_id: string | null;
}

async function resolveSession(
  db: Kysely<DB>,
  policy: SessionPolicy,
  token: string,
  ip: string,
): Promise<Actor | null> {
  const hash = tokenHash(token);
  // One round trip: the session, its user and the user's roles (every API request pays it).
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.token_hash',
      's.csrf_token',
      's.last_seen_at',
      's.expires_at',
      'u.id',
      'u.username',
      'u.disabled_at',
      (eb) =>
        eb
          .selectFrom('role_assignments as r')
          .select(
            sql<RoleRow[]>`coalesce(json_agg(json_build_object('id', r.id, 'role', r.role,
              'ambito_id', r.ambito_id, 'comune_istat', r.comune_istat, 'organization_id', r.organization_id)), '[]')`.as(
              'roles',
            ),
          )
          .whereRef('r.user_id', '=', 'u.id')
          .as('roles'),
    ])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const idle = now - new Date(row.last_seen_at).getTime() > policy.idleMs;
  if (idle || new Date(row.expires_at).getTime() <= now || row.disabled_at) {
    await db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
    return null;
  }
  // Touch at most every few seconds (well within the idle timeout): no write on every request.
  if (now - new Date(row.last_seen_at).getTime() > Math.min(5_000, policy.idleMs / 4))
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date() })
      .where('token_hash', '=', hash)
      .execute();
  const roles = row.roles ?? [];
  return {
    kind: 'user',
    id: row.id,
    username: row.username,
    ip,
    sessionHash: hash,
    csrfToken: row.csrf_token,
    roles: roles.map((r) => ({
      id: r.id,
      role: r.role as Role,
      ambitoId: r.ambito_id,
      comuneIstat: r.comune_istat,
      organizationId: r.organization_id,
    })),
  };
}

/** The actor of the command line and of the demo loader: a platform administrator by name. */
export function systemActor(name: string): Extract<Actor, { kind: 'system' }> {
  return {
    kind: 'system',
    id: null,
    username: `system:${name}`,
    roles: [
      {
        id: '00000000-0000-0000-0000-000000000000',
        role: 'admin',
        ambitoId: null,
        comuneIstat: null,
        organizationId: null,
      },
    ],
  };
}

/**
 * A user who has just proved who they are and has no session yet (login, first OIDC sign-in):
 * what the audit log records them as.
 */
export function identifiedUser(user: { id: string; username: string }, ip: string): Actor {
  return {
    kind: 'user',
    id: user.id,
    username: user.username,
    roles: [],
    ip,
    sessionHash: '',
    csrfToken: '',
  };
}

/** The command line or the demo loader acting as the Ufficio di Piano of one Ambito. */
export function officeActor(name: string, ambitoId: string): Actor {
  const base = systemActor(name);
  const office: RoleAssignment = {
    id: '00000000-0000-0000-0000-000000000001',
    role: 'ufficio_di_piano',
    ambitoId,
    comuneIstat: null,
    organizationId: null,
  };
  return { ...base, roles: [...base.roles, office] };
}
