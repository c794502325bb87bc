/**
 * The embedded database has exactly one owner. While `cobranza serve` holds the data directory, other `cobranza`
 * commands run through it (their writes land in the server's database) and nothing opens the directory twice.
 * Also the quick start: an empty directory gets the demo portfolio, the URL and an admin API key.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, DataDirLockedError, lockPath } from '../../src/db/data-dir-lock.ts';
import { cli, startCli } from '../support/cli.ts';

const embedded = !process.env.DATABASE_URL;

/** A Node older than 24 on the PATH (the machine's own, next to the one the project pins), if there is one. */
const olderNode = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'node'))
  .find((candidate) => {
    if (!existsSync(candidate)) return false;
    const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    return /^\d+\./.test(version) && Number(version.split('.')[0]) < 24;
  });
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cobranza-serve-'));
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe.runIf(embedded)('one owner of the embedded data directory', () => {
  it('runs other commands through the serving process, never opening the directory twice', async () => {
    const dataDir = join(dir, 'data-serve');
    const env = { COBRANZA_DATA_DIR: dataDir, PORT: '0', COBRANZA_NOW: '2026-03-31T18:00:00Z' };
    const server = await startCli(['serve'], { env, ready: /listening on (http:\/\/\S+)/ });
    children.push(server.child);
    const url = server.match[1]!;
    expect(JSON.parse(readFileSync(lockPath(dataDir), 'utf8'))).toMatchObject({ pid: server.child.pid });

    // A second owner is refused outright: the lock names the live owner.
    expect(() => acquireLock(dataDir, new Date())).toThrow(DataDirLockedError);

    writeFileSync(join(dir, 'd.csv'), 'external_id,name\nS-1,Uno\nS-2,Dos\n');
    const imported = await cli(['import', 'debtors', 'd.csv'], { env, cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/2 were inserted/);

    // The write is visible through the server's own HTTP API.
    const key = (await cli(['apikey', 'create', 'test'], { env, cwd: dir })).stdout.match(/cbz_\S+/)![0];
    const res = await fetch(`${url}/debtors/S-2`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('Dos');

    // A second server on the same directory is refused with the owner's address.
    const second = await cli(['serve'], { env, cwd: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already running at/);

    expect(await stop(server.child)).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
    // With the server gone, commands open the directory themselves and see what was written through it.
    const after = await cli(['import', 'debtors', 'd.csv'], { env, cwd: dir });
    expect(after.stdout).toMatch(/0 were inserted, 0 updated, 2 unchanged/);
  });

  // bin/cobranza.js started by an older Node re-runs itself under the pinned Node 24: stopping it by its pid (a service
  // manager, `kill PID`) must stop the server it started, which otherwise kept the port and the data directory.
  it.runIf(olderNode)('stops the server it started under Node 24 when the launcher is stopped', async () => {
    const dataDir = join(dir, 'data-launcher');
    const env = { COBRANZA_DATA_DIR: dataDir, PORT: '0' };
    const launcher = await startCli(['serve'], { env, ready: /listening on (http:\/\/\S+)/, node: olderNode });
    children.push(launcher.child);
    const owner = (JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as { pid: number }).pid;
    // The server is the launcher's child, not the launcher.
    expect(owner).not.toBe(launcher.child.pid);
    expect(await stop(launcher.child)).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
    expect(() => process.kill(owner, 0)).toThrow(/ESRCH/);
    await expect(fetch(`${launcher.match[1]}/health`)).rejects.toThrow();
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = join(dir, 'data-stale');
    const env = { COBRANZA_DATA_DIR: dataDir, PORT: '0' };
    const server = await startCli(['serve'], { env, ready: /listening on/ });
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    expect(existsSync(lockPath(dataDir))).toBe(true);
    const r = await cli(['migrate'], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
  });

  it('quick start: an empty directory gets the demo portfolio, the URL and an admin API key', async () => {
    const dataDir = join(dir, 'data-start');
    const env = { COBRANZA_DATA_DIR: dataDir, PORT: '0', COBRANZA_NOW: '2026-03-31T18:00:00Z', COBRANZA_DEMO_DEBTORS: '150' };
    const started = await startCli(['start'], { env, ready: /listening on (http:\/\/\S+)[\s\S]*?(cbz_\S+)/, timeoutMs: 120_000 });
    children.push(started.child);
    const [, url, key] = started.match;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const accounts = await fetch(`${url}/accounts?phase=judicial&limit=5`, { headers: { authorization: `Bearer ${key}` } });
    expect(accounts.status).toBe(200);
    const body = (await accounts.json()) as { data: Array<{ debtor_external_id: string }> };
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data[0]!.debtor_external_id).toMatch(/^DEMO-/);
    await stop(started.child);
    // A second start on a loaded directory loads nothing and prints no new key.
    const again = await startCli(['start'], { env, ready: /listening on[\s\S]*?\n.*\n/ });
    children.push(again.child);
    expect(again.output()).not.toMatch(/demo portfolio/);
    expect(again.output()).not.toMatch(/cbz_/);
    await stop(again.child);
  });
});
