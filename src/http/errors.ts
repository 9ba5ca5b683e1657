import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { UNSAFE_TEXT_REASON } from '../contract/text.js';
import type { DB } from '../db/types.js';
import { audit } from '../features/audit/audit.js';

export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'INVALID'
  | 'BAD_REQUEST'
  | 'UNSUPPORTED_MEDIA_TYPE'
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
/** The request itself is malformed (a 400, like a schema failure): the detail names the field. */
export const badRequest = (field: string, reason: string) =>
  new DomainError('BAD_REQUEST', `${field}: ${reason}`, [{ field, reason }]);
/** The body is not of the one content type the route takes. */
export const unsupportedMediaType = (expected: string) =>
  new DomainError('UNSUPPORTED_MEDIA_TYPE', `Il corpo della richiesta deve essere di tipo ${expected}`, [
    { field: 'body', reason: `tipo di contenuto atteso: ${expected}` },
  ]);

const STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  INVALID: { status: 422, title: 'Dati non validi' },
  BAD_REQUEST: { status: 400, title: 'Richiesta non valida' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Tipo di contenuto non supportato' },
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

interface DatabaseError {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

/**
 * Constraints whose name does not say the field (named by hand in the migrations), with what a
 * person should read. Constraints named by PostgreSQL's defaults (`<table>_<column>_key`,
 * `_fkey`, `_check`) are read from the name or from the columns of the error instead.
 */
const CONSTRAINTS: Record<string, FieldError> = {
  ambito_comuni_no_overlap: { field: 'validFrom', reason: 'periodo sovrapposto a un’altra appartenenza' },
  calls_ranking_act_fk: { field: 'actId', reason: 'atto inesistente' },
  calls_final_act_fk: { field: 'actId', reason: 'atto inesistente' },
  calls_commitment_fk: { field: 'commitmentId', reason: 'impegno inesistente' },
};

/** What each SQLSTATE means for the person who sent the request; anything else is a 500. */
const SQLSTATES: Record<string, { status: number; title: string; detail: string; reason: string }> = {
  '23505': {
    ...STATUS.CONFLICT,
    detail: 'Esiste già un elemento con gli stessi dati',
    reason: 'valore duplicato',
  },
  '23P01': {
    ...STATUS.CONFLICT,
    detail: 'Il periodo si sovrappone a un altro già registrato',
    reason: 'periodo sovrapposto',
  },
  '23503': {
    ...STATUS.INVALID,
    detail: 'Riferimento a un elemento inesistente',
    reason: 'riferimento inesistente',
  },
  '23502': { ...STATUS.INVALID, detail: 'Valore obbligatorio mancante', reason: 'valore obbligatorio' },
  '23514': { ...STATUS.INVALID, detail: 'Valore non valido', reason: 'valore non ammesso' },
  '22P02': { ...STATUS.INVALID, detail: 'Valore non valido', reason: 'valore non ammesso' },
  '22007': { ...STATUS.INVALID, detail: 'Data non valida', reason: 'data non valida' },
  '22008': { ...STATUS.INVALID, detail: 'Data fuori dall’intervallo ammesso', reason: 'data non valida' },
  '22001': { ...STATUS.INVALID, detail: 'Testo troppo lungo', reason: 'testo troppo lungo' },
  '22003': {
    ...STATUS.INVALID,
    detail: 'Numero fuori dall’intervallo ammesso',
    reason: 'numero troppo grande',
  },
  // NUL in text (PostgreSQL refuses it) and characters UTF-8 cannot carry: the input guard
  // refuses them first, this is the last line.
  '22021': { ...STATUS.BAD_REQUEST, detail: 'Testo non valido', reason: UNSAFE_TEXT_REASON },
  '22P05': { ...STATUS.BAD_REQUEST, detail: 'Testo non valido', reason: UNSAFE_TEXT_REASON },
};

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The field of the request a database error is about, as the API names it, never a raw message. */
function fieldOf(err: DatabaseError): string {
  if (err.column) return camel(err.column);
  // "Key (ambito_id, code)=(…)": only the column names are read, never the values.
  const key = /^Key \(([a-z0-9_, ]+)\)=/.exec(err.detail ?? '');
  if (key?.[1]) {
    const columns = key[1].split(', ').filter((c) => c !== 'ambito_id');
    if (columns.length) return columns.map(camel).join(', ');
  }
  if (err.constraint && err.table && err.constraint.startsWith(`${err.table}_`)) {
    const column = err.constraint
      .slice(err.table.length + 1)
      .replace(/_(key|fkey|check|excl|pkey)$/, '')
      .replace(/^ambito_id_/, '');
    if (/^[a-z0-9_]+$/.test(column)) return camel(column);
  }
  return 'body';
}

/** PostgreSQL errors that reach the handler and are the user's input colliding with data or types. */
function fromDatabase(err: DatabaseError): Problem | undefined {
  const known = err.code ? SQLSTATES[err.code] : undefined;
  if (!known) return undefined;
  const named = err.constraint ? CONSTRAINTS[err.constraint] : undefined;
  const field = named?.field ?? fieldOf(err);
  const reason = named?.reason ?? known.reason;
  return problem(known.status, known.title, field === 'body' ? known.detail : `${field}: ${reason}`, [
    { field, reason },
  ]);
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
      body = problem(
        error.statusCode,
        'Richiesta non valida',
        translateFastify(error, request.routeOptions.bodyLimit),
      );
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

function translateFastify(error: FastifyError, bodyLimit?: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // The route's own limit, as the upload's documentation states it.
      return bodyLimit
        ? `Il corpo della richiesta supera la dimensione massima consentita (${String(Math.round((bodyLimit / 1048576) * 10) / 10).replace('.', ',')} MB)`
        : 'Il corpo della richiesta supera la dimensione massima consentita';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Tipo di contenuto non supportato: usare application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Il corpo JSON è vuoto';
    default:
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
        return 'JSON non valido';
      if (error.statusCode === 429) return 'Troppe richieste: riprovare tra poco';
      // Never a library's own (English, technical) message: a plain word on the status.
      switch (error.statusCode) {
        case 404:
          return 'Risorsa non trovata';
        case 405:
          return 'Metodo non consentito';
        case 406:
          return 'Formato di risposta non disponibile';
        case 413:
          return 'Il corpo della richiesta supera la dimensione massima consentita';
        case 415:
          return 'Tipo di contenuto non supportato';
        default:
          return 'Richiesta non valida';
      }
  }
}
