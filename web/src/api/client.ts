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
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).status === 'number' &&
    typeof (body as Problem).title === 'string'
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body: unknown = await response.json().catch(() => undefined);
    if (isProblem(body)) {
      return new ApiError(response.status, body.detail || body.title || t.state.genericError, body);
    }
  }
  return new ApiError(response.status, t.state.genericError);
}

export type QueryParams = Record<string, string | number | undefined>;

/** GET `${API_BASE}${path}` and parse the JSON body; the type parameter is trusted, not validated. */
export async function apiGet<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<T> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${query ? `?${query}` : ''}`, {
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
  return (await response.json()) as T;
}

export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : t.state.genericError;
}
