import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import { audit } from '../features/audit/audit.js';

export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'INVALID'
  | 'PRECONDITION_FAILED'
  | 'PRECONDITION_REQUIRED'
  | 'TOO_MANY'
  | 'TOO_LARGE'
  | 'UNAVAILABLE';

export interface FieldError {
  field: string;
  reason: string;
}

/** What services throw; only the central handler below turns it into HTTP. */
export class DomainError extends Error {
  /** Set by the policy when access was refused: the handler records the attempt in the audit log. */
  denied?: { action: string; ambitoId?: string; resourceType?: string; resourceId?: string };

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} non trovato`);
export const invalid = (field: string, reason: string) =>
  new DomainError('INVALID', reason, [{ field, reason }]);
export const conflict = (field: string, reason: string) =>
  new DomainError('CONFLICT', reason, [{ field, reason }]);

const STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  INVALID: { status: 422, title: 'Dati non validi' },
  NOT_FOUND: { status: 404, title: 'Risorsa non trovata' },
  FORBIDDEN: { status: 403, title: 'Operazione non consentita' },
  UNAUTHENTICATED: { status: 401, title: 'Autenticazione richiesta' },
  CONFLICT: { status: 409, title: 'Conflitto con lo stato attuale' },
  PRECONDITION_FAILED: { status: 412, title: 'Modifica concorrente' },
  PRECONDITION_REQUIRED: { status: 428, title: 'Versione dell’elemento richiesta' },
  TOO_MANY: { status: 429, title: 'Troppe richieste' },
  TOO_LARGE: { status: 413, title: 'Contenuto troppo grande' },
  UNAVAILABLE: { status: 503, title: 'Servizio non disponibile' },
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

function problem(status: number, title: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://ambito.example/problems/${status}`,
    title,
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}

/** PostgreSQL constraint violations that reach the handler are the user's input colliding with data. */
function fromDatabase(err: { code?: string; constraint?: string; detail?: string }): Problem | undefined {
  switch (err.code) {
    case '23P01':
      return problem(409, STATUS.CONFLICT.title, 'Il periodo si sovrappone a un altro già registrato', [
        { field: err.constraint ?? 'period', reason: 'periodo sovrapposto' },
      ]);
    case '23505':
      return problem(409, STATUS.CONFLICT.title, 'Esiste già un elemento con gli stessi dati', [
        { field: err.constraint ?? 'id', reason: 'valore duplicato' },
      ]);
    case '23503':
      return problem(422, STATUS.INVALID.title, 'Riferimento a un elemento inesistente', [
        { field: err.constraint ?? 'id', reason: 'riferimento inesistente' },
      ]);
    case '23514':
    case '22007':
    case '22008':
    case '22P02':
      return problem(422, STATUS.INVALID.title, 'Valore non valido', [
        { field: err.constraint ?? 'body', reason: 'valore non ammesso' },
      ]);
    default:
      return undefined;
  }
}

export function registerErrorHandler(app: FastifyInstance, db: Kysely<DB>): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    let body: Problem;
    if (error instanceof DomainError) {
      const s = STATUS[error.code];
      body = problem(s.status, s.title, error.message, error.errors);
      if (error.denied || error.code === 'FORBIDDEN') {
        // Denied accesses are recorded; the request's own transaction has already rolled back.
        const { action, ...target } = error.denied ?? {
          action: `${request.method} ${request.routeOptions.url ?? ''}`,
        };
        await audit(db, request.actor ?? { kind: 'anonymous', ip: request.ip }, {
          action,
          outcome: 'denied',
          ...target,
          detail: { method: request.method, route: request.routeOptions.url ?? null, reason: error.message },
        }).catch((e) => request.log.error({ err: e }, 'audit write failed'));
      }
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const errors = error.validation.map((v) => ({
        field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        reason: v.message ?? 'valore non valido',
      }));
      const first = errors[0];
      body = problem(
        400,
        'Richiesta non valida',
        first ? `${first.field}: ${first.reason}` : 'Richiesta non valida',
        errors,
      );
    } else if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response does not match its schema');
      body = problem(500, 'Errore interno', 'Errore interno del server');
    } else if (typeof error.statusCode === 'number' && error.statusCode < 500) {
      // Fastify's own client errors: body too large, bad JSON, unsupported media type, rate limit.
      body = problem(error.statusCode, 'Richiesta non valida', translateFastify(error));
    } else {
      const db = fromDatabase(error as never);
      if (db) body = db;
      else {
        request.log.error({ err: error }, 'unhandled error');
        body = problem(500, 'Errore interno', 'Errore interno del server');
      }
    }
    return reply
      .status(body.status)
      .type('application/problem+json')
      .send({ ...body, instance: request.url.split('?')[0] });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send({
        ...problem(
          404,
          STATUS.NOT_FOUND.title,
          `Nessuna risorsa per ${request.method} ${request.url.split('?')[0]}`,
        ),
        instance: request.url.split('?')[0],
      });
  });
}

function translateFastify(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Il corpo della richiesta supera la dimensione massima consentita';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Tipo di contenuto non supportato: usare application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Il corpo JSON è vuoto';
    default:
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
        return 'JSON non valido';
      if (error.statusCode === 429) return 'Troppe richieste: riprovare tra poco';
      return error.message;
  }
}
