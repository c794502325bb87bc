/**
 * HTTP plumbing shared by the REST channel providers (Twilio SMS, WhatsApp Cloud API): one POST (or GET) bounded by
 * a timeout, transport failures as retryable provider errors, lenient JSON bodies and the Retry-After header.
 */
import http from 'node:http';
import https from 'node:https';
import { ProviderError } from '../modules/messaging/ports.ts';

/** What {@link postWithTimeout} sends. */
export interface TimedPost {
  headers: Record<string, string>;
  /** Text (JSON, a form), or bytes (a multipart upload). */
  body: string | Uint8Array<ArrayBuffer>;
  /** Limit for the whole request, response body included. */
  timeoutMs: number;
}

/**
 * POSTs to `url` and reads the whole answer within `timeoutMs`; redirects are refused. The answer's body comes back
 * as parsed JSON, or null when it is not JSON. A timeout or a network failure throws a retryable {@link ProviderError}
 * naming `service` (e.g. "Twilio"), with providerCode `timeout` or `network`.
 */
export function postWithTimeout(doFetch: typeof fetch, url: string, request: TimedPost, service: string): Promise<{ response: Response; json: unknown }> {
  return timedRequest(doFetch, url, { method: 'POST', ...request }, service);
}

/** GETs `url` like {@link postWithTimeout} posts: within `timeoutMs`, no redirects, JSON or null back. */
export function getWithTimeout(doFetch: typeof fetch, url: string, request: Omit<TimedPost, 'body'>, service: string): Promise<{ response: Response; json: unknown }> {
  return timedRequest(doFetch, url, { method: 'GET', ...request }, service);
}

async function timedRequest(
  doFetch: typeof fetch,
  url: string,
  request: Omit<TimedPost, 'body'> & { method: 'GET' | 'POST'; body?: TimedPost['body'] },
  service: string,
): Promise<{ response: Response; json: unknown }> {
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    throw transportError(error, service);
  }
  return { response, json: parseJson(text) };
}

function transportError(error: unknown, service: string): ProviderError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProviderError(`${service} did not answer in time`, { retryable: true, providerCode: 'timeout' });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new ProviderError(`${service} unreachable${cause || (error instanceof Error ? `: ${error.message}` : '')}`, {
    retryable: true,
    providerCode: 'network',
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110), in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/**
 * A `fetch` over node:http/https with keep-alive agents (one per protocol, `maxSockets` connections per host): a
 * dispatch worker sends many small requests to one API, and reusing warm connections through the plain HTTP client
 * costs less CPU per request than the WHATWG fetch stack. Supports what the providers use: a method, headers, a string
 * or byte body and an abort signal. Redirects are returned as they are, never followed.
 */
export function keepAliveFetch(options: { maxSockets?: number } = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 64;
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets }), https: new https.Agent({ keepAlive: true, maxSockets }) };
  return ((input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const secure = url.protocol === 'https:';
    return new Promise<Response>((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        { method: init?.method ?? 'GET', headers: init?.headers as Record<string, string> | undefined, agent: secure ? agents.https : agents.http, ...(init?.signal ? { signal: init.signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
            const status = res.statusCode ?? 500;
            // Statuses that may not carry a body in a Response.
            const body = status === 204 || status === 205 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers }));
          });
        },
      );
      request.on('error', reject);
      request.end(typeof init?.body === 'string' || init?.body instanceof Uint8Array ? init.body : undefined);
    });
  }) as typeof fetch;
}
