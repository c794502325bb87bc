/** Passwords (argon2id) and random tokens (stored as SHA-256: they carry full entropy, so no slow hash is needed). */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError, t, type Text } from '../shared/errors.ts';

// The package's enum is a `const enum`, which type stripping cannot inline; 2 is its Argon2id member.
const ARGON2ID = 2 as Algorithm;

/** Shortest accepted password. Length beats composition rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 256;

/** Refuses a password that is too short, too long or the same as the email. */
export function checkPassword(password: string, email?: string): void {
  const details: Array<{ path: string; reason: Text }> = [];
  if (password.length < MIN_PASSWORD_LENGTH) details.push({ path: 'password', reason: t(`must have at least ${MIN_PASSWORD_LENGTH} characters`, `debe tener al menos ${MIN_PASSWORD_LENGTH} caracteres`) });
  if (password.length > MAX_PASSWORD_LENGTH) details.push({ path: 'password', reason: t(`must have at most ${MAX_PASSWORD_LENGTH} characters`, `debe tener como máximo ${MAX_PASSWORD_LENGTH} caracteres`) });
  if (email !== undefined && password.trim().toLowerCase() === email.trim().toLowerCase()) details.push({ path: 'password', reason: t('must not be the email address', 'no debe ser el correo electrónico') });
  if (details.length) {
    const reasons = (l: 'en' | 'es') => details.map((d) => d.reason[l]).join('; ');
    throw new AppError('validation_failed', t(`the password is not acceptable: ${reasons('en')}`, `la contraseña no es aceptable: ${reasons('es')}`), details);
  }
}

/** argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** Whether `password` matches the stored PHC string; a malformed hash is a mismatch, not a crash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of a password nobody has, so an unknown email costs the same time as a known one. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** A random URL-safe token (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const WORDS_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A generated password for a new user or an administrator's reset: 16 characters without look-alikes. */
export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += WORDS_ALPHABET[randomInt(WORDS_ALPHABET.length)];
  return out;
}
