/**
 * The debtor portal over HTTP with a real database: signed links (tampered, expired, revoked, another company's),
 * the identity check and its persisted lock, what the debtor sees, and every action landing where it belongs
 * (payment links, promises, plans, disputes, consents) and on the timeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { issuePortalLink, setPortalSettings, signPortalToken } from '../../src/modules/portal/index.ts';
import { setPolicy } from '../../src/modules/negotiation/index.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

let h: Harness;

async function seed(key: string, debtor: { id: string; name: string; taxId: string }, obligations: { id: string; amount: string; due: string; currency?: string }[]) {
  const d = await call(h.app, key, 'POST', '/debtors', { external_id: debtor.id, name: debtor.name, tax_id: debtor.taxId, email: `${debtor.id.toLowerCase()}@example.mx` });
  expect(d.statusCode, d.body).toBe(201);
  for (const o of obligations) {
    const r = await call(h.app, key, 'POST', '/obligations', { external_id: o.id, debtor_external_id: debtor.id, currency: o.currency ?? 'MXN', amount: o.amount, due_on: o.due });
    expect(r.statusCode, r.body).toBe(201);
  }
}

const portal = (token: string, path = '', session?: string) => ({ url: `/portal/api/${token}${path}`, headers: session ? { 'x-portal-session': session } : {} });

async function get(token: string, path = '', session?: string) {
  const p = portal(token, path, session);
  return h.app.inject({ method: 'GET', url: p.url, headers: p.headers });
}

async function post(token: string, path: string, body: unknown, session?: string, method: 'POST' | 'PUT' = 'POST') {
  const p = portal(token, path, session);
  return h.app.inject({ method, url: p.url, headers: p.headers, payload: body as object });
}

async function verify(token: string, answer: string) {
  return post(token, '/verify', { answer });
}

beforeAll(async () => {
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  await seed(h.a.key, { id: 'D-1', name: 'Ximena Ortiz Juárez', taxId: 'XOJI740919U48' }, [
    { id: 'F-1', amount: '5000.00', due: '2026-01-10' },
    { id: 'F-2', amount: '1500.50', due: '2026-04-10' },
  ]);
  await seed(h.a.key, { id: 'D-2', name: 'Empresa Kilo', taxId: 'EKU9003173C9' }, [{ id: 'F-3', amount: '800.00', due: '2026-02-01' }]);
  await seed(h.a.key, { id: 'D-3', name: 'María Aña', taxId: 'MAÑA850315K72' }, [{ id: 'F-4', amount: '300.00', due: '2026-03-01' }]);
  await seed(h.a.key, { id: 'D-4', name: 'Eduardo Kuri', taxId: 'EKU90031736A' }, [{ id: 'F-5', amount: '12000.00', due: '2026-01-15' }]);
});
afterAll(async () => {
  await h?.close();
});

describe('portal links', () => {
  it('are issued by collectors over the API and open the portal without showing the debt before the check', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/debtors/D-1/portal-links', {});
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json() as { url: string; token: string; expires_at: string };
    expect(link.url).toBe(`/p/${link.token}`);
    // 30 days by default.
    expect(link.expires_at).toBe('2026-04-14T18:00:00.000Z');
    const view = await get(link.token);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ debtor_first_name: 'Ximena', identity: { method: 'tax_id_last4', available: true, verified: false, attempts_left: 5 }, account: null });
    expect(view.body).not.toContain('5000');
    // The other company's key cannot issue a link for this debtor.
    expect((await call(h.app, h.b.key, 'POST', '/debtors/D-1/portal-links', {})).statusCode).toBe(404);
  });

  it('refuse a tampered, unknown, expired or revoked token with the reason', async () => {
    const link = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-1', ttlDays: 2 });
    const reason = async (token: string) => {
      const r = await get(token);
      expect(r.statusCode).toBe(401);
      return (r.json() as { details: { reason: string }[] }).details[0]!.reason;
    };
    const [c, d, l, e, sig] = link.token.split('.');
    const otherDebtor = (Number.parseInt(d!, 36) + 1).toString(36);
    expect(await reason([c, otherDebtor, l, e, sig].join('.'))).toBe('invalid');
    expect(await reason([c, d, l, (Number.parseInt(e!, 36) + 86_400).toString(36), sig].join('.'))).toBe('invalid');
    expect(await reason('not-a-token')).toBe('invalid');
    // Claims that are right but signed with another key (a guessed secret, another server): refused.
    expect(await reason(signPortalToken('another-secret', { companyId: h.a.companyId, debtorId: Number.parseInt(d!, 36), linkId: Number.parseInt(l!, 36), expiresAt: link.expiresAt }))).toBe('invalid');
    // Company B cannot issue a link for company A's debtor.
    await expect(issuePortalLink(h.b.ctx, { debtorId: (await idOf('D-1')) as number })).rejects.toMatchObject({ code: 'not_found' });

    h.clock.advance(2 * 86_400_000 + 1000);
    try {
      expect(await reason(link.token)).toBe('expired');
    } finally {
      h.clock.set('2026-03-15T18:00:00Z');
    }
    expect((await get(link.token)).statusCode).toBe(200);
    const revoke = await call(h.app, h.a.key, 'POST', '/debtors/D-1/portal-links/revoke', {});
    expect(revoke.json()).toMatchObject({ revoked: expect.any(Number) });
    expect(await reason(link.token)).toBe('revoked');
  });

  it('issue the same link again for the same source key (a retried message)', async () => {
    const a = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-2', sourceKey: 'outbox:77' });
    const b = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-2', sourceKey: 'outbox:77' });
    expect(b).toEqual(a);
    await expect(issuePortalLink(h.a.ctx, { debtorExternalId: 'D-3', sourceKey: 'outbox:77' })).rejects.toMatchObject({ code: 'conflict' });
  });
});

async function idOf(externalId: string): Promise<number | undefined> {
  const rows = await h.database.query<{ id: string }>(sql`SELECT id::text FROM debtors WHERE company_id = ${h.a.companyId} AND external_id = ${externalId}`);
  return rows[0] ? Number(rows[0].id) : undefined;
}

describe('identity check', () => {
  it('locks after 5 wrong answers, keeps the lock across links and time until it expires', async () => {
    const link = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-2' });
    for (let left = 4; left >= 1; left--) {
      const r = await verify(link.token, '0000');
      expect(r.statusCode).toBe(401);
      expect(r.json().details).toContainEqual({ path: 'attempts_left', reason: String(left) });
    }
    const fifth = await verify(link.token, '0000');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().code).toBe('too_many_attempts');
    // Locked: even the right answer is refused, also through a new link.
    expect((await verify(link.token, '73C9')).statusCode).toBe(429);
    const fresh = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-2' });
    expect((await verify(fresh.token, '73c9')).statusCode).toBe(429);
    expect((await get(fresh.token)).json().identity).toMatchObject({ attempts_left: 0, locked_until: '2026-03-16T18:00:00.000Z' });

    h.clock.advance(24 * 3600_000 + 1000);
    try {
      const ok = await verify(fresh.token, '73c9');
      expect(ok.statusCode, ok.body).toBe(200);
    } finally {
      h.clock.set('2026-03-15T18:00:00Z');
    }
    const events = await h.database.query<{ kind: string; n: string }>(sql`
      SELECT kind, count(*)::text AS n FROM portal_events WHERE debtor_id = ${(await idOf('D-2'))!} GROUP BY kind ORDER BY kind`);
    expect(events).toEqual([
      { kind: 'identity_failed', n: '4' },
      { kind: 'identity_locked', n: '1' },
      { kind: 'identity_passed', n: '1' },
    ]);
  });

  it('a collector can unlock it; the birth-date method reads the debtor attribute', async () => {
    const link = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-3' });
    for (let i = 0; i < 5; i++) await verify(link.token, 'ZZZZ');
    expect((await verify(link.token, '5K72')).statusCode).toBe(429);
    expect((await call(h.app, h.b.key, 'POST', '/debtors/D-3/portal-unlock', {})).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'POST', '/debtors/D-3/portal-unlock', {})).statusCode).toBe(204);
    expect((await verify(link.token, '5k72')).statusCode).toBe(200);

    await setPortalSettings(h.a.ctx, { identity_check: 'birth_date' });
    try {
      expect((await get(link.token)).json().identity).toMatchObject({ method: 'birth_date', available: false });
      expect((await verify(link.token, '1985-03-15')).statusCode).toBe(409);
      await call(h.app, h.a.key, 'PATCH', '/debtors/D-3', { attributes: { birth_date: '1985-03-15' } });
      expect((await get(link.token)).json().identity).toMatchObject({ method: 'birth_date', available: true });
      expect((await verify(link.token, '1985-03-16')).statusCode).toBe(401);
      expect((await verify(link.token, '1985-03-15')).statusCode).toBe(200);
    } finally {
      await setPortalSettings(h.a.ctx, { identity_check: 'tax_id_last4' });
    }
  });
});

describe('the verified portal', () => {
  let token: string;
  let session: string;

  beforeAll(async () => {
    token = (await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-1' })).token;
    const r = await verify(token, '9u48');
    expect(r.statusCode, r.body).toBe(200);
    session = r.json().session;
  });

  it('needs the session for anything about the debt', async () => {
    for (const [method, path] of [
      ['POST', '/payments'],
      ['POST', '/promises'],
      ['POST', '/disputes'],
    ] as const) {
      const r = await post(token, path, { currency: 'MXN', amount: '1', promised_on: '2026-03-20', obligation_id: 1, reason: 'not_mine' });
      expect(r.statusCode, `${method} ${path}`).toBe(401);
      expect(r.json().details).toContainEqual({ path: 'session', reason: 'identity_required' });
    }
    // A session is tied to its link: another link of the same debtor does not accept it.
    const other = await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-1' });
    expect((await get(other.token, '', session)).json().account).toBeNull();
  });

  it('shows obligations with days late and totals per currency', async () => {
    const view = (await get(token, '', session)).json();
    expect(view.identity.verified).toBe(true);
    expect(view.account.obligations.map((o: { external_id: string; balance: string; days_late: number }) => [o.external_id, o.balance, o.days_late])).toEqual([
      ['F-1', '5000.00', 64],
      ['F-2', '1500.50', 0],
    ]);
    expect(view.account.totals).toEqual([{ currency: 'MXN', balance: '6500.50', overdue: '5000.00' }]);
    expect(view.account.paid_in_full).toBe(false);
  });

  it('refuses a part payment above the balance and creates one link per amount per day', async () => {
    expect((await post(token, '/payments', { currency: 'MXN', amount: '6500.51' }, session)).statusCode).toBe(400);
    expect((await post(token, '/payments', { currency: 'USD' }, session)).statusCode).toBe(400);
    const a = await post(token, '/payments', { currency: 'MXN', amount: '1000' }, session);
    expect(a.statusCode, a.body).toBe(200);
    const b = await post(token, '/payments', { currency: 'MXN', amount: '1000.00' }, session);
    expect(b.json().public_id).toBe(a.json().public_id);
    expect(a.json()).toMatchObject({ provider: 'sandbox', amount: '1000.00', currency: 'MXN', status: 'open' });
  });

  it('promises a date within the policy and refuses one beyond its horizon with the reason', async () => {
    const late = await post(token, '/promises', { currency: 'MXN', amount: '2000.00', promised_on: '2026-05-30' }, session);
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json().code).toBe('policy_refused');
    const ok = await post(token, '/promises', { currency: 'MXN', amount: '2000.00', promised_on: '2026-03-25', idempotency_key: 'k1' }, session);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'open', amount: '2000.00', promised_on: '2026-03-25' });
    const again = await post(token, '/promises', { currency: 'MXN', amount: '2000.00', promised_on: '2026-03-25', idempotency_key: 'k1' }, session);
    expect(again.json().id).toBe(ok.json().id);
    const view = (await get(token, '', session)).json();
    expect(view.account.promises).toEqual([{ id: ok.json().id, currency: 'MXN', amount: '2000.00', promised_on: '2026-03-25', status: 'open' }]);
  });

  it('disputes an obligation: a dispute, a collector task, the obligation marked', async () => {
    const view = (await get(token, '', session)).json();
    const f2 = view.account.obligations.find((o: { external_id: string }) => o.external_id === 'F-2');
    expect((await post(token, '/disputes', { obligation_id: f2.id, reason: 'other' }, session)).statusCode).toBe(400);
    const r = await post(token, '/disputes', { obligation_id: f2.id, reason: 'wrong_amount', note: 'Me cobraron doble' }, session);
    expect(r.statusCode, r.body).toBe(201);
    expect((await post(token, '/disputes', { obligation_id: f2.id, reason: 'wrong_amount' }, session)).statusCode).toBe(409);
    const after = (await get(token, '', session)).json();
    expect(after.account.obligations.find((o: { external_id: string }) => o.external_id === 'F-2').disputed).toBe(true);
    const tasks = await h.database.query<{ kind: string; note: string }>(sql`SELECT kind, note FROM tasks WHERE debtor_id = ${(await idOf('D-1'))!} AND kind = 'dispute'`);
    expect(tasks).toEqual([{ kind: 'dispute', note: expect.stringContaining('El monto es incorrecto: Me cobraron doble') }]);
    // An obligation of another debtor is not found through this link.
    const other = await h.database.query<{ id: string }>(sql`SELECT id::text FROM obligations WHERE external_id = 'F-3'`);
    expect((await post(token, '/disputes', { obligation_id: Number(other[0]!.id), reason: 'not_mine' }, session)).statusCode).toBe(404);
  });

  it('updates contact details and channels, refusing bad ones without saving anything', async () => {
    const bad = await post(token, '/contact', { email: 'no-es-correo', phone: '55 1234 5678' }, session, 'PUT');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toContainEqual({ path: 'email', reason: 'is not an email address' });
    const ok = await post(token, '/contact', { email: 'ximena@example.mx', phone: '55 1234 5678', channels: { whatsapp: 'no', email: 'yes' } }, session, 'PUT');
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await post(token, '/opt-out', { channel: 'sms' }, session)).statusCode).toBe(204);
    const view = (await get(token, '', session)).json();
    expect(view.account.contact).toEqual({ email: 'ximena@example.mx', phone: '+525512345678', whatsapp: null });
    const channels = Object.fromEntries(view.account.channels.map((c: { channel: string; status: string; opted_out: boolean }) => [c.channel, [c.status, c.opted_out]]));
    expect(channels).toMatchObject({ email: ['granted', false], whatsapp: ['unknown', true], sms: ['unknown', true], call: ['unknown', false] });
  });

  it('records every action on the timeline', async () => {
    const r = await call(h.app, h.a.key, 'GET', '/debtors/D-1/timeline', undefined, { 'accept-language': 'es-MX' });
    expect(r.statusCode, r.body).toBe(200);
    const portalEntries = (r.json().data as { kind: string; summary: string }[]).filter((e) => e.kind === 'portal').map((e) => e.summary);
    expect(portalEntries).toEqual(
      expect.arrayContaining([
        'Portal: el deudor confirmó su identidad',
        'Portal: el deudor inició un pago',
        'Portal: el deudor prometió una fecha de pago',
        'Portal: el deudor disputó un documento',
        'Portal: el deudor actualizó sus datos de contacto',
        'Portal: el deudor se dio de baja de un canal',
      ]),
    );
  });
});

describe('paying in full', () => {
  it('pays with the sandbox, then offers the paid-in-full letter as a PDF', async () => {
    const token = (await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-3' })).token;
    const session = (await verify(token, '5K72')).json().session as string;
    expect((await get(token, '/letter', session)).statusCode).toBe(409);
    const pay = await post(token, '/payments', { currency: 'MXN' }, session);
    expect(pay.json()).toMatchObject({ amount: '300.00', provider: 'sandbox' });
    // Another debtor's link cannot complete it.
    const otherToken = (await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-1' })).token;
    const otherSession = (await verify(otherToken, '9U48')).json().session as string;
    expect((await post(otherToken, `/payments/${pay.json().public_id}/sandbox-complete`, {}, otherSession)).statusCode).toBe(404);

    const done = await post(token, `/payments/${pay.json().public_id}/sandbox-complete`, {}, session);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('paid');
    const view = (await get(token, '', session)).json();
    expect(view.account).toMatchObject({ obligations: [], totals: [], paid_in_full: true });
    const letter = await get(token, '/letter', session);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(letter.headers['content-disposition']).toContain('carta-finiquito-D-3.pdf');
  });
});

describe('payment plans', () => {
  it('lists the options of the policy, agrees to the chosen one, and sends a plan outside it for approval', async () => {
    const token = (await issuePortalLink(h.a.ctx, { debtorExternalId: 'D-4' })).token;
    const session = (await verify(token, '736A')).json().session as string;
    const listed = await get(token, '/plan-options?currency=MXN', session);
    expect(listed.statusCode, listed.body).toBe(200);
    const options = listed.json().options as { key: string; kind: string; installments: number; total: string; schedule: { amount: string }[] }[];
    expect(options.length).toBeGreaterThan(0);
    for (const o of options.filter((x) => x.kind === 'plan')) {
      // Every offered schedule adds up to its total exactly.
      const sum = o.schedule.reduce((acc, s) => acc + BigInt(s.amount.replace('.', '')), 0n);
      expect(sum, o.key).toBe(BigInt(o.total.replace('.', '')));
      expect(o.installments).toBeLessThanOrEqual(12);
    }
    expect((await post(token, '/plans', { currency: 'MXN', key: 'plan:monthly:99' }, session)).statusCode).toBe(404);

    const outside = await post(token, '/plan-requests', { currency: 'MXN', installments: 24, frequency: 'monthly', first_installment_on: '2026-04-01', note: 'Perdí mi empleo' }, session);
    expect(outside.statusCode, outside.body).toBe(201);
    // Beyond the 12 installments the policy allows, but approvable by a supervisor: it waits for approval, with a task.
    expect(outside.json()).toMatchObject({ status: 'pending_approval', task_id: null });
    const approval = await h.database.query<{ approval_task_id: string | null; note: string | null }>(sql`SELECT approval_task_id::text, note FROM payment_plans WHERE id = ${outside.json().plan_id}`);
    expect(approval[0]).toMatchObject({ approval_task_id: expect.any(String), note: 'Perdí mi empleo' });
    // A collector rejects the pending request.
    await h.database.query(sql`UPDATE payment_plans SET status = 'rejected' WHERE id = ${outside.json().plan_id}`);
    // With a policy that allows no exceptions, the request cannot wait for approval: a collector gets a call task.
    await setPolicy(h.a.ctx, { document: { approval: { role: 'supervisor', exceptions: false } } });
    const refused = await post(token, '/plan-requests', { currency: 'MXN', installments: 6, frequency: 'weekly', first_installment_on: '2027-03-01' }, session);
    await setPolicy(h.a.ctx, { document: {} });
    expect(refused.statusCode, refused.body).toBe(201);
    expect(refused.json()).toMatchObject({ plan_id: null, status: 'sent_to_collector', task_id: expect.any(Number) });
    const task = await h.database.query<{ note: string }>(sql`SELECT note FROM tasks WHERE id = ${refused.json().task_id}`);
    expect(task[0]!.note).toContain('Solicitud de plan desde el portal: 6 pagos semanales desde el 2027-03-01');
    // The debtor then picks a plan the policy offers.

    const chosen = options.find((o) => o.kind === 'plan')!;
    const r = await post(token, '/plans', { currency: 'MXN', key: chosen.key }, session);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'active', total: chosen.total, currency: 'MXN' });
    const view = (await get(token, '', session)).json();
    expect(view.account.plans).toHaveLength(1);
    expect(view.account.plans[0]).toMatchObject({ status: 'active', total: chosen.total });
  });
});
