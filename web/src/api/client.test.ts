import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError, request, requestLanguage, setRequestLanguage } from './client.ts';

/** Stands in for the network: answers like the API refusing a request, in the language the request asked for. */
const sent: Array<Record<string, string>> = [];
function fakeFetch(_url: string, init: RequestInit): Promise<Response> {
  const headers = init.headers as Record<string, string>;
  sent.push(headers);
  const spanish = /^es/.test(headers['accept-language'] ?? '');
  const body = { code: 'conflict', message: spanish ? 'ya existe un segmento llamado "vip"' : 'a segment named "vip" already exists', details: [] };
  return Promise.resolve(new Response(JSON.stringify(body), { status: 409, headers: { 'content-type': 'application/json' } }));
}

beforeAll(() => {
  vi.stubGlobal('fetch', fakeFetch);
});

afterAll(() => {
  setRequestLanguage('es-MX');
  vi.unstubAllGlobals();
});

async function refusal(options = {}): Promise<ApiError> {
  try {
    await request('POST', '/segments', { name: 'vip' }, options);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the API client', () => {
  it("asks for the UI's language, Spanish by default, so the API's messages arrive in it", async () => {
    expect(requestLanguage()).toBe('es-MX');
    const error = await refusal();
    expect(sent.at(-1)?.['accept-language']).toBe('es-MX');
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'ya existe un segmento llamado "vip"' });
  });

  it('follows a change of language', async () => {
    setRequestLanguage('en');
    expect((await refusal()).message).toBe('a segment named "vip" already exists');
    expect(sent.at(-1)?.['accept-language']).toBe('en');
    setRequestLanguage('es-MX');
    await refusal();
    expect(sent.at(-1)?.['accept-language']).toBe('es-MX');
  });

  it('lets a call ask for another language itself', async () => {
    expect((await refusal({ headers: { 'accept-language': 'en' } })).message).toBe('a segment named "vip" already exists');
  });
});
