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
}

/** Builds the whole application without listening, so tests drive it through `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
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
    hsts: false,
  });
  await app.register(rateLimit, { max: deps.rateLimitPerMinute ?? 1200, timeWindow: '1 minute' });
  await registerAuth(app, deps);
  app.addHook('onSend', async (request, reply) => {
    // API answers may carry personal data: never stored by a browser or a shared cache.
    if (request.url.startsWith('/api/v1/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
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
