import { createHmac, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import * as client from 'openid-client';
import { withReference } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { identifiedUser } from '../../http/auth.js';
import { audit } from '../audit/audit.js';
import { sameToken } from './tokens.js';

/** External login through an OpenID Connect provider: in practice a SPID/CIE broker. */
export interface OidcOptions {
  issuer: string;
  clientId: string;
  /** Absent for a public client, which then relies on PKCE alone. */
  clientSecret?: string;
  /** Must be registered at the provider exactly as written, e.g. http://localhost:3000/api/v1/auth/oidc/callback. */
  redirectUri: string;
  scopes?: string;
  label?: string;
}

export const OIDC_DEFAULTS = { scopes: 'openid profile email', label: 'SPID / CIE' } as const;
export const FLOW_COOKIE = 'ambito_oidc';
export const FLOW_COOKIE_PATH = '/api/v1/auth/oidc';
/** How long a browser may stay at the provider between the start of a login and its return. */
export const FLOW_TTL_MS = 10 * 60_000;

export type OidcErrorCode =
  | 'stato_non_valido'
  | 'annullato'
  | 'fornitore'
  | 'non_disponibile'
  | 'account_disattivato'
  | 'account_personale';

type Outcome = 'failed' | 'denied';
const MESSAGES: Record<OidcErrorCode, [status: number, outcome: Outcome, message: string]> = {
  stato_non_valido: [
    400,
    'failed',
    'La richiesta di accesso è scaduta o non è valida: riprovare dall’inizio',
  ],
  annullato: [401, 'failed', 'Accesso annullato presso il fornitore di identità'],
  fornitore: [502, 'failed', 'Il fornitore di identità ha risposto in modo non valido: riprovare più tardi'],
  non_disponibile: [
    503,
    'failed',
    'Il fornitore di identità non è raggiungibile: riprovare tra qualche minuto',
  ],
  account_disattivato: [
    403,
    'denied',
    'L’account è disattivato: rivolgersi all’amministratore della piattaforma',
  ],
  account_personale: [
    403,
    'denied',
    'Esiste già un account del personale con questo indirizzo e-mail: l’identità digitale deve essere ' +
      'collegata da un amministratore della piattaforma',
  ],
};

/** A refused external login: becomes a redirect to the login page or a problem+json. */
export class OidcLoginError extends Error {
  readonly status: number;
  readonly outcome: Outcome;

  constructor(
    readonly code: OidcErrorCode,
    /** A technical reason for the audit log (an OAuth error code), never personal data. */
    readonly reason?: string,
    /** The account concerned, when known, for the audit entry. */
    readonly username?: string,
  ) {
    const [status, outcome, message] = MESSAGES[code];
    super(message);
    this.status = status;
    this.outcome = outcome;
  }
}

/** What the browser carries between /login and /callback: signed, so it cannot be forged. */
export interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo?: string;
  exp: number;
}

const flowMac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`oidc-flow:${payload}`).digest('base64url');

export function sealFlow(secret: string, flow: Flow): string {
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${flowMac(secret, payload)}`;
}

export function openFlow(secret: string, sealed: string | undefined): Flow | null {
  const [payload, mac, extra] = sealed?.split('.') ?? [];
  if (!payload || !mac || extra !== undefined || !sameToken(mac, flowMac(secret, payload))) return null;
  try {
    const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
    return typeof flow.exp === 'number' && flow.exp > Date.now() ? flow : null;
  } catch {
    return null;
  }
}

/** Only a path of this site: `//evil.example` and `/\evil.example` are other hosts to a browser. */
export function isLocalPath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return false;
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  return new URL(path, 'http://ambito.invalid').origin === 'http://ambito.invalid';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The relying party of one provider: discovery on first use, so a provider down at start-up delays nobody. */
export class OidcLogin {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(readonly opts: OidcOptions) {
    const issuer = new URL(opts.issuer);
    // Plain http would carry the client secret and the tokens in clear: only for a provider on this machine.
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname)))
      throw new Error('OIDC_ISSUER deve usare https (http è ammesso solo per localhost)');
  }

  get label(): string {
    return this.opts.label ?? OIDC_DEFAULTS.label;
  }

  /** The provider's metadata; a failed discovery is retried on the next login rather than cached. */
  config(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.opts.issuer),
        this.opts.clientId,
        this.opts.clientSecret,
        // client_secret_basic is the default method of OpenID Connect client registration.
        this.opts.clientSecret ? client.ClientSecretBasic(this.opts.clientSecret) : client.None(),
        {
          timeout: 10,
          execute: new URL(this.opts.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
        },
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new OidcLoginError('non_disponibile', errorName(error));
      });
    return this.configuration;
  }

  /** The provider's authorization URL, with PKCE (S256), state and nonce, and the flow to remember. */
  async start(returnTo: string | undefined): Promise<{ url: URL; flow: Flow }> {
    const config = await this.config();
    const flow: Flow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      ...(returnTo ? { returnTo } : {}),
      exp: Date.now() + FLOW_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.opts.redirectUri,
      scope: this.opts.scopes ?? OIDC_DEFAULTS.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flow };
  }

  /** Exchanges the code and returns the verified identity: ID token claims completed by userinfo. */
  async finish(query: string, flow: Flow): Promise<client.IDToken & Record<string, unknown>> {
    const config = await this.config();
    // The configured redirect URI, not the Host header: it is what the provider compares.
    const current = new URL(this.opts.redirectUri);
    current.search = query;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const id = tokens.claims();
      if (!id) throw new OidcLoginError('fornitore', 'missing_id_token');
      // Brokers often put names and e-mail in userinfo only; its subject must be the ID token's.
      const info = config.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(config, tokens.access_token, id.sub)
        : {};
      return { ...id, ...info, iss: id.iss, sub: id.sub };
    } catch (error) {
      throw toLoginError(error);
    }
  }

  /** RP-initiated logout at the provider, back to this site's home page; null when unsupported. */
  async logoutUrl(): Promise<string | null> {
    const config = await this.config();
    if (!config.serverMetadata().end_session_endpoint) return null;
    const home = `${new URL(this.opts.redirectUri).origin}/`;
    // No id_token_hint: ID tokens are not kept after login; client_id names the registered post-logout URI.
    return client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: home,
      client_id: this.opts.clientId,
    }).href;
  }
}

const errorName = (error: unknown) =>
  error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'unknown';

function toLoginError(error: unknown): OidcLoginError {
  if (error instanceof OidcLoginError) return error;
  if (error instanceof client.AuthorizationResponseError)
    return new OidcLoginError(error.error === 'access_denied' ? 'annullato' : 'fornitore', error.error);
  if (error instanceof client.ResponseBodyError) return new OidcLoginError('fornitore', error.error);
  if (error instanceof client.ClientError) return new OidcLoginError('fornitore', error.code);
  // fetch failures and timeouts: the provider could not be reached.
  return new OidcLoginError('non_disponibile', errorName(error));
}

// ---- Users ------------------------------------------------------------------------------------

interface LinkedUser {
  id: string;
  username: string;
  disabledAt: Date | null;
  created: boolean;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * The codice fiscale SPID and CIE assert (`fiscalNumber` as "TINIT-<code>", or `fiscal_number`),
 * when it has the codice fiscale's shape; it makes the person's applications theirs (issue 16).
 */
export function codiceFiscaleClaim(claims: Record<string, unknown>): string | null {
  const raw = text(claims.fiscalNumber) ?? text(claims.fiscal_number) ?? text(claims.codice_fiscale);
  const cf = raw?.toUpperCase().replace(/^TINIT-/, '');
  return cf && /^[A-Z0-9]{16}$/.test(cf) ? cf : null;
}

/** A username the database accepts (`^[a-z0-9._@-]{3,64}$`) from the friendliest claim available. */
export function usernameBase(claims: Record<string, unknown>): string {
  const email = text(claims.email);
  const raw = text(claims.preferred_username) ?? email?.split('@')[0] ?? text(claims.sub) ?? 'cittadino';
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 48);
  return slug.length >= 3 ? slug : `cittadino-${slug || 'spid'}`;
}

function displayName(claims: Record<string, unknown>): string {
  const full =
    text(claims.name) ?? [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  return (full || text(claims.preferred_username) || 'Cittadino').slice(0, 200);
}

/**
 * The user linked to (issuer, subject), or a new `cittadino` linked to it: citizens register
 * themselves through SPID/CIE. Staff accounts are never linked automatically, even by a verified
 * e-mail: a staff login must not be obtainable by whoever controls an identity with that address.
 */
export async function findOrProvisionUser(
  db: Kysely<DB>,
  claims: client.IDToken & Record<string, unknown>,
  ip: string,
): Promise<LinkedUser> {
  return withReference(db, async (trx) => {
    const linked = await trx
      .selectFrom('user_identities as i')
      .innerJoin('users as u', 'u.id', 'i.user_id')
      .select(['u.id', 'u.username', 'u.disabled_at'])
      .where('i.issuer', '=', claims.iss)
      .where('i.subject', '=', claims.sub)
      .executeTakeFirst();
    if (linked)
      return { id: linked.id, username: linked.username, disabledAt: linked.disabled_at, created: false };

    const verified = claims.email_verified === true || claims.email_verified === 'true';
    const email = verified ? text(claims.email)?.toLowerCase() : undefined;
    if (email) {
      const staff = await trx
        .selectFrom('users as u')
        .innerJoin('role_assignments as r', 'r.user_id', 'u.id')
        .select('u.id')
        .where(sql<string>`lower(u.email)`, '=', email)
        .where('r.role', '!=', 'cittadino')
        .executeTakeFirst();
      if (staff) throw new OidcLoginError('account_personale', 'staff_email_match');
    }

    const base = usernameBase(claims);
    const candidates = [base, ...Array.from({ length: 8 }, (_, i) => `${base}-${i + 2}`)];
    const taken = new Set(
      (await trx.selectFrom('users').select('username').where('username', 'in', candidates).execute()).map(
        (u) => u.username,
      ),
    );
    const username = candidates.find((c) => !taken.has(c)) ?? `${base}-${randomBytes(4).toString('hex')}`;
    const { id } = await trx
      .insertInto('users')
      .values({
        username,
        display_name: displayName(claims),
        email: email ?? null,
        password_hash: null,
        codice_fiscale: codiceFiscaleClaim(claims),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('role_assignments').values({ user_id: id, role: 'cittadino' }).execute();
    await trx
      .insertInto('user_identities')
      .values({ issuer: claims.iss, subject: claims.sub, user_id: id })
      .execute();
    await audit(trx, identifiedUser({ id, username }, ip), {
      action: 'user.create',
      resourceType: 'user',
      resourceId: id,
      detail: { roles: ['cittadino'], method: 'oidc', issuer: claims.iss },
    });
    return { id, username, disabledAt: null, created: true };
  });
}
