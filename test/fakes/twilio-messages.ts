/**
 * The messages a loopback Twilio has accepted, and its answer to Twilio's Messages list
 * (`GET /2010-04-01/Accounts/{AccountSid}/Messages.json`) over them, in Twilio's documented shape: filters To, From,
 * DateSent (`DateSent`, `DateSent<`, `DateSent>`: a GMT date YYYY-MM-DD or an ISO 8601 instant), most recent first,
 * `PageSize` (default 50, at most 1000), and paging through `next_page_uri` with a `PageToken`. Shared by the test fake
 * (test/fakes/twilio.ts) and the benchmark's loopback (bench/support/twilio-loopback.ts).
 */
import { randomBytes } from 'node:crypto';

/** One accepted message as the fake keeps it. */
export interface TwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  /** queued, sent, delivered, undelivered, failed, … (the fake sends at once: 'sent'). */
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  /** Null while Twilio has not sent it (then no DateSent filter lists it). */
  dateSent: Date | null;
  dateUpdated: Date;
}

/** A Twilio error answer. */
export interface TwilioErrorAnswer {
  status: number;
  code: number;
  message: string;
}

export interface TwilioMessageLog {
  /** Records a message accepted now (sent at once unless `queued`) and returns it. */
  accept(form: { To: string; From?: string | undefined; MessagingServiceSid?: string | undefined; Body: string }, now: Date, options?: { queued?: boolean }): TwilioMessage;
  /** Every message, oldest first (tests may change a message's status). */
  readonly messages: readonly TwilioMessage[];
  /** Answers a list request: the page's JSON, or a Twilio error. */
  list(query: URLSearchParams): { status: 200; json: Record<string, unknown> } | TwilioErrorAnswer;
  clear(): void;
}

const DEFAULT_PAGE_SIZE = 50;
const LIST_KEYS = new Set(['To', 'From', 'DateSent', 'DateSent<', 'DateSent>', 'PageSize', 'Page', 'PageToken']);

/** Twilio's dates: RFC 2822 in GMT, "Tue, 31 Mar 2026 14:00:00 +0000". */
export const twilioDate = (d: Date | null): string | null => (d ? d.toUTCString().replace('GMT', '+0000') : null);

/** A message as Twilio's API returns it (the create answer and each entry of a list). */
export function twilioMessageResource(accountSid: string, m: TwilioMessage): Record<string, unknown> {
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: twilioDate(m.dateCreated),
    date_sent: twilioDate(m.dateSent),
    date_updated: twilioDate(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  };
}

/** A bound on date_sent from a DateSent filter value: a GMT day (its first or last instant) or an exact instant. */
function bound(value: string, end: boolean): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(day) ? null : end ? day + 86_400_000 - 1 : day;
  }
  const at = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/** An empty log for the account `accountSid`; `maxPageSize` lowers Twilio's 1000 so tests can page with few messages. */
export function createTwilioMessageLog(accountSid: string, options: { maxPageSize?: number } = {}): TwilioMessageLog {
  const maxPageSize = options.maxPageSize ?? 1000;
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  let all: TwilioMessage[] = [];
  let byTo = new Map<string, TwilioMessage[]>();
  // Insertion order breaks ties between messages sent in the same millisecond (the later one is listed first).
  let order = new Map<TwilioMessage, number>();
  const invalid = (message: string): TwilioErrorAnswer => ({ status: 400, code: 20001, message });

  return {
    get messages() {
      return all;
    },
    accept(form, now, o = {}) {
      const m: TwilioMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to: form.To,
        from: form.From ?? null,
        messagingServiceSid: form.MessagingServiceSid ?? null,
        body: form.Body,
        status: o.queued ? 'queued' : 'sent',
        errorCode: null,
        dateCreated: now,
        dateSent: o.queued ? null : now,
        dateUpdated: now,
      };
      order.set(m, all.length);
      all.push(m);
      const list = byTo.get(m.to);
      if (list) list.push(m);
      else byTo.set(m.to, [m]);
      return m;
    },
    list(query) {
      // Stricter than Twilio, which ignores unknown parameters: a misspelt filter must fail a test, not widen a lookup.
      const unknown = [...query.keys()].filter((k) => !LIST_KEYS.has(k));
      if (unknown.length > 0) return invalid(`Unexpected parameters: ${unknown.join(', ')}`);
      const filters: Array<(m: TwilioMessage) => boolean> = [];
      const to = query.get('To');
      const from = query.get('From');
      if (from !== null) filters.push((m) => m.from === from);
      for (const [key, test] of [
        ['DateSent', (t: number, lo: number, hi: number) => t >= lo && t <= hi],
        ['DateSent>', (t: number, lo: number) => t >= lo],
        ['DateSent<', (t: number, _lo: number, hi: number) => t <= hi],
      ] as const) {
        const value = query.get(key);
        if (value === null) continue;
        const lo = bound(value, false);
        const hi = bound(value, true);
        if (lo === null || hi === null) return invalid(`${key} must be a GMT date YYYY-MM-DD or an ISO 8601 instant, got "${value}"`);
        filters.push((m) => m.dateSent !== null && test(m.dateSent.getTime(), lo, hi));
      }
      const pageSize = Number(query.get('PageSize') ?? DEFAULT_PAGE_SIZE);
      const page = Number(query.get('Page') ?? 0);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return invalid(`PageSize must be 1 to 1000, got "${query.get('PageSize')}"`);
      if (!Number.isInteger(page) || page < 0) return invalid(`Page must be a whole number, got "${query.get('Page')}"`);
      const size = Math.min(pageSize, maxPageSize);

      // Most recent first: by date sent (not yet sent first), then the later accepted first.
      const sentAt = (m: TwilioMessage) => m.dateSent?.getTime() ?? Number.POSITIVE_INFINITY;
      const matching = (to !== null ? (byTo.get(to) ?? []) : all)
        .filter((m) => filters.every((f) => f(m)))
        .sort((a, b) => sentAt(b) - sentAt(a) || order.get(b)! - order.get(a)!);
      // PageToken "PA<sid>": the messages after that one; "PB<sid>": the page before it.
      const token = query.get('PageToken');
      let start = 0;
      if (token !== null) {
        const at = matching.findIndex((m) => m.sid === token.slice(2));
        if (!/^P[AB]SM/.test(token) || at < 0) return invalid(`PageToken "${token}" is not valid`);
        start = token.startsWith('PA') ? at + 1 : Math.max(0, at - size);
      } else if (page > 0) return invalid('Page beyond the first needs the PageToken of next_page_uri');
      const messages = matching.slice(start, start + size);

      const uri = (p: number, pageToken: string | null) => {
        const q = new URLSearchParams();
        for (const key of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']) {
          const v = query.get(key);
          if (v !== null) q.set(key, v);
        }
        q.set('PageSize', String(size));
        q.set('Page', String(p));
        if (pageToken) q.set('PageToken', pageToken);
        return `${path}?${q.toString()}`;
      };
      const last = messages.at(-1);
      const more = last !== undefined && start + messages.length < matching.length;
      return {
        status: 200,
        json: {
          end: start + Math.max(0, messages.length - 1),
          first_page_uri: uri(0, null),
          next_page_uri: more ? uri(page + 1, `PA${last.sid}`) : null,
          page,
          page_size: size,
          previous_page_uri: page > 0 && messages[0] ? uri(page - 1, `PB${messages[0].sid}`) : null,
          messages: messages.map((m) => twilioMessageResource(accountSid, m)),
          start,
          uri: uri(page, token),
        },
      };
    },
    clear() {
      all = [];
      byTo = new Map();
      order = new Map();
    },
  };
}
