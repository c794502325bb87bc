/**
 * Sealing of stored secrets with AES-256-GCM (node:crypto). A sealed value is "v1:" + base64(iv ‖ tag ‖ ciphertext)
 * with a fresh 12-byte IV per value; the associated data binds it to its company, provider and field, so a sealed
 * value copied into another row or field does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** AES-256 takes a 32-byte key. */
export const SECRETS_KEY_BYTES = 32;

/** A sealed value did not open: the key is not the one it was sealed with, or the stored value was altered. */
export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError';
}

/** Parses a base64 key (COBRANZA_SECRETS_KEY) and checks its length. */
export function parseSecretsKey(base64: string): Buffer {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new SecretsKeyError('COBRANZA_SECRETS_KEY must be base64 (e.g. the output of `openssl rand -base64 32`)');
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== SECRETS_KEY_BYTES) throw new SecretsKeyError(`COBRANZA_SECRETS_KEY must decode to ${SECRETS_KEY_BYTES} bytes, got ${key.length}`);
  return key;
}

/** A new random key. */
export function generateSecretsKey(): Buffer {
  return randomBytes(SECRETS_KEY_BYTES);
}

/** Encrypts `plain` under `key`; `context` (e.g. "12/twilio/auth_token") must be given again to open it. */
export function seal(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Decrypts a value made by `seal`; throws SecretsKeyError when the key or the context is not the sealing one. */
export function open(key: Buffer, sealed: string, context: string): string {
  if (!sealed.startsWith(VERSION)) throw new SecretsKeyError(`stored secret ${context} is not in a known format`);
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretsKeyError(`stored secret ${context} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretsKeyError(
      `stored secret ${context} cannot be decrypted: COBRANZA_SECRETS_KEY is not the key it was saved with (or the stored value was altered); restore the original key or save the credential again`,
    );
  }
}
