import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { cookieOptions, csrfTokenFor, SESSION_COOKIE } from '../../http/auth.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { unlockUser } from './account-lock.service.js';
import {
  AssignmentParams,
  CreateUserBody,
  GrantBody,
  LoginBody,
  LogoutQuery,
  RecoveryCodes,
  SessionView,
  TotpCode,
  TotpDisableBody,
  TotpSetupView,
  TotpStartBody,
  UserList,
  UserParams,
} from './identity.schemas.js';
import * as identity from './identity.service.js';
import * as users from './users.service.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
const NoSession = ProblemSchema.extend({ csrfToken: z.string() });

export function identityRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/session', {
    schema: {
      tags: ['accesso'],
      summary: 'Utente corrente, ruoli e token CSRF (401 con il token CSRF se nessuno ha fatto l’accesso)',
      response: { 200: SessionView, 401: NoSession },
    },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'user') {
        const csrfToken = csrfTokenFor(app, req, reply);
        return reply.status(401).type('application/problem+json').send({
          type: 'https://ambito.example/problems/401',
          title: 'Autenticazione richiesta',
          status: 401,
          detail: 'Nessuna sessione attiva',
          instance: '/api/v1/session',
          csrfToken,
        });
      }
      return identity.currentSession(db, req.actor);
    },
  });

  r.post('/api/v1/session', {
    schema: {
      tags: ['accesso'],
      summary: 'Accesso con nome utente e password (e codice TOTP se attivo)',
      body: LoginBody,
      response: { 200: SessionView, ...errors, 429: ProblemSchema },
    },
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: async (req, reply) => {
      const session = await identity.login(db, app.sessionPolicy, req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        replacing: req.cookies[SESSION_COOKIE],
      });
      reply.setCookie(
        SESSION_COOKIE,
        session.token,
        cookieOptions(req, Math.floor(app.sessionPolicy.absoluteMs / 1000)),
      );
      return session.view;
    },
  });

  r.delete('/api/v1/session', {
    schema: {
      tags: ['accesso'],
      summary: 'Uscita (everywhere=true termina tutte le sessioni dell’utente)',
      querystring: LogoutQuery,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await identity.logout(db, req.actor, req.query.everywhere === 'true');
      reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
      return reply.status(204).send(null);
    },
  });

  // Re-authentication guesses are counted on the account too; this bounds their rate as well.
  const reauthLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

  r.post('/api/v1/session/totp', {
    schema: {
      tags: ['accesso'],
      summary:
        'Avvia l’attivazione (o la sostituzione) del secondo fattore: password attuale, e un codice se è già attivo',
      body: TotpStartBody,
      response: { 200: TotpSetupView, ...errors, 429: ProblemSchema },
    },
    config: reauthLimit,
    handler: async (req) => identity.startTotp(db, req.actor, req.body),
  });

  r.post('/api/v1/session/totp/confirm', {
    schema: {
      tags: ['accesso'],
      summary: 'Conferma il secondo fattore e restituisce i codici di recupero',
      body: TotpCode,
      response: { 200: RecoveryCodes, ...errors },
    },
    handler: async (req) => identity.confirmTotp(db, req.actor, req.body.code),
  });

  r.delete('/api/v1/session/totp', {
    schema: {
      tags: ['accesso'],
      summary: 'Disattiva il secondo fattore: password attuale e un codice (o un codice di recupero)',
      body: TotpDisableBody,
      response: { 204: z.null(), ...errors, 429: ProblemSchema },
    },
    config: reauthLimit,
    handler: async (req, reply) => {
      await identity.disableTotp(db, req.actor, req.body);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/v1/users', {
    schema: {
      tags: ['utenti'],
      summary: 'Utenti e ruoli (amministrazione)',
      response: { 200: UserList, ...errors },
    },
    handler: async (req) => ({ items: await users.listUsers(db, req.actor) }),
  });

  r.post('/api/v1/users', {
    schema: {
      tags: ['utenti'],
      summary: 'Crea un utente',
      body: CreateUserBody,
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(await users.createUser(db, req.actor, req.body)),
  });

  r.post('/api/v1/users/:id/disable', {
    schema: {
      tags: ['utenti'],
      summary: 'Disattiva un utente e ne termina le sessioni',
      params: UserParams,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await users.disableUser(db, req.actor, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.post('/api/v1/users/:id/unlock', {
    schema: {
      tags: ['utenti'],
      summary: 'Sblocca un utente bloccato per troppi tentativi di accesso non riusciti',
      params: UserParams,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await unlockUser(db, req.actor, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.post('/api/v1/users/:id/roles', {
    schema: {
      tags: ['utenti'],
      summary: 'Assegna un ruolo',
      params: UserParams,
      body: GrantBody,
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await users.grantRole(db, req.actor, req.params.id, req.body)),
  });

  r.delete('/api/v1/users/:id/roles/:assignmentId', {
    schema: {
      tags: ['utenti'],
      summary: 'Revoca un ruolo',
      params: AssignmentParams,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await users.revokeRole(db, req.actor, req.params.id, req.params.assignmentId);
      return reply.status(204).send(null);
    },
  });
}
