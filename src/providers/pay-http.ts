/**
 * One HTTP call to a payment provider's REST API, bounded by a timeout, with redirects refused. Transport failures
 * and the provider's 5xx/429 are retryable {@link PaymentProviderError}s; the caller interprets other statuses.
 */
import { PaymentProviderError } from '../modules/payments/ports.ts';

export interface PayRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** Sends the request and returns the status with the body parsed as JSON (null when it is not JSON). */
export async function payFetch(doFetch: typeof fetch, url: string, request: PayRequest, service: string): Promise<{ status: number; json: unknown }> {
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
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new PaymentProviderError(`${service} did not answer in time`, { retryable: true, providerCode: 'timeout' });
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new PaymentProviderError(`${service} unreachable: ${cause}`, { retryable: true, providerCode: 'network' });
  }
  return { status: response.status, json: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
