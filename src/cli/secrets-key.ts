/**
 * The key provider credentials are sealed with (docs/adr/0009-provider-secrets-encrypted-at-rest.md):
 * COBRANZA_SECRETS_KEY when set; otherwise a random key made on first start and kept in `<data dir>/secrets.key`
 * (mode 0600). With the embedded database that file sits beside the data it protects. With DATABASE_URL a key file on
 * one application host would be lost with the host while the database lives on, so the start warns that the key should
 * be configured — but still starts, so that the quick start's `DATABASE_URL=… npm start` works as it does without.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { generateSecretsKey, parseSecretsKey } from '../modules/settings/index.ts';

/** Name of the key file in the data directory. */
export const SECRETS_KEY_FILE = 'secrets.key';

/** Resolves the secrets key per the rules above; throws with what to do when it cannot. */
export function resolveSecretsKey(config: Pick<Config, 'secretsKey' | 'databaseUrl' | 'dataDir'>, warn: (message: string) => void = () => {}): Buffer {
  if (config.secretsKey) return parseSecretsKey(config.secretsKey);
  const file = join(config.dataDir, SECRETS_KEY_FILE);
  if (config.databaseUrl) {
    warn(
      `COBRANZA_SECRETS_KEY is not set: provider credentials are sealed with the key in ${file}, which only this host has. ` +
        'Set COBRANZA_SECRETS_KEY (openssl rand -base64 32) on every host that shares this database.',
    );
  }
  try {
    const key = parseSecretsKey(readFileSync(file, 'utf8'));
    // Tighten a key file whose permissions were loosened (e.g. by a copy).
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the secrets key in ${file}: ${(error as Error).message}`, { cause: error });
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = generateSecretsKey();
  // 'wx': never overwrite a key another process wrote meanwhile (that would orphan what it sealed).
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parseSecretsKey(readFileSync(file, 'utf8'));
    throw error;
  }
  return key;
}
