/**
 * The language of an answer's sentences, from the request's Accept-Language (RFC 9110 §12.5.4): the most preferred
 * language the product speaks, by q-value, then by order. Any `es…` tag is Spanish and any `en…` English; without the
 * header, or when it names neither (or only with q=0), English, the integrators' default (docs/adr/0012).
 */
import type { FastifyReply } from 'fastify';
import type { Language } from '../domain/text.ts';

export const DEFAULT_LANGUAGE: Language = 'en';

/** The language to answer in for an Accept-Language header (as Node hands it over). */
export function languageOf(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return DEFAULT_LANGUAGE;
  let best: { language: Language; q: number } | null = null;
  for (const range of value.split(',')) {
    const [tag = '', ...params] = range.split(';').map((p) => p.trim());
    const primary = tag.toLowerCase().split('-')[0];
    const language: Language | null = primary === 'es' ? 'es' : primary === 'en' ? 'en' : primary === '*' ? DEFAULT_LANGUAGE : null;
    if (language === null) continue;
    let q = 1;
    for (const param of params) {
      const m = /^q\s*=\s*([0-9](?:\.[0-9]{0,3})?)$/i.exec(param);
      if (m) q = Math.min(1, Number(m[1]));
    }
    // Equal weights keep the first listed: the client wrote its preference in that order.
    if (q > 0 && (best === null || q > best.q)) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}

/** The BCP 47 tag an answer in `language` carries in Content-Language. */
export function contentLanguage(language: Language): string {
  return language === 'es' ? 'es-MX' : 'en';
}

/**
 * The language of a successful answer that carries sentences (e.g. a rule check's reason): from the request, with
 * Content-Language and Vary set on the reply so that caches keep one answer per language.
 */
export function answerLanguage(request: { headers: { 'accept-language'?: string | string[] | undefined } }, reply: FastifyReply): Language {
  const language = languageOf(request.headers['accept-language']);
  markLanguage(reply, language);
  return language;
}

/**
 * The language of a download (CSV/XLSX headers and word values): `?language=` when given — a plain link cannot set
 * headers, so the web app names its locale there — else the request's Accept-Language; marked on the reply.
 */
export function downloadLanguage(request: { headers: { 'accept-language'?: string | string[] | undefined } }, reply: FastifyReply, chosen: Language | undefined): Language {
  if (chosen === undefined) return answerLanguage(request, reply);
  markLanguage(reply, chosen);
  return chosen;
}

/** Sets Content-Language for `language`, and adds Accept-Language to Vary (once, keeping what a route set before). */
export function markLanguage(reply: FastifyReply, language: Language): void {
  reply.header('content-language', contentLanguage(language));
  const current = reply.getHeader('vary');
  const fields = (Array.isArray(current) ? current.join(',') : typeof current === 'string' ? current : '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (!fields.some((f) => f === '*' || f.toLowerCase() === 'accept-language')) fields.push('Accept-Language');
  reply.header('vary', fields.join(', '));
}
