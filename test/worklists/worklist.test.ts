import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/tables/access.ts';
import { tasks } from '../../src/db/schema.ts';
import { storedReason } from '../../src/domain/compliance/index.ts';
import { addHold } from '../../src/modules/collection-runs/index.ts';
import { deletePayment, reversePayment } from '../../src/modules/portfolio/index.ts';
import {
  assignByHand,
  assignmentHistory,
  autoAssign,
  getDebtor360,
  getWorklist,
  logInteraction,
  queueSizes,
  refreshWorklistScores,
  saveAssignmentRule,
  setCollector,
  WORKLIST_CATEGORIES,
  worklistSummary,
} from '../../src/modules/worklists/index.ts';
import { createBook, taskStatus, type Book } from './setup.ts';

describe('assignment, "Mi día" and interactions', () => {
  let book: Book;
  let ana: number;
  let beto: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    book = await createBook();
    ana = await book.user('ana@acme.example', 'collector');
    beto = await book.user('beto@acme.example', 'collector');
    // Portfolio: dpd and balance chosen so expected recovery has a clear order.
    ids.CALL = await book.debtor('CALL', { dpd: 10, amount: 50_000n, region: 'Norte' });
    ids.BROKEN = await book.debtor('BROKEN', { dpd: 40, amount: 80_000n, region: 'Norte' });
    ids.REPLY = await book.debtor('REPLY', { dpd: 3, amount: 20_000n, region: 'Norte' });
    ids.PLAN = await book.debtor('PLAN', { dpd: 70, amount: 90_000n, region: 'Norte' });
    ids.CASH = await book.debtor('CASH', { dpd: 15, amount: 30_000n, region: 'Norte' });
    ids.FRESH = await book.debtor('FRESH', { dpd: 5, amount: 1_000_000n, region: 'Norte' }); // 10,000.00 MXN at 1–30
    ids.OLD = await book.debtor('OLD', { dpd: 200, amount: 2_000_000n, region: 'Norte' }); // 20,000.00 MXN at 181+
    ids.NOPHONE = await book.debtor('NOPHONE', { dpd: 5, amount: 900_000n, region: 'Norte', phone: null });
    ids.HELD = await book.debtor('HELD', { dpd: 5, amount: 5_000_000n, region: 'Norte' });
    ids.SUR1 = await book.debtor('SUR1', { dpd: 20, amount: 10_000n, region: 'Sur' });
    ids.SUR2 = await book.debtor('SUR2', { dpd: 20, amount: 10_000n, region: 'Sur' });
    ids.SUR3 = await book.debtor('SUR3', { dpd: 20, amount: 10_000n, region: 'Sur' });
    await addHold(book.ctx, { debtorExternalId: 'HELD', reason: 'legal' });
    await book.run();
  });
  afterAll(async () => book.close());

  it('assigns by rule first, then round-robin under capacity, and never twice', async () => {
    await setCollector(book.ctx, { collectorId: ana, capacity: 100 });
    await setCollector(book.ctx, { collectorId: beto, capacity: 2 });
    await saveAssignmentRule(book.ctx, { name: 'Norte', region: 'Norte', collectorIds: [ana], priority: 10 });
    const first = await autoAssign(book.ctx);
    // 9 Norte accounts go to Ana by rule; the 3 Sur accounts round-robin: Beto has room for 2, Ana (least loaded
    // first? no: Beto holds 0, Ana 9) — slots are numbered per round, so Beto takes 2 and Ana the third.
    expect(first.byRule).toEqual({ Norte: 9, '(round-robin)': 3 });
    expect(first.unassigned).toBe(0);
    const sizes = Object.fromEntries((await queueSizes(book.ctx)).map((q) => [q.collector_id, q.accounts]));
    expect(sizes[beto]).toBe(2);
    expect(sizes[ana]).toBe(10);
    const again = await autoAssign(book.ctx);
    expect(again.assigned).toBe(0);
  });

  it('refuses a collector who is not a user of the company', async () => {
    await expect(setCollector(book.ctx, { collectorId: 999_999 })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('moving work by hand keeps the history', async () => {
    const sur = await book.database.query<{ collector_id: string }>(sql`SELECT collector_id FROM assignments WHERE debtor_id = ${ids.SUR1} AND valid_to IS NULL`);
    const target = Number(sur[0]!.collector_id) === ana ? beto : ana;
    const moved = await assignByHand(book.ctx, { debtorExternalIds: ['SUR1'], collectorId: target, reason: 'vacaciones' });
    expect(moved.moved).toBe(1);
    const history = await assignmentHistory(book.ctx, ids.SUR1!);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ collector_id: target, valid_to: null, source: 'moved', reason: 'vacaciones' });
    expect(history[1]!.valid_to).not.toBeNull();
    // Put every Sur account with Beto, so Ana's list is the Norte book.
    await assignByHand(book.ctx, { debtorExternalIds: ['SUR1', 'SUR2', 'SUR3'], collectorId: beto, reason: 'zona sur' });
    const audit = await book.database.db.select().from(auditLog).where(and(eq(auditLog.companyId, book.companyId), eq(auditLog.action, 'assignment.move')));
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('orders "Mi día": call tasks, broken promises, replies, plans, unapplied payments, then the portfolio by expected recovery', async () => {
    const call = await book.task(ids.CALL!, 'call');
    await book.task(ids.BROKEN!, 'promise_broken', 'Promesa #7 incumplida');
    await book.reply(ids.REPLY!, '¿Puedo pagar el viernes?');
    await book.task(ids.PLAN!, 'plan_approval');
    await book.pay(ids.CASH!, 'P-USD', 10_000n, 'USD'); // a currency CASH does not owe: stays unapplied
    await book.task(ids.SUR2!, 'call'); // Beto's, not Ana's
    await refreshWorklistScores(book.ctx);
    const list = await getWorklist(book.ctx, { collectorId: ana, limit: 10 });
    const cats = list.items.map((i) => i.category);
    const order = cats.map((c) => WORKLIST_CATEGORIES.indexOf(c));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(list.items.slice(0, 5).map((i) => [i.category, i.debtor_external_id])).toEqual([
      ['call_task', 'CALL'],
      ['promise_broken', 'BROKEN'],
      ['reply', 'REPLY'],
      ['plan_approval', 'PLAN'],
      ['unapplied_payment', 'CASH'],
    ]);
    expect(list.items[0]!.ref).toBe(call);
    const portfolio = list.items.filter((i) => i.category === 'portfolio').map((i) => i.debtor_external_id);
    // Not repeated below, held accounts are not worked, the other collector's accounts are not here.
    expect(portfolio).not.toContain('CALL');
    expect(portfolio).not.toContain('HELD');
    expect(portfolio.some((d) => d.startsWith('SUR'))).toBe(false);
    // 10,000 at 5 days beats 20,000 at 200 days; an account without a phone or email is worth less of a collector's time.
    expect(portfolio.indexOf('FRESH')).toBeLessThan(portfolio.indexOf('OLD'));
    expect(portfolio.indexOf('FRESH')).toBeLessThan(portfolio.indexOf('NOPHONE'));
    const expected = list.items.filter((i) => i.category === 'portfolio').map((i) => Number(i.expected_recovery));
    expect(expected).toEqual([...expected].sort((a, b) => b - a));
    const beto1 = await getWorklist(book.ctx, { collectorId: beto });
    expect(beto1.items[0]).toMatchObject({ category: 'call_task', debtor_external_id: 'SUR2' });
  });

  it("says why each item is there in the reader's language; a call task the gate put off says why, also a note stored as a sentence before", async () => {
    const reason = async (language: 'en' | 'es') => (await getWorklist(book.ctx, { collectorId: beto, language })).items.find((i) => i.category === 'call_task')!.reason;
    expect(await reason('en')).toBe('Call scheduled by the strategy');
    expect(await reason('es')).toBe('Llamada programada por la estrategia');
    const setNote = (note: string | null) => book.database.db.update(tasks).set({ note }).where(and(eq(tasks.debtorId, ids.SUR2!), eq(tasks.kind, 'call')));
    await setNote(storedReason({ code: 'hours', channel: 'call', weekday: 7, windows: [{ days: [7], from: '09:00', to: '14:00' }], rules: { es: 'México', en: 'Mexico' } }));
    expect(await reason('en')).toBe("Call scheduled by the strategy: Outside the hours allowed for contact by call in Mexico: on Sunday only 09:00 to 14:00 (debtor's local time).");
    expect(await reason('es')).toMatch(/^Llamada programada por la estrategia: Fuera del horario permitido para contactar por llamada en México: el domingo solo /);
    const old = 'Fuera del horario permitido para contactar por llamada en México.';
    await setNote(old);
    expect(await reason('en')).toBe(`Call scheduled by the strategy: ${old}`);
    await setNote(null);
  });

  it('pages the portfolio section with a cursor and no repeats', async () => {
    const first = await getWorklist(book.ctx, { collectorId: ana, limit: 1 });
    expect(first.next_cursor).not.toBeNull();
    const second = await getWorklist(book.ctx, { collectorId: ana, limit: 1, cursor: first.next_cursor! });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.category).toBe('portfolio');
    expect(second.items[0]!.debtor_external_id).not.toBe(first.items.at(-1)!.debtor_external_id);
    await expect(getWorklist(book.ctx, { collectorId: ana, cursor: 'garbage!' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('counts the whole list, not the page: accounts to work today, items needing a person, accounts assigned', async () => {
    const seen = new Set<string>();
    let attention = 0;
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await getWorklist(book.ctx, { collectorId: ana, limit: 2, cursor });
      for (const item of page.items) seen.add(item.debtor_external_id);
      attention += page.items.filter((item) => item.category !== 'portfolio').length;
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const summary = await worklistSummary(book.ctx, { collectorId: ana });
    expect(summary).toMatchObject({ collector_id: ana, as_of: book.today, accounts: seen.size, attention });
    expect(attention).toBe(5);
    // HELD is assigned but on hold: assigned, yet not in the list.
    expect(summary.assigned).toBe((await queueSizes(book.ctx)).find((q) => q.collector_id === ana)!.accounts);
    expect(summary.assigned).toBeGreaterThan(summary.accounts);
  });

  it('a call with a promise creates the promise through negotiation, closes the task and shows on the timeline', async () => {
    const [t] = await book.database.query<{ id: string }>(sql`SELECT id FROM tasks WHERE debtor_id = ${ids.CALL} AND kind = 'call'`);
    const anaCtx = book.as(ana, 'collector');
    const r = await logInteraction(anaCtx, {
      debtorExternalId: 'CALL',
      channel: 'call',
      outcome: 'promise',
      notes: 'Paga el viernes',
      taskId: Number(t!.id),
      promise: { amount: '500.00', date: '2026-03-20' },
      idempotencyKey: 'k-1',
    });
    expect(r.created).toBe(true);
    expect(r.interaction).toMatchObject({ outcome: 'promise', collector_id: ana, promise: { amount: '500.00', currency: 'MXN', date: '2026-03-20' } });
    expect(r.interaction.promise!.id).toBeGreaterThan(0);
    expect(await taskStatus(book, Number(t!.id))).toBe('done');
    const again = await logInteraction(anaCtx, { debtorExternalId: 'CALL', channel: 'call', outcome: 'promise', promise: { amount: '500.00', date: '2026-03-20' }, idempotencyKey: 'k-1' });
    expect(again.created).toBe(false);
    expect(again.interaction.id).toBe(r.interaction.id);

    const view = await getDebtor360(anaCtx, { externalId: 'CALL', language: 'es' });
    expect(view.promises).toHaveLength(1);
    expect(view.promises[0]).toMatchObject({ amount: '500.00', currency: 'MXN', date: '2026-03-20', status: 'open' });
    expect(view.interactions).toHaveLength(1);
    const entry = view.timeline.find((e) => e.kind === 'interaction');
    // Summaries speak as the back office does: dates as "20 mar 2026", hold reasons and phases in words.
    expect(entry?.summary).toContain('promesa de 500.00 MXN para el 20 mar 2026');
    expect(view.timeline.find((e) => e.kind === 'hold')?.summary).toMatch(/^Suspensión por promesa de pago desde el \d{1,2} [a-z]{3} 2026 hasta el \d{1,2} [a-z]{3} 2026$/);
    expect(view.debtor.balances).toEqual({ MXN: '500.00' });
    expect(view.contacts.find((c) => c.channel === 'email')).toMatchObject({ address: 'call@example.com' });
    expect(view.actions.find((a) => a.action === 'write_off')).toMatchObject({ allowed: false, reason: 'Su rol no permite esta acción' });
    expect(view.actions.find((a) => a.action === 'log_interaction')).toMatchObject({ allowed: true });
    // In English, the gate's reasons and why an action is not available are English; the codes are the same.
    const en = await getDebtor360(anaCtx, { externalId: 'CALL', language: 'en' });
    expect(en.actions.find((a) => a.action === 'write_off')).toMatchObject({ allowed: false, reason: 'Your role does not allow this action' });
    const gate = (v: typeof en, channel: string) => v.contacts.find((c) => c.channel === channel)!.gate;
    expect(gate(en, 'email')).toMatchObject({ allowed: false, reason_code: 'hold', reason: expect.stringMatching(/^The account is on hold because of an open promise to pay/) });
    expect(gate(view, 'email')).toMatchObject({ allowed: false, reason_code: 'hold', reason: expect.stringMatching(/^La cuenta tiene una suspensión por/) });
    const noPhone = (language: 'en' | 'es') => getDebtor360(book.ctx, { externalId: 'NOPHONE', language });
    expect(gate(await noPhone('en'), 'sms')).toMatchObject({ allowed: false, rule: 'no_address', reason_code: 'address_missing', reason: 'No contact detail for this channel' });
    expect(gate(await noPhone('es'), 'sms')).toMatchObject({ reason: 'Sin dato de contacto para este canal' });
    // The account worked today leaves the portfolio section; its promise holds collection.
    const list = await getWorklist(book.ctx, { collectorId: ana, limit: 50 });
    expect(list.items.some((i) => i.debtor_external_id === 'CALL')).toBe(false);
  });

  it('refuses a bad interaction with reasons and records nothing', async () => {
    const before = await book.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM interactions`);
    await expect(logInteraction(book.ctx, { debtorExternalId: 'OLD', channel: 'fax', outcome: 'maybe' })).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'channel' }, { path: 'outcome' }] });
    await expect(logInteraction(book.ctx, { debtorExternalId: 'OLD', channel: 'call', outcome: 'promise' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(logInteraction(book.ctx, { debtorExternalId: 'OLD', channel: 'call', outcome: 'promise', promise: { amount: '10.00', currency: 'USD', date: '2026-03-20' } })).rejects.toThrow(/owes nothing in USD/);
    await expect(logInteraction(book.ctx, { debtorExternalId: 'OLD', channel: 'call', outcome: 'promise', promise: { amount: '10.00', date: '2026-03-01' } })).rejects.toThrow(/before today/);
    await expect(logInteraction(book.ctx, { debtorExternalId: 'NOPE', channel: 'call', outcome: 'no_answer' })).rejects.toMatchObject({ code: 'not_found' });
    const after = await book.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM interactions`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('an unapplied payment follows its debtor: to the collector the account moves to, out when reversed or deleted, into a new assignment', async () => {
    const unappliedOf = async (collectorId: number) =>
      (await getWorklist(book.ctx, { collectorId, limit: 1 })).items.filter((i) => i.category === 'unapplied_payment').map((i) => i.debtor_external_id);
    expect(await unappliedOf(ana)).toEqual(['CASH']);
    await assignByHand(book.ctx, { debtorExternalIds: ['CASH'], collectorId: beto, reason: 'cuenta en dólares' });
    expect(await unappliedOf(ana)).toEqual([]);
    expect(await unappliedOf(beto)).toEqual(['CASH']);
    await reversePayment(book.ctx, { externalId: 'P-USD', reason: 'cheque devuelto' });
    expect(await unappliedOf(beto)).toEqual([]);
    await book.pay(ids.SUR3!, 'P-SUR3', 50_000n); // SUR3 owes 100.00: 400.00 stays as credit
    expect(await unappliedOf(beto)).toEqual(['SUR3']);
    await deletePayment(book.ctx, { externalId: 'P-SUR3' });
    expect(await unappliedOf(beto)).toEqual([]);
    // The small index behind the section keeps only debtors with credit.
    const flagged = await book.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM assignments WHERE company_id = ${book.companyId} AND valid_to IS NULL AND has_credit`);
    expect(flagged[0]!.n).toBe(0);
    // A debtor with credit before it is assigned brings it to the collector it is assigned to.
    ids.LATE = await book.debtor('LATE', { dpd: 12, amount: 40_000n, region: 'Norte' });
    await book.pay(ids.LATE, 'P-LATE', 5_000n, 'USD');
    await book.run();
    await autoAssign(book.ctx);
    expect(await unappliedOf(ana)).toEqual(['LATE']);
  });
});
