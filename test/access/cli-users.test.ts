/**
 * `cobranza users …` and `cobranza audit list`, run in process through the same entry the server's CLI bridge uses
 * (runCli over a session on a test database), so the command handlers are exercised without a process per command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
const clock = fixedClock('2026-03-31T18:00:00Z');

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIO(process.cwd());
  const code = await runCli(args, io, serverSession(loadConfig({}), clock, database));
  return { code, stdout: io.out(), stderr: io.err() };
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('cobranza users', () => {
  it('adds, lists, changes the role of, resets and deactivates users; every change lands in the audit log', async () => {
    const added = await run('users', 'add', 'Ana@Acme.test', '--name', 'Ana Admin', '--role', 'admin');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/user ana@acme\.test \(admin\) added; password .*\n[A-Za-z0-9]{16}\n/);
    expect((await run('users', 'add', 'gestor@acme.test', '--name', 'Gestor', '--role', 'collector')).code).toBe(0);
    const agency = await run('users', 'add', 'despacho@acme.test', '--name', 'Despacho', '--role', 'agency');
    expect(agency.code).toBe(1);
    expect(agency.stderr).toContain('must name its agency');
    expect((await run('users', 'add', 'gestor@acme.test', '--name', 'Otra vez', '--role', 'viewer')).stderr).toContain('already exists');

    expect((await run('users', 'set-role', 'gestor@acme.test', 'agency', '--agency', 'Despacho Norte')).stdout).toContain('is now agency of Despacho Norte');
    const reset = await run('users', 'reset-password', 'gestor@acme.test');
    expect(reset.stdout).toMatch(/new password for gestor@acme\.test .*\n[A-Za-z0-9]{16}\n/);
    expect((await run('users', 'deactivate', 'gestor@acme.test')).code).toBe(0);
    expect((await run('users', 'deactivate', 'ana@acme.test')).stderr).toContain('last active admin');

    const list = await run('users', 'list', '--all', '--format', 'json');
    const users = JSON.parse(list.stdout) as Array<{ email: string; role: string; active: boolean; agency: string | null }>;
    expect(users.map((u) => [u.email, u.role, u.active, u.agency])).toEqual([
      ['ana@acme.test', 'admin', true, null],
      ['gestor@acme.test', 'agency', false, 'Despacho Norte'],
    ]);
    expect(list.stdout).not.toContain('argon2');

    const audit = await run('audit', 'list', '--action', 'user.', '--format', 'json');
    expect(audit.code, audit.stderr).toBe(0);
    const actions = (JSON.parse(audit.stdout) as Array<{ action: string; actor: string }>).map((e) => e.action);
    expect(actions).toEqual(['user.update', 'user.set_password', 'user.update', 'user.create', 'user.create']);
    const table = await run('audit', 'list', '--entity', 'user', '--limit', '2');
    expect(table.stdout).toContain('active: true → false');
    expect(table.stdout.split('\n').filter((l) => l.includes('user.')).length).toBe(2);
  }, 120_000);
});
