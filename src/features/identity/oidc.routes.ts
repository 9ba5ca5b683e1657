import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { cookieOptions, identifiedUser, SESSION_COOKIE } from '../../http/auth.js';
import { DomainError } from '../../http/errors.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { audit } from '../audit/audit.js';
import { openSession } from './identity.service.js';
import {
  FLOW_COOKIE,
  FLOW_COOKIE_PATH,
  FLOW_TTL_MS,
  findOrProvisionUser,
  isLocalPath,
  OIDC_DEFAULTS,
  OidcLogin,
  OidcLoginError,
  type OidcOptions,
  openFlow,
  sealFlow,
} from './oidc.js';
import { sameToken } from './tokens.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  502: ProblemSchema,
  503: ProblemSchema,
};

const ReturnTo = z
  .string()
  .max(500)
  .refine(isLocalPath, 'ammessi solo percorsi di questo sito (es. /servizi)')
  .describe('Percorso relativo a cui tornare dopo l’accesso');

const CallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

const TITLES: Record<number, string> = {
  400: 'Richiesta non valida',
  401: 'Autenticazione richiesta',
  403: 'Operazione non consentita',
  502: 'Errore del fornitore di identità',
  503: 'Servizio non disponibile',
};

/** Browsers are sent back to the login page; API clients that ask for JSON get problem+json. */
function wantsJson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /application\/(problem\+)?json/.test(accept) && !accept.includes('text/html');
}

/**
 * Login through an external OpenID Connect provider (SPID/CIE through a broker). Without
 * `deps.oidc` the routes still exist, answering 404, so that the route table is the same everywhere.
 */
export function oidcRoutes(app: FastifyInstance, deps: { db: Kysely<DB>; oidc?: OidcOptions }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const login = deps.oidc ? new OidcLogin(deps.oidc) : undefined;
  const issuer = deps.oidc?.issuer ?? null;

  const enabled = (): OidcLogin => {
    if (!login) throw new DomainError('NOT_FOUND', 'accesso esterno non configurato');
    return login;
  };

  const flowCookie = (req: FastifyRequest) => ({
    ...cookieOptions(req, Math.floor(FLOW_TTL_MS / 1000)),
    path: FLOW_COOKIE_PATH,
    // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
    sameSite: 'lax' as const,
  });

  async function refuse(req: FastifyRequest, reply: FastifyReply, err: OidcLoginError) {
    await audit(
      db,
      { kind: 'anonymous', ip: req.ip },
      {
        action: 'session.login',
        outcome: err.outcome,
        ...(err.username ? { username: err.username } : {}),
        detail: { method: 'oidc', issuer, reason: err.code, ...(err.reason ? { error: err.reason } : {}) },
      },
    );
    if (!wantsJson(req)) return reply.redirect(`/accesso?errore=${err.code}`, 302);
    return reply
      .status(err.status as 400)
      .type('application/problem+json')
      .send({
        type: `https://ambito.example/problems/${err.status}`,
        title: TITLES[err.status] ?? 'Errore',
        status: err.status,
        detail: err.message,
        instance: req.url.split('?')[0],
      });
  }

  r.get('/api/v1/auth/oidc', {
    schema: {
      tags: ['accesso'],
      summary: 'Disponibilità dell’accesso con identità digitale (SPID/CIE tramite OpenID Connect)',
      response: { 200: z.object({ enabled: z.boolean(), label: z.string() }) },
    },
    handler: async () => ({
      enabled: login !== undefined,
      label: login?.label ?? deps.oidc?.label ?? OIDC_DEFAULTS.label,
    }),
  });

  r.get('/api/v1/auth/oidc/login', {
    schema: {
      tags: ['accesso'],
      summary: 'Avvia l’accesso con identità digitale: reindirizza (302) al fornitore di identità',
      querystring: z.object({ returnTo: ReturnTo.optional() }),
      response: errors,
    },
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: async (req, reply) => {
      const provider = enabled();
      try {
        const { url, flow } = await provider.start(req.query.returnTo);
        reply.setCookie(FLOW_COOKIE, sealFlow(app.csrfSecret, flow), flowCookie(req));
        return reply.redirect(url.href, 302);
      } catch (error) {
        if (error instanceof OidcLoginError) return refuse(req, reply, error);
        throw error;
      }
    },
  });

  r.get('/api/v1/auth/oidc/callback', {
    schema: {
      tags: ['accesso'],
      summary:
        'Ritorno dal fornitore di identità: apre la sessione e reindirizza (302) alla pagina richiesta',
      querystring: CallbackQuery,
      response: errors,
    },
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: async (req, reply) => {
      const provider = enabled();
      // One use only: whatever happens next, this browser must start again for another attempt.
      const flow = openFlow(app.csrfSecret, req.cookies[FLOW_COOKIE]);
      reply.clearCookie(FLOW_COOKIE, flowCookie(req));
      try {
        // Checked here as well as by openid-client, so that a forged return never reaches the provider.
        if (!flow || !sameToken(req.query.state, flow.state))
          throw new OidcLoginError('stato_non_valido', 'state_mismatch');
        const claims = await provider.finish(req.raw.url?.split('?')[1] ?? '', flow);
        const user = await findOrProvisionUser(db, claims, req.ip);
        if (user.disabledAt) throw new OidcLoginError('account_disattivato', 'disabled', user.username);
        const session = await openSession(db, app.sessionPolicy, user, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          replacing: req.cookies[SESSION_COOKIE],
          method: 'oidc',
        });
        await audit(db, identifiedUser(user, req.ip), {
          action: 'session.login',
          detail: { method: 'oidc', issuer: claims.iss, created: user.created },
        });
        reply.setCookie(
          SESSION_COOKIE,
          session.token,
          cookieOptions(req, Math.floor(app.sessionPolicy.absoluteMs / 1000)),
        );
        return reply.redirect(flow.returnTo ?? '/', 302);
      } catch (error) {
        if (error instanceof OidcLoginError) return refuse(req, reply, error);
        throw error;
      }
    },
  });

  r.get('/api/v1/auth/oidc/logout-url', {
    schema: {
      tags: ['accesso'],
      summary:
        'Indirizzo di uscita presso il fornitore di identità, per le sessioni aperte con identità digitale (da chiedere prima di DELETE /api/v1/session)',
      response: { 200: z.object({ url: z.string().nullable() }), ...errors },
    },
    handler: async (req) => {
      const provider = enabled();
      if (req.actor.kind !== 'user') return { url: null };
      const session = await db
        .selectFrom('sessions')
        .select('auth_method')
        .where('token_hash', '=', req.actor.sessionHash)
        .executeTakeFirst();
      if (session?.auth_method !== 'oidc') return { url: null };
      try {
        return { url: await provider.logoutUrl() };
      } catch (error) {
        // The local session can end anyway; the provider's session is then left to expire.
        if (error instanceof OidcLoginError) return { url: null };
        throw error;
      }
    },
  });
}
