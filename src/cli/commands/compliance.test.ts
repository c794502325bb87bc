import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerComplianceCommands } from './compliance.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobranza-compliance-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], language?: 'en' | 'es'): Promise<{ out: string; err: string; json: Record<string, unknown> | null }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: dir, ...(language && { language }) };
  const program = new Command('cobranza').exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerComplianceCommands(program, io);
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    for (const sub of c.commands) sub.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  }
  await program.parseAsync(args, { from: 'user' });
  const text = out.join('');
  return { out: text, err: err.join(''), json: text.trim().startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const check = (...rest: string[]) => run(['compliance', 'check', ...rest]);

describe('compliance check', () => {
  it('a Colombian debtor on Sunday → Monday 07:00 with the debtor\'s offset', async () => {
    const { json } = await check('--country', 'CO', '--time-zone', 'America/Bogota', '--channel', 'sms', '--at', '2026-03-08T10:00:00-05:00');
    expect(json).toEqual({
      allowed: false,
      next_allowed_at: '2026-03-09T07:00:00-05:00',
      rule: 'hours.CO.weekday',
      reason_code: 'weekday',
      reason: expect.stringContaining('Next allowed: Monday, March 9, 2026, 07:00'),
    });
    expect(Object.keys(json!)).toEqual(['allowed', 'next_allowed_at', 'rule', 'reason_code', 'reason']);
    expect(json!.reason).not.toMatch(/Próximo|domingo/);
  });

  it("writes the reason in the CLI's language; the codes stay the same", async () => {
    const args = ['--country', 'CO', '--time-zone', 'America/Bogota', '--channel', 'sms', '--at', '2026-03-08T10:00:00-05:00'];
    const en = (await run(['compliance', 'check', ...args], 'en')).json!;
    const es = (await run(['compliance', 'check', ...args], 'es')).json!;
    expect(es).toEqual({ ...en, reason: expect.stringContaining('Próximo momento permitido: lunes 9 de marzo de 2026, 07:00') });
    expect(es.reason).not.toBe(en.reason);
    expect(en).toMatchObject({ rule: 'hours.CO.weekday', reason_code: 'weekday' });
    const allowed = await run(['compliance', 'check', '--country', 'CO', '--time-zone', 'America/Bogota', '--channel', 'call', '--at', '2026-03-09T15:00:00Z'], 'es');
    expect(allowed.json).toMatchObject({ allowed: true, reason_code: 'allowed', reason: expect.stringMatching(/^Contacto por llamada permitido/) });
  });

  it('an allowed contact reports the instant itself in the debtor\'s offset (input given in UTC)', async () => {
    const { json } = await check('--country', 'CO', '--time-zone', 'America/Bogota', '--channel', 'call', '--at', '2026-03-09T15:00:00Z');
    expect(json).toMatchObject({ allowed: true, next_allowed_at: '2026-03-09T10:00:00-05:00', rule: 'allowed' });
  });

  it('uses the country\'s holidays (CO, 12 January 2026)', async () => {
    const { json } = await check('--country', 'CO', '--time-zone', 'America/Bogota', '--channel', 'email', '--at', '2026-01-12T09:00:00-05:00');
    expect(json).toMatchObject({ allowed: false, next_allowed_at: '2026-01-13T07:00:00-05:00', rule: 'holiday.CO' });
  });

  it('reads the history file relative to the caller\'s directory (CL third SMS)', async () => {
    await writeFile(
      join(dir, 'cl.json'),
      JSON.stringify([
        { channel: 'sms', at: '2026-03-02T09:00:00-03:00', outcome: 'attempt' },
        { channel: 'sms', at: '2026-03-05T09:00:00-03:00', outcome: 'attempt' },
      ]),
    );
    const { json } = await check('--country', 'CL', '--time-zone', 'America/Santiago', '--channel', 'sms', '--at', '2026-03-06T10:00:00-03:00', '--history', 'cl.json');
    expect(json).toMatchObject({ allowed: false, next_allowed_at: '2026-03-09T08:00:00-03:00', rule: 'cap.CL.written_per_week' });
  });

  it('US: no call within 7 days after a conversation; next instant crosses the DST change', async () => {
    await writeFile(join(dir, 'us.json'), JSON.stringify([{ channel: 'call', at: '2026-03-02T10:00:00-05:00', outcome: 'conversation' }]));
    const { json } = await check('--country', 'US', '--time-zone', 'America/New_York', '--channel', 'call', '--at', '2026-03-04T12:00:00-05:00', '--history', join(dir, 'us.json'));
    expect(json).toMatchObject({ allowed: false, next_allowed_at: '2026-03-09T08:00:00-04:00', rule: 'wait.US.after_conversation' });
  });

  it('MX-PROFECO on Saturday → Monday', async () => {
    const { json } = await check('--country', 'MX-PROFECO', '--time-zone', 'America/Mexico_City', '--channel', 'call', '--at', '2026-03-07T10:00:00-06:00');
    expect(json).toMatchObject({ allowed: false, next_allowed_at: '2026-03-09T07:00:00-06:00', rule: 'hours.MX-PROFECO.weekday' });
  });

  it('holds, opt-outs and consent give null', async () => {
    const base = ['--country', 'CL', '--time-zone', 'America/Santiago', '--channel', 'sms', '--at', '2026-03-02T10:00:00-03:00'];
    expect((await check(...base, '--hold', 'dispute', '--hold', 'legal')).json).toMatchObject({ allowed: false, next_allowed_at: null, rule: 'hold.legal' });
    expect((await check(...base, '--opt-out')).json).toMatchObject({ next_allowed_at: null, rule: 'optout.sms' });
    expect((await check(...base, '--consent', 'denied')).json).toMatchObject({ next_allowed_at: null, rule: 'consent.denied' });
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['an unknown country', ['--country', 'VE'], /--country must be one of MX, MX-PROFECO, CO, CL, PE, BR, AR, US; got "VE"/],
    ['an unknown channel', ['--channel', 'fax'], /--channel must be one of email, whatsapp, sms, letter, call, visit/],
    ['a time zone that does not exist', ['--time-zone', 'America/Bogotá'], /--time-zone must be an IANA time zone/],
    ['an instant without offset', ['--at', '2026-03-08T10:00:00'], /--at must be an ISO 8601 instant with an offset/],
    ['a non-date', ['--at', 'tomorrow'], /--at must be an ISO 8601 instant/],
    ['a missing history file', ['--history', 'nope.json'], /cannot read the history file .*nope\.json: no such file/],
    ['an unknown hold', ['--hold', 'vacation'], /--hold must be one of/],
  ];
  it.each(bad)('refuses %s with an actionable message', async (_l, override, message) => {
    const args: Record<string, string> = { '--country': 'CO', '--time-zone': 'America/Bogota', '--channel': 'sms', '--at': '2026-03-08T10:00:00-05:00' };
    const extra: string[] = [];
    for (let i = 0; i < override.length; i += 2) {
      const [k, v] = [override[i] as string, override[i + 1] as string];
      if (k in args) args[k] = v;
      else extra.push(k, v);
    }
    await expect(check(...Object.entries(args).flat(), ...extra)).rejects.toThrow(message);
  });

  it.each([
    ['not JSON', '{oops', /is not valid JSON/],
    ['not an array', '{"channel":"sms"}', /JSON array/],
    ['a bad outcome', '[{"channel":"sms","at":"2026-03-02T10:00:00-05:00","outcome":"bounced"}]', /at item 0 \(outcome\): outcome must be one of attempt, conversation, effective/],
    ['a bad channel', '[{"channel":"fax","at":"2026-03-02T10:00:00-05:00","outcome":"attempt"}]', /at item 0 \(channel\)/],
    ['an instant without offset', '[{"channel":"sms","at":"2026-03-02T10:00","outcome":"attempt"}]', /history item 0 "at" must be an ISO 8601 instant with an offset/],
  ])('refuses a history file that is %s', async (_l, content, message) => {
    await writeFile(join(dir, 'bad.json'), content);
    await expect(check('--country', 'CO', '--time-zone', 'America/Bogota', '--channel', 'sms', '--at', '2026-03-09T10:00:00-05:00', '--history', 'bad.json')).rejects.toThrow(message);
  });

  it('a missing required option is a commander error', async () => {
    await expect(check('--country', 'CO')).rejects.toThrow(/required option/);
  });
});
