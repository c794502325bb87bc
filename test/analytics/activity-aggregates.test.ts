import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRate, promiseKeptRate, rightPartyContactRate, type PromiseOutcome } from '../../src/domain/kpis.ts';
import { getDashboard, refreshActivity, refreshBackOffice, type Dashboard, type DashboardFilters } from '../../src/modules/analytics/index.ts';
import { addSegment } from '../../src/modules/collection-runs/index.ts';
import { textArray } from '../../src/modules/messaging/index.ts';
import { evaluateCommitments } from '../../src/modules/negotiation/index.ts';
import { ANSWERED_OUTCOMES, logInteraction, RIGHT_PARTY_OUTCOMES } from '../../src/modules/worklists/index.ts';
import { createBook, type Book } from '../worklists/setup.ts';

/**
 * The dashboard's contact, per-collector and per-channel figures from the activity aggregates equal the figures the
 * source tables give (the queries the dashboard ran before the aggregates, below as `raw`), on a book worked by hand
 * (company time zone America/Mexico_City, UTC−6; instants below in UTC):
 *
 * - 10 January: Ana takes a promise from D for 15 January (never paid: broken, resolved 17 January, but only evaluated
 *   on 12 March, so long after the days it belongs to were summed).
 * - 2 March, 16:00: messages m1 SMS to A (strategy consumo, step late-3), m2 WhatsApp to B (late-3, read), m3 SMS to C
 *   (late-10, failed, never sent), m4 email to C (no strategy), m7 SMS to E (late-3); m5 SMS to A at 05:30 on 3 March,
 *   still 2 March in Mexico City. Ana calls A (reached), B (no answer), writes a note on A, takes a promise from C for
 *   5 March (broken); Beto takes a promise from B for 6 March (paid on the 6th: kept); a call with no collector to C.
 * - Replies: A on WhatsApp (not m1's channel); B on WhatsApp at 7 days less a second after m2 (counts); E on SMS at
 *   exactly 7 days after m7 (does not). Payments: A on 9 March (day 7 of m1 and m5: counts; also within m9's days),
 *   B on 6 March, E on 10 March (day 8 of m7: does not), C on 4 March, reversed (does not).
 * - 3 March: m6 SMS to D. 8 March: m9 WhatsApp to A. 12 March (today): Ana calls A, m8 SMS to A.
 *
 * Portfolio, phase and segment (ADR 0011): the strategy's messages name its portfolio (the book's); B and C also owe
 * in "tarjetas", and F only there; A and C are in segment "jalisco" (region JAL). Runs on 10 January (everyone
 * administrative) and 3 March: A, D (its promise's hold is over) and E, 72 days late, become extrajudicial; B and C
 * keep their phase under their promises' holds. F: Beto takes a promise on 15 February (broken) and an SMS without strategy goes to F; E gets an
 * SMS on 5 January, before any run (no account that day: counted only without these filters).
 */
describe('activity aggregates', () => {
  let book: Book;
  let ana: number;
  let beto: number;
  let consumo: number;
  const ids: Record<string, number> = {};
  let seq = 0;

  let tarjetas: number;
  const message = async (debtor: string, channel: string, at: string, o: { status?: string; strategy?: number; step?: string } = {}) => {
    const status = o.status ?? 'delivered';
    const sent = status === 'refused' || status === 'failed' ? null : at;
    // A strategy's message names the strategy's portfolio, as planning writes it.
    await book.database.db.execute(sql`
      INSERT INTO outbox_messages (company_id, debtor_id, portfolio_id, strategy_id, step_id, channel, template_key, idempotency_key, cause, cause_date, scheduled_for, next_attempt_at,
                                   status, sent_at, delivered_at, read_at, failed_at, created_at, updated_at)
      VALUES (${book.companyId}, ${ids[debtor]!}, ${o.strategy ? book.portfolioId : null}, ${o.strategy ?? null}, ${o.step ?? null}, ${channel}, 'late_3_days', ${`m${++seq}`}, 'test', ${at.slice(0, 10)}, ${at}, ${at},
              ${status}, ${sent}, ${status === 'delivered' || status === 'read' ? at : null}, ${status === 'read' ? at : null}, ${status === 'failed' ? at : null}, ${at}, ${at})`);
  };
  const reply = async (debtor: string, channel: string, at: string) => {
    await book.database.db.execute(sql`
      INSERT INTO inbound_messages (company_id, debtor_id, channel, provider_message_id, from_address, text, received_at)
      VALUES (${book.companyId}, ${ids[debtor]!}, ${channel}, ${`in-${++seq}`}, '+525512345678', 'ok', ${at})`);
  };
  const call = async (who: number | null, debtor: string, outcome: string, extra: { channel?: string; promise?: { amount: string; date: string } } = {}) => {
    await logInteraction(who === null ? book.ctx : book.as(who, 'collector'), { debtorExternalId: debtor, channel: extra.channel ?? 'call', outcome, ...(extra.promise && { promise: extra.promise }) });
  };
  const at = async (instant: string, work: () => Promise<void>) => {
    book.clock.set(instant);
    await work();
  };
  const tables = () =>
    Promise.all(['kpi_daily_interactions', 'kpi_daily_promise_outcomes', 'kpi_daily_messages'].map((t) => book.database.query(sql`SELECT * FROM ${sql.raw(t)} ORDER BY 1, 2, 3, 4, 5`)));

  beforeAll(async () => {
    book = await createBook('acme', '2026-01-10T18:00:00Z');
    ana = await book.user('ana@acme.example', 'collector');
    beto = await book.user('beto@acme.example', 'collector');
    for (const x of ['A', 'B', 'C', 'D', 'E', 'F']) ids[x] = await book.debtor(x, { dpd: 20, amount: 100_000n, ...((x === 'A' || x === 'C') && { region: 'JAL' }) });
    const [t] = await book.database.query<{ id: string }>(sql`INSERT INTO portfolios (company_id, name) VALUES (${book.companyId}, 'tarjetas') RETURNING id`);
    tarjetas = Number(t!.id);
    await book.database.db.execute(sql`UPDATE obligations SET portfolio_id = ${tarjetas} WHERE company_id = ${book.companyId} AND external_id = 'F-1'`);
    // Issued before the first run (10 January): owed in "tarjetas" from it on.
    for (const x of ['B', 'C']) {
      await book.database.db.execute(sql`
        INSERT INTO obligations (company_id, portfolio_id, debtor_id, external_id, currency, amount, balance, due_on, issued_on)
        VALUES (${book.companyId}, ${tarjetas}, ${ids[x]!}, ${`${x}-T`}, 'MXN', 50000, 50000, '2026-02-20', '2026-01-05')`);
    }
    await addSegment(book.ctx, { name: 'jalisco', rule: "region = 'JAL'" });
    const [s] = await book.database.query<{ id: string }>(sql`INSERT INTO strategies (company_id, portfolio_id, name, status) VALUES (${book.companyId}, ${book.portfolioId}, 'consumo', 'paused') RETURNING id`);
    consumo = Number(s!.id);
    await message('E', 'sms', '2026-01-05T16:00:00Z');
    await book.run('2026-01-10');
    await call(ana, 'D', 'promise', { promise: { amount: '1000.00', date: '2026-01-15' } });
    await refreshActivity(book.ctx);
    await at('2026-02-15T17:00:00Z', async () => {
      await call(beto, 'F', 'promise', { promise: { amount: '500.00', date: '2026-02-20' } });
      await message('F', 'sms', '2026-02-15T17:00:00Z');
    });
    await at('2026-03-01T18:00:00Z', () => refreshActivity(book.ctx).then(() => undefined));

    await at('2026-03-02T16:00:00Z', async () => {
      await message('A', 'sms', '2026-03-02T16:00:00Z', { strategy: consumo, step: 'late-3' });
      await message('B', 'whatsapp', '2026-03-02T16:00:00Z', { strategy: consumo, step: 'late-3', status: 'read' });
      await message('C', 'sms', '2026-03-02T16:00:00Z', { strategy: consumo, step: 'late-10', status: 'failed' });
      await message('C', 'email', '2026-03-02T16:00:00Z');
      await message('E', 'sms', '2026-03-02T16:00:00Z', { strategy: consumo, step: 'late-3' });
      await call(ana, 'A', 'contacted_debtor');
      await call(ana, 'B', 'no_answer');
      await call(ana, 'A', 'contacted_debtor', { channel: 'note' });
      await call(ana, 'C', 'promise', { promise: { amount: '1000.00', date: '2026-03-05' } });
      await call(beto, 'B', 'promise', { promise: { amount: '1000.00', date: '2026-03-06' } });
      await call(null, 'C', 'wrong_number');
    });
    await at('2026-03-03T13:00:00Z', () => book.run('2026-03-03'));
    await message('A', 'sms', '2026-03-03T05:30:00Z', { strategy: consumo, step: 'late-3' });
    await message('D', 'sms', '2026-03-03T16:00:00Z', { strategy: consumo, step: 'late-3' });
    await message('A', 'whatsapp', '2026-03-08T16:00:00Z', { strategy: consumo, step: 'late-10' });
    await reply('A', 'whatsapp', '2026-03-03T16:00:00Z');
    await reply('B', 'whatsapp', '2026-03-09T15:59:59Z');
    await reply('E', 'sms', '2026-03-09T16:00:00Z');
    await book.pay(ids.A!, 'PA', 10_000n, 'MXN', '2026-03-09');
    await book.pay(ids.B!, 'PB', 100_000n, 'MXN', '2026-03-06');
    await book.pay(ids.E!, 'PE', 10_000n, 'MXN', '2026-03-10');
    await book.pay(ids.C!, 'PC', 100_000n, 'MXN', '2026-03-04');
    await book.database.db.execute(sql`UPDATE payments SET reversed_at = '2026-03-05T16:00:00Z', reversal_reason = 'cheque devuelto' WHERE external_id = 'PC'`);

    await at('2026-03-12T17:00:00Z', async () => {
      await evaluateCommitments(book.ctx, { asOf: '2026-03-12' });
      await call(ana, 'A', 'contacted_debtor');
      await message('A', 'sms', '2026-03-12T17:00:00Z', { strategy: consumo, step: 'late-10' });
    });
    book.clock.set('2026-03-12T18:00:00Z');
  });
  afterAll(async () => book.close());

  /** The accounts a dashboard's portfolio, phase and segment filters pick. */
  type AccountFilter = Pick<DashboardFilters, 'portfolio' | 'phase' | 'segment'>;

  /**
   * The figures straight from the source tables, as the dashboard computed them before the aggregates; with account
   * filters, an activity counts when its debtor had an account matching them all on the day of the activity (a
   * promise: the day it was taken), in the message's own portfolio when it names one.
   */
  async function raw(from: string, to: string, collectorId?: number, filter: AccountFilter = {}) {
    const c = book.companyId;
    const tz = sql`(SELECT time_zone FROM companies WHERE id = ${c})`;
    const period = (column: string) => sql`${sql.raw(column)} >= (${from}::date::timestamp AT TIME ZONE ${tz}) AND ${sql.raw(column)} < ((${to}::date + 1)::timestamp AT TIME ZONE ${tz})`;
    const mine = collectorId !== undefined ? sql`AND i.collector_id = ${collectorId}` : sql``;
    const matches = (debtorId: string, day: SQL, ownPortfolio?: string) =>
      !filter.portfolio && !filter.phase && !filter.segment
        ? sql``
        : sql`AND EXISTS (SELECT 1 FROM account_history h JOIN portfolios pf ON pf.id = h.portfolio_id
                           WHERE h.debtor_id = ${sql.raw(debtorId)} AND h.valid_from <= ${day} AND (h.valid_to IS NULL OR h.valid_to > ${day})
                             ${filter.portfolio ? sql`AND pf.name = ${filter.portfolio}` : sql``} ${filter.phase ? sql`AND h.phase = ${filter.phase}` : sql``}
                             ${filter.segment ? sql`AND ${filter.segment} = ANY(h.segments)` : sql``}
                             ${ownPortfolio ? sql`AND (${sql.raw(ownPortfolio)} IS NULL OR h.portfolio_id = ${sql.raw(ownPortfolio)})` : sql``})`;
    const interactionDay = sql`(i.occurred_at AT TIME ZONE ${tz})::date`;
    const [contact] = await book.database.query<{ attempts: number; answered: number; right_party: number }>(sql`
      SELECT count(*) FILTER (WHERE i.channel <> 'note')::int AS attempts,
             count(*) FILTER (WHERE i.channel <> 'note' AND i.outcome = ANY(${textArray(ANSWERED_OUTCOMES)}))::int AS answered,
             count(*) FILTER (WHERE i.channel <> 'note' AND i.outcome = ANY(${textArray(RIGHT_PARTY_OUTCOMES)}))::int AS right_party
        FROM interactions i WHERE i.company_id = ${c} AND ${period('i.occurred_at')} ${mine} ${matches('i.debtor_id', interactionDay)}`);
    const resolved = await book.database.query<{ status: string; n: number }>(sql`
      SELECT p.status, count(*)::int AS n FROM promises p
       WHERE p.company_id = ${c} AND p.resolved_on BETWEEN ${from}::date AND ${to}::date AND p.status IN ('kept', 'partially_kept', 'broken')
         ${collectorId !== undefined ? sql`AND EXISTS (SELECT 1 FROM interactions i WHERE i.promise_id = p.id AND i.collector_id = ${collectorId})` : sql``}
         ${matches('p.debtor_id', sql`p.taken_on`)}
       GROUP BY p.status`);
    const outcomes: PromiseOutcome[] = resolved.flatMap((r) => Array<PromiseOutcome>(r.n).fill(r.status === 'kept' ? 'kept' : 'broken'));
    const collectors = await book.database.query(sql`
      SELECT i.collector_id::int AS collector_id, count(*)::int AS interactions,
             count(*) FILTER (WHERE i.outcome = ANY(${textArray(ANSWERED_OUTCOMES)}))::int AS answered,
             count(*) FILTER (WHERE i.outcome = ANY(${textArray(RIGHT_PARTY_OUTCOMES)}))::int AS right_party,
             count(*) FILTER (WHERE i.outcome = 'promise')::int AS promises,
             count(*) FILTER (WHERE p.status = 'kept')::int AS kept,
             count(*) FILTER (WHERE p.status IN ('broken', 'partially_kept'))::int AS broken
        FROM interactions i LEFT JOIN promises p ON p.id = i.promise_id
       WHERE i.company_id = ${c} AND i.collector_id IS NOT NULL AND ${period('i.occurred_at')} ${mine} ${matches('i.debtor_id', interactionDay)}
       GROUP BY i.collector_id ORDER BY 1`);
    // Replies and payments per message, counted by joins here (the dashboard asks whether one exists).
    const channels = (perStep: boolean) =>
      book.database.query(sql`
        SELECT m.channel, ${perStep ? sql`s.name AS strategy, m.step_id AS step,` : sql``}
               count(*) FILTER (WHERE m.sent_at IS NOT NULL)::int AS sent,
               count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.status IN ('delivered', 'read'))::int AS delivered,
               count(*) FILTER (WHERE m.read_at IS NOT NULL OR m.status = 'read')::int AS read,
               count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
               count(*) FILTER (WHERE m.sent_at IS NOT NULL AND r.n > 0)::int AS replied,
               count(*) FILTER (WHERE m.sent_at IS NOT NULL AND pay.n > 0)::int AS paid_within_7_days
          FROM outbox_messages m ${perStep ? sql`LEFT JOIN strategies s ON s.id = m.strategy_id` : sql``}
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM inbound_messages i
                               WHERE i.debtor_id = m.debtor_id AND i.channel = m.channel AND i.received_at - m.sent_at >= interval '0' AND i.received_at - m.sent_at < interval '7 days') r
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM payments p
                               WHERE p.debtor_id = m.debtor_id AND p.reversed_at IS NULL AND p.paid_on - (m.sent_at AT TIME ZONE ${tz})::date BETWEEN 0 AND 7) pay
         WHERE m.company_id = ${c} AND ${period('m.created_at')} ${matches('m.debtor_id', sql`(m.created_at AT TIME ZONE ${tz})::date`, 'm.portfolio_id')}
         GROUP BY m.channel ${perStep ? sql`, s.name, m.step_id` : sql``} ORDER BY ${perStep ? sql`2, 3, 1` : sql`1`}`);
    return {
      kpis: { contact_rate: contactRate(contact!.answered, contact!.attempts).value, right_party_contact_rate: rightPartyContactRate(contact!.right_party, contact!.attempts).value, promise_kept_rate: promiseKeptRate(outcomes).value },
      collectors,
      channels: await channels(false),
      steps: await channels(true),
    };
  }

  /** The same figures as the dashboard shows them. */
  function shown(d: Dashboard) {
    const value = (name: string) => d.kpis.find((k) => k.name === name && k.currency === null)?.value ?? null;
    return {
      kpis: { contact_rate: value('contact_rate'), right_party_contact_rate: value('right_party_contact_rate'), promise_kept_rate: value('promise_kept_rate') },
      collectors: d.collectors
        .filter((r) => r.interactions > 0)
        .map(({ collector_id, interactions, answered, right_party, promises, kept, broken }) => ({ collector_id, interactions, answered, right_party, promises, kept, broken })),
      channels: d.channels,
      steps: d.steps,
    };
  }

  const PERIODS: Array<Omit<DashboardFilters, 'collectorId'>> = [
    { from: '2026-01-01', to: '2026-03-12' },
    { from: '2026-03-01', to: '2026-03-12' },
    { from: '2026-03-03', to: '2026-03-11' },
    { from: '2026-03-02', to: '2026-03-02' },
    { from: '2026-03-12', to: '2026-03-12' },
    { from: '2026-01-10', to: '2026-01-17' },
  ];
  const FILTERS: AccountFilter[] = [
    { portfolio: 'tarjetas' },
    { portfolio: 'default' },
    { phase: 'administrative' },
    { phase: 'extrajudicial' },
    { segment: 'jalisco' },
    { portfolio: 'default', phase: 'administrative', segment: 'jalisco' },
    { portfolio: 'tarjetas', phase: 'preventive' },
  ];
  const expectSameAsRaw = async (periods = PERIODS) => {
    for (const period of periods) {
      for (const collectorId of [undefined, ana, beto, 424242]) {
        const d = await getDashboard(book.ctx, { ...period, ...(collectorId !== undefined && { collectorId }) });
        expect(shown(d), `${period.from}…${period.to} collector ${collectorId}`).toEqual(await raw(period.from, period.to, collectorId));
      }
      for (const filter of FILTERS) {
        for (const collectorId of [undefined, ana]) {
          const d = await getDashboard(book.ctx, { ...period, ...filter, ...(collectorId !== undefined && { collectorId }) });
          expect(shown(d), `${period.from}…${period.to} ${JSON.stringify(filter)} collector ${collectorId}`).toEqual(await raw(period.from, period.to, collectorId, filter));
        }
      }
    }
  };

  it('before the first refresh of these days, reads the source tables', async () => {
    // (January was summed on 1 March, before D's promise was evaluated: it shows from the next refresh.)
    await expectSameAsRaw(PERIODS.filter((p) => p.from >= '2026-03-01'));
  });

  it('after the refresh, the aggregates give the source tables’ figures: 7 days in, the 8th out, in the company’s days', async () => {
    const office = await refreshBackOffice(book.ctx);
    expect(office.activity).toMatchObject({ through: '2026-03-11', recomputedFrom: '2026-02-05', promiseDays: 2 });
    await expectSameAsRaw();
    const d = await getDashboard(book.ctx, { from: '2026-03-01', to: '2026-03-12' });
    expect(d.channels).toEqual([
      { channel: 'email', sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 0 },
      { channel: 'sms', sent: 5, delivered: 5, read: 0, failed: 1, replied: 0, paid_within_7_days: 2 },
      { channel: 'whatsapp', sent: 2, delivered: 2, read: 1, failed: 0, replied: 1, paid_within_7_days: 2 },
    ]);
    expect(d.steps).toEqual([
      { channel: 'sms', strategy: 'consumo', step: 'late-10', sent: 1, delivered: 1, read: 0, failed: 1, replied: 0, paid_within_7_days: 0 },
      { channel: 'whatsapp', strategy: 'consumo', step: 'late-10', sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 1 },
      { channel: 'sms', strategy: 'consumo', step: 'late-3', sent: 4, delivered: 4, read: 0, failed: 0, replied: 0, paid_within_7_days: 2 },
      { channel: 'whatsapp', strategy: 'consumo', step: 'late-3', sent: 1, delivered: 1, read: 1, failed: 0, replied: 1, paid_within_7_days: 1 },
      { channel: 'email', strategy: null, step: null, sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 0 },
    ]);
    // m5 (05:30 UTC on 3 March) was sent on 2 March in Mexico City.
    expect((await getDashboard(book.ctx, { from: '2026-03-03', to: '2026-03-12' })).channels.find((c) => c.channel === 'sms')).toMatchObject({ sent: 2, paid_within_7_days: 0 });
    const who = (id: number) => d.collectors.find((c) => c.collector_id === id);
    // Ana: A reached twice (2 and 12 March), B no answer, the note on A, C's promise (broken); Beto: B's promise (kept).
    expect(who(ana)).toMatchObject({ interactions: 5, answered: 4, right_party: 4, promises: 1, kept: 0, broken: 1 });
    expect(who(beto)).toMatchObject({ interactions: 1, answered: 1, right_party: 1, promises: 1, kept: 1, broken: 0 });
    // D's promise, taken in January and evaluated only now, counts in January's figures.
    const january = await getDashboard(book.ctx, { from: '2026-01-01', to: '2026-01-31' });
    expect(january.collectors.find((c) => c.collector_id === ana)).toMatchObject({ interactions: 1, promises: 1, broken: 1 });
    expect(january.kpis.find((k) => k.name === 'promise_kept_rate')?.value).toBe(0);
  });

  it('portfolio, phase and segment narrow every contact, collector and channel figure, counting the accounts of the activity’s day', async () => {
    const period = { from: '2026-01-01', to: '2026-03-12' };
    const all = shown(await getDashboard(book.ctx, period));
    for (const filter of FILTERS) {
      const narrowed = shown(await getDashboard(book.ctx, { ...period, ...filter }));
      for (const figure of ['kpis', 'collectors', 'channels', 'steps'] as const) expect(narrowed[figure], `${figure} with ${JSON.stringify(filter)}`).not.toEqual(all[figure]);
    }
    const march = { from: '2026-03-01', to: '2026-03-12' };
    const work = (d: Dashboard) => shown(d).collectors;
    // B and C owe in both portfolios: the calls to them count in "tarjetas" too; of their messages only the one
    // without a strategy does (the strategy's name its portfolio).
    const cards = await getDashboard(book.ctx, { ...march, portfolio: 'tarjetas' });
    expect(cards.channels).toEqual([{ channel: 'email', sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 0 }]);
    expect(cards.steps).toEqual([{ channel: 'email', strategy: null, step: null, sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 0 }]);
    expect(work(cards)).toEqual([
      { collector_id: ana, interactions: 2, answered: 1, right_party: 1, promises: 1, kept: 0, broken: 1 },
      { collector_id: beto, interactions: 1, answered: 1, right_party: 1, promises: 1, kept: 1, broken: 0 },
    ]);
    // A became extrajudicial on 3 March: what was done with A on 2 March stays administrative (m9, m8 and D's m6 count).
    const late = await getDashboard(book.ctx, { ...march, phase: 'extrajudicial' });
    expect(late.channels).toEqual([
      { channel: 'sms', sent: 2, delivered: 2, read: 0, failed: 0, replied: 0, paid_within_7_days: 0 },
      { channel: 'whatsapp', sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 1 },
    ]);
    expect(work(late)).toEqual([{ collector_id: ana, interactions: 1, answered: 1, right_party: 1, promises: 0, kept: 0, broken: 0 }]);
    expect(late.kpis.find((k) => k.name === 'promise_kept_rate')?.value).toBeNull();
    // F's promise (only in "tarjetas", broken) is out of "default"; in "tarjetas" it is one of three.
    const kept = async (portfolio?: string) => (await getDashboard(book.ctx, { ...period, ...(portfolio && { portfolio }) })).kpis.find((k) => k.name === 'promise_kept_rate')?.value;
    expect([await kept(), await kept('default'), await kept('tarjetas')]).toEqual([25, 33.33, 33.33]);
    // E's SMS of 5 January, before any run, counts only without these filters.
    const january = { from: '2026-01-01', to: '2026-01-09' };
    expect((await getDashboard(book.ctx, january)).channels).toEqual([{ channel: 'sms', sent: 1, delivered: 1, read: 0, failed: 0, replied: 0, paid_within_7_days: 0 }]);
    expect((await getDashboard(book.ctx, { ...january, portfolio: 'default' })).channels).toEqual([]);
  });

  it('refreshing again changes nothing', async () => {
    const before = await tables();
    for (const rows of before) expect(rows.length).toBeGreaterThan(0);
    await refreshActivity(book.ctx);
    expect(await tables()).toEqual(before);
  });

  it('a reply after the refresh to a message of an earlier day counts from the next refresh', async () => {
    const period = { from: '2026-03-01', to: '2026-03-12' };
    const before = await getDashboard(book.ctx, period);
    await at('2026-03-12T19:00:00Z', () => reply('A', 'whatsapp', '2026-03-12T19:00:00Z'));
    const whatsapp = (d: Dashboard) => d.channels.find((c) => c.channel === 'whatsapp')!.replied;
    expect(whatsapp(await getDashboard(book.ctx, period))).toBe(whatsapp(before));
    expect((await raw(period.from, period.to)).channels.find((c) => c.channel === 'whatsapp')!.replied).toBe(whatsapp(before) + 1);
    book.clock.set('2026-03-13T15:00:00Z');
    await refreshActivity(book.ctx);
    expect(whatsapp(await getDashboard(book.ctx, period))).toBe(whatsapp(before) + 1);
    await expectSameAsRaw();
  });
});
