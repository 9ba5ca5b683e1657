import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from './db/types.js';
import { auditRoutes } from './features/audit/audit.routes.js';
import { callRoutes } from './features/calls/calls.routes.js';
import { paymentListRoutes } from './features/calls/payment-lists.routes.js';
import { reviewRoutes } from './features/calls/review.routes.js';
import { financeRoutes } from './features/finance/finance.routes.js';
import { financeReportRoutes } from './features/finance/finance-reports.routes.js';
import { healthRoutes } from './features/health/health.routes.js';
import { identityRoutes } from './features/identity/identity.routes.js';
import type { OidcOptions } from './features/identity/oidc.js';
import { oidcRoutes } from './features/identity/oidc.routes.js';
import { roleGrantRoutes } from './features/identity/role-grants.routes.js';
import { planRoutes } from './features/plan/plan.routes.js';
import { taxonomyRoutes } from './features/plan/taxonomy.js';
import { territoryRoutes } from './features/territory/territory.routes.js';
import { registerAuth, type SessionPolicy } from './http/auth.js';
import { registerErrorHandler } from './http/errors.js';
import { registerInputGuard } from './http/input-guard.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = path.join(ROOT, 'web', 'dist');
export const VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export interface AppDeps {
  db: Kysely<DB>;
  logLevel?: string;
  sessionPolicy?: SessionPolicy;
  /** Requests per minute per client address; the click-day and tests raise it. */
  rateLimitPerMinute?: number;
  /** External login through OpenID Connect (SPID/CIE through a broker); absent: disabled. */
  oidc?: OidcOptions;
  /**
   * Which proxies to believe for the client address and protocol (X-Forwarded-For/-Proto):
   * false (default), true, a hop count, or addresses/CIDRs. See TRUST_PROXY in config.ts.
   */
  trustProxy?: boolean | number | string[];
  /** Production mode: the session cookie is always Secure. */
  production?: boolean;
}

/** Builds the whole application without listening, so tests drive it through `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const tp = deps.trustProxy ?? false;
  const app = Fastify({
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel } : false,
    bodyLimit: 1024 * 1024,
    // A hop count trusts the N nearest peers whoever they are (Fastify itself refuses a bare
    // number): meant for a server that only its proxy can reach, as the README says.
    trustProxy: typeof tp === 'number' ? (_address: string, hop: number) => hop < tp : tp,
    // Route parameters are validated by their schemas; an over-long URL is refused early.
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Signed acts are uploaded as raw PDF bodies; the route checks what they contain.
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  registerErrorHandler(app, deps.db);
  registerInputGuard(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Served over plain HTTP on a LAN too: TLS, where present, is the proxy's job.
        upgradeInsecureRequests: null,
      },
    },
    // Sent by the onSend hook below, only over HTTPS as the client sees it.
    hsts: false,
  });
  await app.register(rateLimit, { max: deps.rateLimitPerMinute ?? 1200, timeWindow: '1 minute' });
  await registerAuth(app, deps);
  app.addHook('onSend', async (request, reply) => {
    // Answers may carry personal data: never stored by a browser or a shared cache, unless the
    // route said otherwise (static files set their own). Not decided on the raw URL, which the
    // router decodes (`/%61pi/v1/users` is `/api/v1/users`).
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    // HTTPS as seen by the client: behind a trusted TLS proxy, its X-Forwarded-Proto.
    if (request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ambito — API del Piano di Zona',
        version: VERSION,
        description:
          'API della piattaforma per il Piano di Zona degli Ambiti territoriali. Errori in formato RFC 9457.',
        license: { name: 'EUPL-1.2', url: 'https://interoperable-europe.ec.europa.eu/collection/eupl' },
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ambito_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  healthRoutes(app, deps);
  identityRoutes(app, deps);
  roleGrantRoutes(app, deps);
  oidcRoutes(app, deps);
  territoryRoutes(app, deps);
  auditRoutes(app, deps);
  planRoutes(app, deps);
  financeRoutes(app, deps);
  financeReportRoutes(app, deps);
  callRoutes(app, deps);
  reviewRoutes(app, deps);
  paymentListRoutes(app, deps);
  taxonomyRoutes(app, deps);

  await registerWeb(app);
  return app;
}

/** Serves the built web UI, with the single-page fallback for client-side routes. */
async function registerWeb(app: FastifyInstance): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || path.extname(url)) {
      return reply.callNotFound();
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
