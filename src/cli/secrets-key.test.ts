import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSecretsKey, SECRETS_KEY_FILE } from './secrets-key.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobranza-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveSecretsKey', () => {
  it('makes a 32-byte key in the data directory with mode 0600 and reuses it on the next start', async () => {
    const first = resolveSecretsKey({ secretsKey: null, databaseUrl: undefined, dataDir: dir });
    expect(first.length).toBe(32);
    const file = join(dir, SECRETS_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').equals(first)).toBe(true);
    expect(resolveSecretsKey({ secretsKey: null, databaseUrl: undefined, dataDir: dir }).equals(first)).toBe(true);
  });

  it('uses COBRANZA_SECRETS_KEY when set, and writes no file', async () => {
    const configured = Buffer.alloc(32, 7);
    const key = resolveSecretsKey({ secretsKey: configured.toString('base64'), databaseUrl: undefined, dataDir: dir });
    expect(key.equals(configured)).toBe(true);
    await expect(stat(join(dir, SECRETS_KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('warns with DATABASE_URL and no configured key, and still starts with the key file', () => {
    const warnings: string[] = [];
    const key = resolveSecretsKey({ secretsKey: null, databaseUrl: 'postgres://x@h/db', dataDir: dir }, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/COBRANZA_SECRETS_KEY is not set/);
    expect(resolveSecretsKey({ secretsKey: null, databaseUrl: undefined, dataDir: dir }).equals(key)).toBe(true);
  });

  it('refuses a key of the wrong length', async () => {
    expect(() => resolveSecretsKey({ secretsKey: Buffer.alloc(16).toString('base64'), databaseUrl: undefined, dataDir: dir })).toThrow(/32 bytes, got 16/);
    await writeFile(join(dir, SECRETS_KEY_FILE), 'not base64!!', { mode: 0o600 });
    expect(() => resolveSecretsKey({ secretsKey: null, databaseUrl: undefined, dataDir: dir })).toThrow(/cannot read the secrets key/);
  });
});
