/** The negotiation commands over a real database: policy show/set with clear errors, promises, plans, PDF, disputes. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNegotiationCommands } from '../../src/cli/commands/negotiation.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/modules/shared/errors.ts';
import { createWorld, type World } from '../strategies/helpers.ts';

let w: World;
let dir: string;

async function run(...argv: string[]): Promise<{ out: string; error: AppError | null }> {
  const io = bufferIO(dir);
  const session = serverSession({ ...loadConfig({}), company: 'acme', country: 'MX' }, w.clock, w.database);
  const program = new Command('cobranza').exitOverride();
  registerNegotiationCommands(program, io, session);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { out: io.out(), error: null };
  } catch (error) {
    if (error instanceof AppError) return { out: io.out(), error };
    throw error;
  }
}

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-10T18:00:00Z');
  dir = await mkdtemp(join(tmpdir(), 'cobranza-negotiation-'));
  const id = await w.debtor('CLI-9');
  await w.obligation(id, 'DOC-1', '2026-02-01', 500_000n);
  await w.obligation(id, 'DOC-2', '2026-02-15', 500_000n);
});

afterAll(async () => {
  await w?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cobranza policy / promises / plans / disputes', () => {
  it('shows the default policy and sets one from a file; a bad file changes nothing', async () => {
    expect((await run('policy', 'show')).out).toMatch(/# negotiation policy \(default\)\n[\s\S]*max_days: 15/);
    await writeFile(join(dir, 'bad.yaml'), 'plans:\n  max_installments: 0\n');
    const bad = await run('policy', 'set', 'bad.yaml');
    expect(bad.error?.code).toBe('validation_failed');
    expect(bad.error?.details.map((d) => d.path)).toEqual(['plans.max_installments']);
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ promises: { max_days: 7 } }));
    expect((await run('policy', 'set', 'policy.json')).out).toBe('negotiation policy saved: version 1\n');
    expect((await run('policy', 'show', '--json')).out).toMatch(/"max_days": 7/);
    expect((await run('policy', 'set', 'missing.yaml')).error?.message).toMatch(/no such file/);
  });

  it('sets who approves exceptions, refusing a role that cannot approve', async () => {
    await writeFile(join(dir, 'approver-bad.yaml'), 'approval: { role: gerente }\n');
    const bad = await run('policy', 'set', 'approver-bad.yaml');
    expect(bad.error?.code).toBe('validation_failed');
    expect(bad.error?.details).toEqual([{ path: 'approval.role', reason: 'must be one of collector, agency, supervisor, admin' }]);
    await writeFile(join(dir, 'approver.yaml'), 'promises: { max_days: 7 }\napproval: { role: collector }\n');
    expect((await run('policy', 'set', 'approver.yaml')).out).toBe('negotiation policy saved: version 2\n');
    expect((await run('policy', 'show', '--json')).out).toMatch(/"role": "collector"/);
    // Back to the policy the next tests expect (the default approver, supervisor).
    expect((await run('policy', 'set', 'policy.json')).out).toBe('negotiation policy saved: version 3\n');
  });

  it('evaluates, records and cancels a promise', async () => {
    const late = await run('negotiation', 'evaluate', 'CLI-9', 'promise', '--currency', 'MXN', '--amount', '3000', '--on', '2026-03-20');
    expect(late.out).toMatch(/^needs_approval \(approver: supervisor\)[\s\S]*promise.horizon_exceeded/);
    const made = await run('promises', 'create', 'CLI-9', '--currency', 'MXN', '--amount', '3000', '--on', '2026-03-13');
    expect(made.out).toMatch(/^promise #(\d+) open: 3000.00 MXN by 2026-03-13 \(grace until 2026-03-17\)/);
    const id = /#(\d+)/.exec(made.out)![1]!;
    expect((await run('promises', 'cancel', id)).out).toBe(`promise #${id} cancelled\n`);
    expect((await run('promises', 'create', 'CLI-9', '--currency', 'MXN', '--amount', 'mucho', '--on', '2026-03-13')).error?.details[0]?.path).toBe('amount');
  });

  it('creates a plan, writes its PDF, lists options; opens and resolves a dispute', async () => {
    expect((await run('negotiation', 'options', 'CLI-9', '--currency', 'MXN')).out).toMatch(/3 × monthly: total 10000.00/);
    const plan = await run('plans', 'create', 'CLI-9', 'plan', '--currency', 'MXN', '--down', '1000', '--installments', '3', '--frequency', 'monthly', '--first', '2026-04-01');
    expect(plan.out).toMatch(/^plan #(\d+) active: total 10000.00 MXN in 4 payment\(s\)/);
    const id = /#(\d+)/.exec(plan.out)![1]!;
    expect((await run('plans', 'pdf', id, '--out', 'convenio.pdf')).out).toMatch(/agreement written to convenio.pdf/);
    expect((await readFile(join(dir, 'convenio.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    const opened = await run('disputes', 'open', 'CLI-9', '--obligation', 'DOC-2', '--reason', 'no es mía');
    const did = /#(\d+)/.exec(opened.out)![1]!;
    expect((await run('disputes', 'resolve', did, '--outcome', 'rejected', '--resolution', 'contrato firmado')).out).toMatch(/rejected\nRevisamos su aclaración/);
    expect((await run('disputes', 'resolve', did, '--outcome', 'maybe', '--resolution', 'x')).error?.message).toMatch(/--outcome must be one of upheld, rejected/);
    expect((await run('hardship', 'CLI-9', '--note', 'sin empleo')).out).toMatch(/^hardship task #\d+/);
  });
});
