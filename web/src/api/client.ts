import { t } from '../i18n';
import type { Problem } from './types';

export const API_BASE = '/api/v1';

/** A failed request. `message` is always something that can be shown to the user as-is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: Problem,
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** 412: someone else changed the resource since it was read (If-Match no longer matches). */
  get isConflict(): boolean {
    return this.status === 412;
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).status === 'number' &&
    typeof (body as Problem).title === 'string'
  );
}

/**
 * The CSRF token every non-GET request must carry. It is not a secret from this page (the
 * session cookie is httpOnly, this is not) and changes with the session, so it is refreshed
 * from any answer that carries one: GET /session (also its 401) and the login response.
 */
let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

function rememberCsrf(body: unknown): void {
  if (typeof body === 'object' && body !== null) {
    const token = (body as { csrfToken?: unknown }).csrfToken;
    if (typeof token === 'string' && token) csrfToken = token;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body: unknown = await response.json().catch(() => undefined);
    rememberCsrf(body);
    if (isProblem(body)) {
      return new ApiError(response.status, body.detail || body.title || t.state.genericError, body);
    }
  }
  return new ApiError(response.status, t.state.genericError);
}

export type QueryParams = Record<string, string | number | undefined>;

/** `${API_BASE}${path}?query`, leaving out empty parameters; also used for download links. */
export function apiUrl(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return `${API_BASE}${path}${query ? `?${query}` : ''}`;
}

/** GET `${API_BASE}${path}` and parse the JSON body; the type parameter is trusted, not validated. */
export async function apiGet<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<T> {
  return (await apiGetWithEtag<T>(path, params, signal)).data;
}

/** Like `apiGet`, also returning the ETag header, to be sent back as If-Match when editing. */
export async function apiGetWithEtag<T>(
  path: string,
  params: QueryParams = {},
  signal?: AbortSignal,
): Promise<{ data: T; etag: string | null }> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, params), {
      headers: { accept: 'application/json, application/problem+json' },
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    // Aborts are React Query cancelling a stale request, not a failure to report.
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, t.state.networkError);
  }
  if (!response.ok) throw await toApiError(response);
  const body = (await response.json()) as T;
  rememberCsrf(body);
  return { data: body, etag: response.headers.get('etag') };
}

/** Fetches a CSRF token first when none is known yet (the 401 of GET /session carries one too). */
async function ensureCsrfToken(): Promise<void> {
  if (csrfToken) return;
  await apiGet('/session').catch(() => undefined);
}

export interface SendOptions {
  /** The ETag of the version being changed (optimistic concurrency): a 412 when it is stale. */
  ifMatch?: string | undefined;
}

/**
 * POST/DELETE/… with an optional JSON body and the X-CSRF-Token header. Resolves to the parsed
 * body, or `undefined` for 204 No Content.
 */
export async function apiSend<T = void>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  params: QueryParams = {},
  options: SendOptions = {},
): Promise<T> {
  await ensureCsrfToken();
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'x-csrf-token': csrfToken,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, params), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, t.state.networkError);
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => undefined);
  rememberCsrf(data);
  return data as T;
}

/**
 * Problem `errors[]` keyed by the last segment of the field path, so `body.roles.0.ambitoId`,
 * `roles[0].ambitoId` and `ambitoId` all land next to the Ambito select.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem?.errors ?? []) {
    const key =
      e.field
        .split(/[.[\]]/)
        .filter(Boolean)
        .pop() ?? e.field;
    out[key] ??= e.reason;
  }
  return out;
}

export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : t.state.genericError;
}
