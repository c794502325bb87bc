import { describe, expect, it } from 'vitest';
import { addDays, type PlainDate } from '../calendar.ts';
import type { AccountFacts } from '../segment-rules.ts';
import { parseStrategyDefinition } from './definition.ts';
import { doneKey, dueSteps, type StrategyAccountFacts } from './due-steps.ts';

const definition = parseStrategyDefinition({
  name: 'estandar',
  portfolio: 'default',
  catch_up_days: 2,
  rules: [
    { id: 'vip-late', phase: 'administrative', segment: ['vip'], steps: [{ id: 'vip-call', trigger: 1, channel: 'call_task', template: 'call' }] },
    {
      id: 'preventive',
      phase: 'preventive',
      steps: [
        { id: 'pre-5', trigger: -5, channel: 'email', template: 'preventive_reminder' },
        { id: 'due-0', trigger: 0, channel: 'whatsapp', template: 'due_today', fallback: 'sms' },
        { id: 'due-0-mail', trigger: 0, channel: 'email', template: 'due_today' },
      ],
    },
    {
      id: 'late',
      phase: ['administrative', 'settled'],
      when: 'balance.MXN >= 0',
      steps: [
        { id: 'late-3', trigger: 3, channel: 'sms', template: 'late_3', conditions: { not_contacted_days: 2 } },
        { id: 'late-10', trigger: 10, channel: 'sms', template: 'late_10', conditions: { balance_gte: { MXN: '500', USD: '50' }, has_consent: true } },
        { id: 'thanks', trigger: { event: 'payment_received' }, channel: 'email', template: 'payment_thanks' },
        { id: 'nudge', trigger: { event: 'no_reply_days', days: 4 }, channel: 'call_task', template: 'call' },
      ],
    },
  ],
});

const DUE = '2026-03-10' as PlainDate;
const on = (offset: number) => addDays(DUE, offset);

function ruleFacts(phase: string): AccountFacts {
  return {
    phase,
    bucket: 'current',
    days_past_due: 0,
    balances: { MXN: 100_000n },
    overdue: {},
    products: [],
    kinds: [],
    tags: [],
    region: null,
    country: 'MX',
    city: null,
    postal_code: null,
    type: 'person',
    on_hold: false,
    attributes: {},
  };
}

function facts(phase: string, over: Partial<StrategyAccountFacts> = {}): StrategyAccountFacts {
  return {
    phase,
    segments: [],
    ruleFacts: ruleFacts(phase),
    balances: { MXN: 100_000n },
    oldestOpen: { id: 7, dueOn: DUE },
    lastContactOn: null,
    lastOutbound: null,
    consent: { sms: 'granted' },
    events: [],
    done: new Set(),
    ...over,
  };
}

const ids = (r: ReturnType<typeof dueSteps>) => r.due.map((d) => d.step.id);

describe('dueSteps', () => {
  it('picks the first matching rule: phase, then segment, then condition', () => {
    expect(dueSteps(definition, facts('administrative', { segments: ['vip'] }), on(1)).rule!.id).toBe('vip-late');
    expect(dueSteps(definition, facts('administrative'), on(1)).rule!.id).toBe('late');
    expect(dueSteps(definition, facts('judicial'), on(100)).rule).toBeNull();
  });

  it('makes an offset step due on its day, with the oldest obligation as cause and its day as cause date', () => {
    const r = dueSteps(definition, facts('preventive'), on(-5));
    expect(ids(r)).toEqual(['pre-5']);
    expect(r.due[0]).toMatchObject({ cause: 'obligation:7', causeDate: on(-5), lateBy: 0 });
    expect(ids(dueSteps(definition, facts('preventive'), on(0)))).toEqual(['due-0', 'due-0-mail']);
  });

  it('does nothing before the first step and nothing once a step is done for the cause', () => {
    expect(ids(dueSteps(definition, facts('preventive'), on(-6)))).toEqual([]);
    const done = new Set([doneKey('pre-5', 'obligation:7')]);
    expect(ids(dueSteps(definition, facts('preventive', { done }), on(-5)))).toEqual([]);
    // A different cause (the next obligation) starts a new cycle.
    expect(ids(dueSteps(definition, facts('preventive', { done, oldestOpen: { id: 8, dueOn: DUE } }), on(-5)))).toEqual(['pre-5']);
  });

  it('catches up a missed day once, within the window, and lets a later step supersede it', () => {
    expect(dueSteps(definition, facts('preventive'), on(-4)).due[0]).toMatchObject({ cause: 'obligation:7', causeDate: on(-5), lateBy: 1 });
    expect(ids(dueSteps(definition, facts('preventive'), on(-3)))).toEqual(['pre-5']);
    expect(ids(dueSteps(definition, facts('preventive'), on(-2)))).toEqual([]); // window (2 days) passed
    // Down from +3 to +10: on +10 only late-10 is considered, never the missed late-3.
    const r = dueSteps(definition, facts('administrative', { consent: { sms: 'granted' } }), on(10));
    expect(ids(r)).toEqual(['late-10']);
  });

  it('stops offset steps when nothing is owed', () => {
    expect(ids(dueSteps(definition, facts('settled', { oldestOpen: null }), on(3)))).toEqual([]);
  });

  it('checks conditions and reports the ones that fail', () => {
    const contacted = dueSteps(definition, facts('administrative', { lastContactOn: on(2) }), on(3));
    expect(ids(contacted)).toEqual([]);
    expect(contacted.skipped[0]!.reason).toMatch(/less than 2 days/);
    expect(ids(dueSteps(definition, facts('administrative', { lastContactOn: on(1) }), on(3)))).toEqual(['late-3']);
    const poor = dueSteps(definition, facts('administrative', { balances: { MXN: 49_999n, USD: 4_999n } }), on(10));
    expect(poor.skipped[0]!.reason).toMatch(/balance below/);
    expect(ids(dueSteps(definition, facts('administrative', { balances: { MXN: 1n, USD: 5_000n } }), on(10)))).toEqual(['late-10']);
    expect(dueSteps(definition, facts('administrative', { consent: { sms: 'unknown' } }), on(10)).skipped[0]!.reason).toMatch(/consent/);
  });

  it('fires event steps once per cause within the window', () => {
    const events = [{ kind: 'payment_received' as const, cause: 'payment:3', on: on(5) }];
    expect(dueSteps(definition, facts('settled', { oldestOpen: null, events }), on(5)).due.map((d) => [d.step.id, d.cause])).toEqual([['thanks', 'payment:3']]);
    expect(ids(dueSteps(definition, facts('settled', { oldestOpen: null, events }), on(7)))).toEqual(['thanks']);
    expect(ids(dueSteps(definition, facts('settled', { oldestOpen: null, events }), on(8)))).toEqual([]);
    expect(ids(dueSteps(definition, facts('settled', { oldestOpen: null, events, done: new Set([doneKey('thanks', 'payment:3')]) }), on(5)))).toEqual([]);
  });

  it('a broken plan fires plan_broken steps only, a broken promise promise_broken steps only', () => {
    const d = parseStrategyDefinition({
      name: 'x',
      portfolio: 'default',
      rules: [
        {
          phase: 'administrative',
          steps: [
            { id: 'promise', trigger: { event: 'promise_broken' }, channel: 'sms', template: 'promise_reminder' },
            { id: 'plan', trigger: { event: 'plan_broken' }, channel: 'email', template: 'late_10_days' },
            { id: 'plan-call', trigger: { event: 'plan_broken' }, channel: 'call_task', template: 'late_10_days' },
          ],
        },
      ],
    });
    const plan = [{ kind: 'plan_broken' as const, cause: 'plan:4', on: on(20) }];
    expect(dueSteps(d, facts('administrative', { oldestOpen: null, events: plan }), on(20)).due.map((x) => [x.step.id, x.cause])).toEqual([
      ['plan', 'plan:4'],
      ['plan-call', 'plan:4'],
    ]);
    const promise = [{ kind: 'promise_broken' as const, cause: 'promise:9', on: on(20) }];
    expect(dueSteps(d, facts('administrative', { oldestOpen: null, events: promise }), on(20)).due.map((x) => [x.step.id, x.cause])).toEqual([['promise', 'promise:9']]);
  });

  it('hands the triggering event (with its payment) to the due step', () => {
    const payment = { amount: 125_050n, currency: 'MXN', contract: 'C-1' };
    const events = [{ kind: 'payment_received' as const, cause: 'payment:3', on: on(5), payment }];
    const [due] = dueSteps(definition, facts('settled', { oldestOpen: null, events }), on(6)).due;
    expect(due!.event).toEqual(events[0]);
    expect(due!.event!.payment).toBe(payment);
  });

  it('nudges N days after the last message when the debtor has not replied', () => {
    const silent = { id: 99, on: on(3), replied: false };
    expect(ids(dueSteps(definition, facts('administrative', { lastOutbound: silent, lastContactOn: on(3) }), on(6)))).toEqual([]);
    const r = dueSteps(definition, facts('administrative', { lastOutbound: silent, lastContactOn: on(3) }), on(7));
    expect(r.due.map((d) => [d.step.id, d.cause])).toEqual([['nudge', 'no_reply:99']]);
    expect(ids(dueSteps(definition, facts('administrative', { lastOutbound: { ...silent, replied: true } }), on(7)))).toEqual([]);
  });

  it('fires entered_phase only for the phase named', () => {
    const d = parseStrategyDefinition({
      name: 'x',
      portfolio: 'default',
      rules: [{ phase: ['extrajudicial', 'judicial'], steps: [{ id: 'ref', trigger: { event: 'entered_phase', phase: 'judicial' }, channel: 'agency_referral', template: 'referral' }] }],
    });
    const judicial = [{ kind: 'entered_phase' as const, cause: 'entered_phase:judicial:2026-06-01', on: '2026-06-01' as PlainDate, phase: 'judicial' }];
    expect(ids(dueSteps(d, facts('judicial', { events: judicial }), '2026-06-01' as PlainDate))).toEqual(['ref']);
    const extra = [{ ...judicial[0]!, phase: 'extrajudicial', cause: 'entered_phase:extrajudicial:2026-06-01' }];
    expect(ids(dueSteps(d, facts('extrajudicial', { events: extra }), '2026-06-01' as PlainDate))).toEqual([]);
  });
});
