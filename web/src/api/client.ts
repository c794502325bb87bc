/**
 * The fetch client every page uses. The API answers errors as `{ code, message, details }` (src/http/errors.ts);
 * they arrive here as an ApiError with the same fields, and a network failure as an ApiError with status 0.
 * Back-office calls carry the session cookie (same origin); portal calls add the link's token (web/src/portal/api.ts).
 * Every call says the UI's language in Accept-Language, so the API's messages arrive in the reader's language.
 */

let language = 'es-MX';

/** The language the API is asked to answer in: the UI's current locale (set by the i18n provider). */
export function setRequestLanguage(locale: string): void {
  language = locale;
}

/** The Accept-Language every call sends. */
export function requestLanguage(): string {
  return language;
}

/** One problem of a refused request, as the API reports it. */
export interface ApiErrorDetail {
  path?: string;
  reason: string;
}

/** A request the API refused or could not answer. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
}

/** Calls the API and returns the parsed JSON body (undefined for 204). */
export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  // The server refuses cookie-authenticated changes without this header (CSRF; docs/adr/0008-sessions-and-csrf.md).
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language, 'x-requested-with': 'fetch', ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, credentials: 'same-origin', signal: options.signal, ...(body !== undefined && { body: JSON.stringify(body) }) });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', (error as Error).message);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const e = (parsed ?? {}) as { code?: string; message?: string; details?: ApiErrorDetail[] };
    throw new ApiError(response.status, e.code ?? 'http_error', e.message ?? `${response.status} ${response.statusText}`, e.details ?? []);
  }
  return parsed as T;
}

/** Shorthands for the usual verbs. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body ?? {}, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};
