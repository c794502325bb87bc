/** The `strategies`, `automation` and `worker --once` commands over a real database. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStrategyCommands } from '../../src/cli/commands/strategies.ts';
import { registerWorkerCommands } from '../../src/cli/commands/worker.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/modules/shared/errors.ts';
import { createWorld, type World } from './helpers.ts';

let w: World;
let dir: string;

const FILE = `
name: cobranza-basica
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: aviso, trigger: -3, channel: sms, template: preventive_reminder, fallback: email }
      - { id: hoy, trigger: 0, channel: email, template: due_today }
`;

async function run(...argv: string[]): Promise<{ out: string; err: string; error: AppError | null }> {
  const io = bufferIO(dir);
  const session = serverSession({ ...loadConfig({}), company: 'acme', country: 'MX' }, w.clock, w.database);
  const program = new Command('cobranza').exitOverride();
  registerStrategyCommands(program, io, session);
  registerWorkerCommands(program, io, session);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { out: io.out(), err: io.err(), error: null };
  } catch (error) {
    if (error instanceof AppError) return { out: io.out(), err: io.err(), error };
    throw error;
  }
}

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-07T13:00:00Z');
  dir = await mkdtemp(join(tmpdir(), 'cobranza-strategies-'));
  await writeFile(join(dir, 'estrategia.yaml'), FILE);
  await writeFile(join(dir, 'mala.yaml'), 'name: mala\nportfolio: default\nrules:\n  - phase: preventive\n    steps:\n      - { id: x, trigger: -3, channel: fax, template: due_today }\n');
  const d = await w.debtor('CLI-1');
  await w.obligation(d, 'CLI-1-A', '2026-03-10', 45_000n);
});

afterAll(async () => {
  await w?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('strategies commands', () => {
  it('applies a file, and applying it again changes nothing', async () => {
    expect((await run('strategies', 'apply', 'estrategia.yaml')).out).toBe('strategy "cobranza-basica" created: version 1 is active on portfolio "default"\n');
    expect((await run('strategies', 'apply', 'estrategia.yaml')).out).toMatch(/unchanged: version 1/);
  });

  it('refuses a bad file with the path of the problem', async () => {
    const r = await run('strategies', 'apply', 'mala.yaml');
    expect(r.error?.code).toBe('validation_failed');
    expect(r.error?.message).toMatch(/rules\[0\]\.steps\[0\]\.channel: must be one of email, whatsapp, sms/);
    expect((await run('strategies', 'apply', 'nada.yaml')).error?.message).toMatch(/no such file/);
  });

  it('lists and shows strategies', async () => {
    const list = (await run('strategies', 'list')).out;
    expect(list).toMatch(/^name\s+portfolio\s+status\s+version\s+versions\s+updated/);
    expect(list).toMatch(/cobranza-basica\s+default\s+active\s+1\s+1/);
    const shown = (await run('strategies', 'show', 'cobranza-basica')).out;
    expect(shown).toMatch(/^# strategy cobranza-basica · portfolio default · active/);
    expect(shown).toContain('template: preventive_reminder');
    expect((await run('strategies', 'show', 'otra')).error?.code).toBe('not_found');
  });

  it('simulates day by day without writing', async () => {
    await run('automation', 'set', '--daily-run-at', '07:00');
    await w.day('2026-03-06'); // accounts exist from a daily run
    w.clock.set('2026-03-07T13:00:00Z');
    const r = await run('strategies', 'simulate', '--from', '2026-03-07', '--to', '2026-03-10', '--samples');
    expect(r.out).toMatch(/strategy cobranza-basica v1 · portfolio default · 1 accounts · 2026-03-07 → 2026-03-10/);
    expect(r.out).toMatch(/2026-03-07\s+1\s+0\s+0\s+0\s+sms 1/);
    expect(r.out).toMatch(/2026-03-10\s+1\s+0\s+0\s+0\s+email 1/);
    expect(r.out).toContain('2026-03-07 Deudor CLI-1 · aviso · sms · now');
    expect(await w.messages()).toHaveLength(0);
    const json = JSON.parse((await run('strategies', 'simulate', '--from', '2026-03-07', '--to', '2026-03-07', '--json')).out);
    expect(json.strategies[0].totals.messages).toBe(1);
  });

  it('sets the sender and runs one day with worker --once', async () => {
    const set = await run(
      'automation', 'set',
      '--creditor-name', 'Acme Crédito', '--creditor-legal-id', 'ACR010101AB1', '--creditor-phone', '800 111 2222',
      '--payment-link', 'https://pagos.acme.example/{debtor}', '--portal-link', 'https://portal.acme.example/{debtor}',
    );
    expect(set.out).toMatch(/automation on: daily run at 07:00 \(America\/Mexico_City\)/);
    expect(JSON.parse((await run('automation', 'show')).out).sender.creditor).toEqual({ name: 'Acme Crédito', legal_id: 'ACR010101AB1', phone: '800 111 2222' });
    const r = await run('worker', '--once');
    expect(r.error).toBeNull();
    expect(r.out).toMatch(/cobranza-basica v1 2026-03-07: 1 messages/);
    expect(r.out).toMatch(/dispatch: 1 sent/);
    const [m] = await w.messages();
    expect(m).toMatchObject({ stepId: 'aviso', channel: 'sms', status: 'sent', provider: 'sandbox-sms' });
    expect((m!.payload as { body: string }).body).toMatch(/^Acme Crédito: Hola Deudor, su pago de \$450\.00/);
    expect((await run('worker', '--once')).out).toMatch(/0 messages[\s\S]*dispatch: 0 sent/);
  });

  it('plans a day by hand', async () => {
    expect((await run('strategies', 'plan', '--as-of', '2026-03-07')).out).toMatch(/2026-03-07 cobranza-basica v1: 1 accounts, 0 steps due, 0 new messages/);
  });
});
