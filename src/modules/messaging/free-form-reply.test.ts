import { describe, expect, it } from 'vitest';
import { emptyGateFacts, type GateFacts } from './gate.ts';
import { judgeFreeFormReply, windowOf } from './free-form-reply.ts';

const end = new Date('2026-11-25T18:00:00Z');
const facts = (patch: Partial<GateFacts> = {}): GateFacts => ({ ...emptyGateFacts(), ...patch });

describe('free-form reply gate', () => {
  it('allows a reply until the instant the window closes, not at it', () => {
    expect(judgeFreeFormReply(facts(), 'whatsapp', end, new Date(end.getTime() - 1))).toMatchObject({ allowed: true, rule: 'reply.in_window' });
    expect(judgeFreeFormReply(facts(), 'whatsapp', end, end)).toMatchObject({ allowed: false, rule: 'whatsapp.window_closed', nextAllowedAt: null });
    expect(judgeFreeFormReply(facts(), 'whatsapp', null, new Date(0))).toMatchObject({ allowed: false, rule: 'whatsapp.window_closed' });
  });
  it('ignores hours and caps but not an opt-out, a refused consent or a hold that stops all contact', () => {
    const at = new Date(end.getTime() - 3600_000);
    expect(judgeFreeFormReply(facts({ consent: { whatsapp: 'unknown' }, history: [] }), 'whatsapp', end, at).allowed).toBe(true);
    expect(judgeFreeFormReply(facts({ optOuts: ['whatsapp'] }), 'whatsapp', end, at).rule).toBe('optout.whatsapp');
    expect(judgeFreeFormReply(facts({ consent: { whatsapp: 'denied' } }), 'whatsapp', end, at).rule).toBe('consent.denied');
    for (const hold of ['legal', 'bankruptcy', 'deceased'] as const) expect(judgeFreeFormReply(facts({ holds: [hold] }), 'whatsapp', end, at).rule).toBe(`hold.${hold}`);
    // A dispute or a promise holds collection, not answers to the debtor's own questions.
    expect(judgeFreeFormReply(facts({ holds: ['dispute', 'promise'] }), 'whatsapp', end, at).allowed).toBe(true);
  });
  it('reads the window from the row', () => {
    expect(windowOf({ window_expires_at: end.toISOString() })).toEqual(end);
    expect(windowOf({})).toBeNull();
    expect(windowOf({ window_expires_at: 'soon' })).toBeNull();
  });
});
