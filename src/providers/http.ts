/**
 * HTTP plumbing shared by the REST channel providers (Twilio SMS, WhatsApp Cloud API): one POST bounded by a
 * timeout, transport failures as retryable provider errors, lenient JSON bodies and the Retry-After header.
 */
import { ProviderError } from '../modules/messaging/ports.ts';

/** What {@link postWithTimeout} sends. */
export interface TimedPost {
  headers: Record<string, string>;
  body: string;
  /** Limit for the whole request, response body included. */
  timeoutMs: number;
}

/**
 * POSTs to `url` and reads the whole answer within `timeoutMs`; redirects are refused. The answer's body comes back
 * as parsed JSON, or null when it is not JSON. A timeout or a network failure throws a retryable {@link ProviderError}
 * naming `service` (e.g. "Twilio"), with providerCode `timeout` or `network`.
 */
export async function postWithTimeout(
  doFetch: typeof fetch,
  url: string,
  request: TimedPost,
  service: string,
): Promise<{ response: Response; json: unknown }> {
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
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
