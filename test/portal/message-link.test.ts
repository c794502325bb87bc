/** `{{portal_link}}` in messages: a signed link per outbox row when the company has no portal address of its own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadAutomationSettings, setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { portalLinkForRow } from '../../src/modules/messaging/portal-link.ts';
import { renderOutbound } from '../../src/modules/messaging/render-message.ts';
import { configurePortal, openPortal } from '../../src/modules/portal/index.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';
import type { PlainDate } from '../../src/domain/calendar.ts';

let h: Harness;
let debtorId: number;

beforeAll(async () => {
  h = await startHarness();
  const r = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'M-1', name: 'Ana Ruiz', email: 'ana@example.mx' });
  expect(r.statusCode, r.body).toBe(201);
  debtorId = Number((await h.database.query<{ id: string }>(sql`SELECT id::text FROM debtors WHERE external_id = 'M-1'`))[0]!.id);
});
afterAll(async () => {
  await h?.close();
});

const row = (id: number, templateKey: string) => ({
  id,
  debtorId,
  channel: 'email',
  templateKey,
  language: 'es-MX',
  idempotencyKey: `k${id}`,
  recipient: 'ana@example.mx',
  variables: { debtor: { name: 'Ana Ruiz', first_name: 'Ana' }, amount: { total: { MXN: '1500.00' } }, contract: 'C-1', payment: { amount: { MXN: '500.00' }, date: '2026-03-15' } },
});

describe('portal link in messages', () => {
  it('issues one signed link per row for templates that use it, and none otherwise', async () => {
    await setAutomationSettings(h.a.ctx, { sender: { creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '55 1234 5678' } } });
    const settings = await loadAutomationSettings(h.a.ctx);
    const none = () => undefined;
    // Templates take only https links: without an https public URL no link is issued.
    configurePortal({ publicUrl: null });
    expect(await portalLinkForRow(h.a.ctx, row(500, 'payment_received'), settings, none)).toBeUndefined();
    configurePortal({ publicUrl: 'https://cobranza.example.mx' });
    const url = await portalLinkForRow(h.a.ctx, row(501, 'payment_received'), settings, none);
    expect(url).toMatch(/^https:\/\/cobranza\.example\.mx\/p\/[0-9a-z.]+\.[A-Za-z0-9_-]{22}$/);
    // A retried send of the same row carries the same link.
    expect(await portalLinkForRow(h.a.ctx, row(501, 'payment_received'), settings, none)).toBe(url);
    expect(await portalLinkForRow(h.a.ctx, row(502, 'payment_received'), settings, none)).not.toBe(url);
    expect(await portalLinkForRow(h.a.ctx, row(503, 'late_3_days'), settings, none)).toBeUndefined();
    const access = await openPortal({ database: h.database, clock: h.clock }, url!.slice('https://cobranza.example.mx/p/'.length));
    expect(access.debtor.externalId).toBe('M-1');

    const rendered = renderOutbound(row(501, 'payment_received'), { settings, companyTemplates: none, debtorExternalId: 'M-1', today: '2026-03-15' as PlainDate, portalLink: url });
    expect(rendered.ok ? 'ok' : rendered.reason).toBe('ok');
    if (rendered.ok && rendered.message.channel === 'email') expect(rendered.message.text).toContain(url);
  });

  it("leaves the company's own portal address alone", async () => {
    await setAutomationSettings(h.a.ctx, { sender: { portal_link: 'https://portal.example.mx/{debtor}' } });
    const settings = await loadAutomationSettings(h.a.ctx);
    expect(await portalLinkForRow(h.a.ctx, row(601, 'payment_received'), settings, () => undefined)).toBeUndefined();
  });
});
