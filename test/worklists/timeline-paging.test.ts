/**
 * The debtor 360 shows the latest timeline entries and a cursor; GET /debtors/:id/timeline?before= pages back from
 * it, and the pages put together are the whole timeline in order.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

type Entry = { at: string; kind: string; ref: number; summary: string };

describe('debtor timeline pages', () => {
  let h: Harness;
  let full: Entry[];

  beforeAll(async () => {
    h = await startHarness({ now: '2026-03-16T16:00:00Z' });
    const [p] = await h.database.db.select().from(portfolios).where(eq(portfolios.companyId, h.a.companyId));
    const [d] = await h.database.db
      .insert(debtors)
      .values({ companyId: h.a.companyId, externalId: 'D-1', name: 'María Pérez', country: 'MX', timeZone: 'America/Mexico_City', phone: '+525512345678' })
      .returning();
    await h.database.db.insert(obligations).values({ companyId: h.a.companyId, portfolioId: p!.id, debtorId: d!.id, externalId: 'F-1', currency: 'MXN', amount: 500_000n, balance: 500_000n, dueOn: '2026-03-01', issuedOn: '2026-02-01' });
    await runPortfolio(h.a.ctx, { asOf: '2026-03-16' });
    // Twelve calls a minute apart, then three at one instant (ties are ordered too).
    for (let i = 0; i < 15; i++) {
      const logged = await call(h.app, h.a.key, 'POST', '/debtors/D-1/interactions', { channel: 'call', outcome: 'no_answer', notes: `intento ${i}` });
      expect(logged.statusCode).toBe(201);
      if (i < 12) h.clock.advance(60_000);
    }
    const all = await call(h.app, h.a.key, 'GET', '/debtors/D-1/timeline');
    expect(all.statusCode).toBe(200);
    full = all.json().data;
    expect(all.json().before).toBeNull();
    expect(full.length).toBeGreaterThanOrEqual(16);
  });
  afterAll(async () => h.close());

  it('shows the latest entries on the 360, oldest first, with a cursor for the rest', async () => {
    const view = await call(h.app, h.a.key, 'GET', '/debtors/D-1/360?timeline_limit=5');
    expect(view.statusCode).toBe(200);
    expect(view.json().timeline).toEqual(full.slice(-5));
    expect(view.json().timeline_before).toEqual(expect.any(String));
    // Fifty by default: here the whole timeline, and no cursor.
    const all = (await call(h.app, h.a.key, 'GET', '/debtors/D-1/360')).json();
    expect(all.timeline).toEqual(full);
    expect(all.timeline_before).toBeNull();
  });

  it('pages back to the start; the pages together are the whole timeline', async () => {
    let before: string | null = (await call(h.app, h.a.key, 'GET', '/debtors/D-1/360?timeline_limit=5')).json().timeline_before;
    let seen: Entry[] = full.slice(-5);
    while (before) {
      const page = await call(h.app, h.a.key, 'GET', `/debtors/D-1/timeline?limit=4&before=${encodeURIComponent(before)}`);
      expect(page.statusCode).toBe(200);
      expect(page.json().data.length).toBeGreaterThan(0);
      expect(page.json().data.length).toBeLessThanOrEqual(4);
      seen = [...page.json().data, ...seen];
      before = page.json().before;
    }
    expect(seen).toEqual(full);
  });

  it('refuses a cursor it did not issue and a page too long, and hides the debtor from another company', async () => {
    expect((await call(h.app, h.a.key, 'GET', '/debtors/D-1/timeline?before=bm9wZQ')).statusCode).toBe(400);
    expect((await call(h.app, h.a.key, 'GET', '/debtors/D-1/360?timeline_limit=501')).statusCode).toBe(400);
    const before = (await call(h.app, h.a.key, 'GET', '/debtors/D-1/360?timeline_limit=5')).json().timeline_before as string;
    expect((await call(h.app, h.b.key, 'GET', `/debtors/D-1/timeline?before=${encodeURIComponent(before)}`)).statusCode).toBe(404);
  });

  it('opens with the account’s first placement, then its phase changes', async () => {
    expect(full[0]!.kind).toBe('phase');
    // 1 April has come: a run is never as of a date after the company's today.
    h.clock.set('2026-04-01T16:00:00Z');
    await runPortfolio(h.a.ctx, { asOf: '2026-04-01' });
    const phases = async (headers: Record<string, string>) =>
      ((await call(h.app, h.a.key, 'GET', '/debtors/D-1/timeline?limit=500', undefined, headers)).json().data as Entry[]).filter((e) => e.kind === 'phase').map((e) => e.summary);
    expect(await phases({ 'accept-language': 'es-MX' })).toEqual(['Ingreso a la cartera en fase administrativa (16 mar 2026)', 'Cambio de fase: administrativa → extrajudicial (1 abr 2026)']);
    expect(await phases({})).toEqual(['Placed in the portfolio in phase administrative (16 Mar 2026)', 'Phase change: administrative → extrajudicial (1 Apr 2026)']);
  });
});
