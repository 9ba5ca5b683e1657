import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import {
  AmbitoDetail,
  AmbitoDetailQuery,
  AmbitoList,
  AmbitoParams,
  ComuneList,
  ComuneSearchQuery,
  CreateAmbitoBody,
  EndMembershipBody,
  MembershipInput,
  MembershipParams,
  UpdateAmbitoBody,
} from './territory.schemas.js';
import * as service from './territory.service.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
const security = [{ session: [] }];

export function territoryRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/ambiti', {
    schema: {
      tags: ['territorio'],
      summary: 'Elenco degli Ambiti territoriali',
      response: { 200: AmbitoList },
    },
    handler: async () => ({ items: await service.listAmbiti(db) }),
  });

  r.get('/api/v1/ambiti/:id', {
    schema: {
      tags: ['territorio'],
      summary: 'Un Ambito con i suoi Comuni e i totali di popolazione',
      params: AmbitoParams,
      querystring: AmbitoDetailQuery,
      response: { 200: AmbitoDetail, ...errors },
    },
    handler: async (req) => service.getAmbitoDetail(db, req.params.id, req.query.date),
  });

  r.post('/api/v1/ambiti', {
    schema: {
      tags: ['territorio'],
      summary: 'Crea un Ambito con i suoi Comuni',
      security,
      body: CreateAmbitoBody,
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await service.createAmbito(db, req.actor, req.body)),
  });

  r.patch('/api/v1/ambiti/:id', {
    schema: {
      tags: ['territorio'],
      summary: 'Modifica nome, capofila, ATS, ASST o distretto',
      security,
      params: AmbitoParams,
      body: UpdateAmbitoBody,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await service.updateAmbito(db, req.actor, req.params.id, req.body);
      return reply.status(204).send(null);
    },
  });

  r.post('/api/v1/ambiti/:id/comuni', {
    schema: {
      tags: ['territorio'],
      summary: 'Aggiunge un Comune all’Ambito da una data',
      security,
      params: AmbitoParams,
      body: MembershipInput,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await service.addMembership(db, req.actor, req.params.id, req.body);
      return reply.status(204).send(null);
    },
  });

  r.post('/api/v1/ambiti/:id/comuni/:istatCode/end', {
    schema: {
      tags: ['territorio'],
      summary: 'Chiude l’appartenenza di un Comune all’Ambito (lo storico resta)',
      security,
      params: MembershipParams,
      body: EndMembershipBody,
      response: { 204: z.null(), ...errors },
    },
    handler: async (req, reply) => {
      await service.endMembership(db, req.actor, req.params.id, req.params.istatCode, req.body.validTo);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/v1/comuni', {
    schema: {
      tags: ['territorio'],
      summary: 'Ricerca nell’elenco ISTAT dei Comuni (nome, codice ISTAT o codice catastale)',
      querystring: ComuneSearchQuery,
      response: { 200: ComuneList, 400: ProblemSchema },
    },
    handler: async (req) => ({ items: await service.searchComuni(db, req.query.q, req.query.limit) }),
  });
}
