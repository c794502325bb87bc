import { describe, expect, it } from 'vitest';
import { peekPortalToken, signPortalToken, verifyPortalToken } from './token.ts';

const claims = { companyId: 7, debtorId: 123456, linkId: 42, expiresAt: new Date('2026-04-14T18:00:00Z') };

describe('portal tokens', () => {
  it('round-trips the claims under the same secret', () => {
    const token = signPortalToken('s3cret', claims);
    expect(token).toMatch(/^[0-9a-z.]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyPortalToken('s3cret', token)).toEqual(claims);
  });
  it('refuses another secret, an altered claim and a truncated signature', () => {
    const token = signPortalToken('s3cret', claims);
    expect(verifyPortalToken('other', token)).toBeNull();
    const [c, d, l, e, sig] = token.split('.');
    // Another debtor with the same signature, a later expiry with the same signature.
    expect(verifyPortalToken('s3cret', [c, (claims.debtorId + 1).toString(36), l, e, sig].join('.'))).toBeNull();
    expect(verifyPortalToken('s3cret', [c, d, l, (parseInt(e!, 36) + 86400).toString(36), sig].join('.'))).toBeNull();
    expect(verifyPortalToken('s3cret', token.slice(0, -2))).toBeNull();
  });
  it('treats garbage as no token', () => {
    for (const bad of ['', 'abc', 'a.b.c.d', '0.1.1.1.xx', '1.1.1.1.1.1', `${'z'.repeat(20)}.1.1.1.x`, 'A.1.1.1.x']) expect(peekPortalToken(bad), bad).toBeNull();
  });
});
