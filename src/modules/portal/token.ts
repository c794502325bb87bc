/**
 * The portal link's token: `<company>.<debtor>.<link>.<expiry>.<signature>` (numbers in base 36, expiry in Unix
 * seconds, signature HMAC-SHA256 over the rest, truncated to 128 bits, base64url). It says who and until when on its
 * own, so a forged or altered token is refused before the database is asked; the link row makes it revocable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token says. */
export interface PortalTokenClaims {
  companyId: number;
  debtorId: number;
  linkId: number;
  expiresAt: Date;
}

const SIGNATURE_BYTES = 16;

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`cobranza-portal-v1:${payload}`).digest().subarray(0, SIGNATURE_BYTES);
}

/** Signs claims into a URL-safe token. */
export function signPortalToken(secret: string, claims: PortalTokenClaims): string {
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  const payload = [claims.companyId, claims.debtorId, claims.linkId, seconds].map((n) => n.toString(36)).join('.');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

/** The claims a token states, unverified: which company's key checks it. Null when it is not shaped like a token. */
export function peekPortalToken(token: string): PortalTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 5 || token.length > 200) return null;
  const numbers = parts.slice(0, 4).map((p) => (/^[0-9a-z]{1,13}$/.test(p) ? parseInt(p, 36) : NaN));
  if (numbers.some((n) => !Number.isSafeInteger(n) || n <= 0)) return null;
  const [companyId, debtorId, linkId, seconds] = numbers as [number, number, number, number];
  return { companyId, debtorId, linkId, expiresAt: new Date(seconds * 1000) };
}

/** Whether the token's signature matches its claims under `secret` (constant-time). */
export function verifyPortalToken(secret: string, token: string): PortalTokenClaims | null {
  const claims = peekPortalToken(token);
  if (!claims) return null;
  const cut = token.lastIndexOf('.');
  const given = Buffer.from(token.slice(cut + 1), 'base64url');
  const expected = sign(secret, token.slice(0, cut));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return claims;
}
