import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStrategyDefinition, parseStrategySource, StrategyDefinitionError, toStrategyFile } from './definition.ts';
import { english } from '../text.ts';

const YAML = `
name: estandar
portfolio: default
catch_up_days: 2
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: email, template: preventive_reminder, fallback: sms }
      - { id: due-0, trigger: { days: 0 }, channel: whatsapp, template: due_today }
  - id: tardios
    phase: [administrative, extrajudicial]
    segment: vip
    when: "balance.MXN >= 1000"
    steps:
      - id: late-3
        trigger: "+3"
        channel: sms
        template: late_3
        conditions: { balance_gte: { MXN: "100.50" }, not_contacted_days: 2, has_consent: true }
      - { id: thanks, trigger: { event: payment_received }, channel: email, template: payment_thanks }
      - { id: quiet, trigger: { event: no_reply_days, days: 4 }, channel: call_task, template: call_script }
      - { id: to-agency, trigger: { event: entered_phase, phase: extrajudicial }, channel: agency_referral, template: referral }
`;

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseStrategyDefinition(input);
  } catch (error) {
    if (error instanceof StrategyDefinitionError) return error.issues.map((i) => ({ path: i.path, message: english(i.message) }));
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

describe('strategy definitions', () => {
  it('reads a YAML file with every trigger form, defaults and conditions', () => {
    const d = parseStrategyDefinition(parseStrategySource(YAML));
    expect(d.name).toBe('estandar');
    expect(d.catchUpDays).toBe(2);
    expect(d.maxAttempts).toBe(5);
    expect(d.rules.map((r) => r.id)).toEqual(['rule-1', 'tardios']);
    expect(d.rules[0]!.steps.map((s) => s.trigger)).toEqual([
      { kind: 'days', days: -5 },
      { kind: 'days', days: 0 },
    ]);
    const late = d.rules[1]!;
    expect(late.phases).toEqual(['administrative', 'extrajudicial']);
    expect(late.segments).toEqual(['vip']);
    expect(late.whenAst).not.toBeNull();
    expect(late.steps[0]!.trigger).toEqual({ kind: 'days', days: 3 });
    expect(late.steps[0]!.conditions).toEqual({ balanceGte: { MXN: 10050n }, notContactedDays: 2, hasConsent: true });
    expect(late.steps.slice(1).map((s) => s.trigger)).toEqual([
      { kind: 'event', event: 'payment_received' },
      { kind: 'event', event: 'no_reply_days', days: 4 },
      { kind: 'event', event: 'entered_phase', phase: 'extrajudicial' },
    ]);
  });

  it('round-trips through its stored form unchanged', () => {
    const d = parseStrategyDefinition(parseStrategySource(YAML));
    const stored = toStrategyFile(d);
    expect(toStrategyFile(parseStrategyDefinition(JSON.parse(JSON.stringify(stored))))).toEqual(stored);
    expect(parseStrategyDefinition(stored).rules[1]!.steps[0]!.conditions.balanceGte).toEqual({ MXN: 10050n });
  });

  it('accepts JSON', () => {
    const d = parseStrategyDefinition(
      parseStrategySource('{"name":"j","portfolio":"default","rules":[{"phase":"judicial","steps":[{"id":"a","trigger":30,"channel":"letter","template":"final_notice"}]}]}'),
    );
    expect(d.rules[0]!.steps[0]!.channel).toBe('letter');
    expect(d.catchUpDays).toBe(3);
  });

  it('refuses bad input with the path of every problem', () => {
    const issues = issuesOf({
      name: 'Bad Name',
      portfolio: 'default',
      rules: [
        {
          phase: 'limbo',
          steps: [
            { id: 'a', trigger: { days: 1.5 }, channel: 'pigeon', template: 'x' },
            { id: 'b', trigger: { event: 'birthday' }, channel: 'sms', template: 'x', extra: 1 },
          ],
        },
      ],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('name');
    expect(paths).toContain('rules[0].phase');
    expect(paths).toContain('rules[0].steps[0].trigger');
    expect(paths).toContain('rules[0].steps[0].channel');
    expect(paths).toContain('rules[0].steps[1].trigger');
    expect(paths).toContain('rules[0].steps[1]');
    expect(issues.find((i) => i.path === 'rules[0].steps[0].channel')!.message).toMatch(/email, whatsapp, sms/);
  });

  it('refuses duplicate step ids, a fallback equal to the channel, bad amounts and a bad condition', () => {
    const issues = issuesOf({
      name: 'dup',
      portfolio: 'default',
      rules: [
        { phase: 'preventive', when: 'balance.MXN >=', steps: [{ id: 'a', trigger: 0, channel: 'sms', template: 't', fallback: 'sms' }] },
        { phase: 'administrative', steps: [{ id: 'a', trigger: 3, channel: 'email', template: 't', conditions: { balance_gte: { MXN: '1.234' } } }] },
      ],
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['rules[0].steps[0].fallback', 'rules[0].when', 'rules[1].steps[0].conditions.balance_gte.MXN', 'rules[1].steps[0].id']);
    expect(issues.find((i) => i.path === 'rules[0].when')!.message).toMatch(/line 1, column/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseStrategySource('name: x\nrules: [\n  - a')).toThrow(/not valid YAML: line/);
    expect(() => parseStrategySource('   ')).toThrow(StrategyDefinitionError);
    expect(() => parseStrategySource('{"name": ')).toThrow(/not valid JSON/);
  });

  it('has a plan_broken event of its own, distinct from promise_broken, in YAML, JSON and the stored form', () => {
    const yaml = `
name: convenios
portfolio: default
rules:
  - phase: administrative
    steps:
      - { id: promise, trigger: { event: promise_broken }, channel: sms, template: promise_reminder }
      - { id: plan, trigger: { event: plan_broken }, channel: email, template: late_10_days }
      - { id: plan-call, trigger: { event: plan_broken }, channel: call_task, template: late_10_days }
`;
    const d = parseStrategyDefinition(parseStrategySource(yaml));
    expect(d.rules[0]!.steps.map((s) => [s.id, s.trigger])).toEqual([
      ['promise', { kind: 'event', event: 'promise_broken' }],
      ['plan', { kind: 'event', event: 'plan_broken' }],
      ['plan-call', { kind: 'event', event: 'plan_broken' }],
    ]);
    expect(parseStrategyDefinition(JSON.parse(JSON.stringify(toStrategyFile(d))))).toEqual(d);
    expect((toStrategyFile(d).rules as Array<{ steps: Array<{ trigger: unknown }> }>)[0]!.steps[1]!.trigger).toEqual({ event: 'plan_broken' });
    const [issue] = issuesOf({ name: 'x', portfolio: 'p', rules: [{ phase: 'administrative', steps: [{ id: 'a', trigger: { event: 'plan_breaks' }, channel: 'sms', template: 't' }] }] });
    expect(issue).toMatchObject({ path: 'rules[0].steps[0].trigger', message: expect.stringContaining('promise_broken | plan_broken |') });
  });

  it('the example strategy that ships reacts to a broken promise and a broken plan with a message and a call', () => {
    const d = parseStrategyDefinition(parseStrategySource(readFileSync(new URL('../../../examples/estrategia-consumo.yaml', import.meta.url), 'utf8')));
    for (const phase of ['administrative', 'extrajudicial'] as const) {
      const rule = d.rules.find((r) => r.phases.includes(phase))!;
      for (const event of ['promise_broken', 'plan_broken']) {
        const steps = rule.steps.filter((s) => s.trigger.kind === 'event' && s.trigger.event === event);
        expect(steps.map((s) => s.channel).sort(), `${phase} ${event}`).toEqual(event === 'plan_broken' ? ['call_task', 'email'] : ['call_task', 'sms']);
      }
    }
  });
});
