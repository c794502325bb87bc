import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAttempts, passwordResets, sessions, users } from '../../src/db/tables/access.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { browser, sessionCookie, signIn, startAccessHarness, type AccessHarness } from './harness.ts';

const MINUTE = 60_000;
let h: AccessHarness;

beforeAll(async () => {
  h = await startAccessHarness({ settings: { sessionTtlMs: 8 * 60 * MINUTE, idleTimeoutMs: 30 * MINUTE, maxFailedLogins: 5, lockoutMs: 15 * MINUTE, resetTtlMs: 60 * MINUTE } });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function newUser(email: string) {
  return (await createUser(h.a.ctx, { email, name: email, role: 'collector', password: h.password })).user;
}

describe('sign in', () => {
  it('stores passwords as argon2id, never in the clear', async () => {
    const [row] = await h.database.db.select().from(users).where(eq(users.email, 'collector@acme.test'));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(row!.passwordHash).not.toContain(h.password);
  });

  it('sets a secure, http-only, SameSite=Lax session cookie whose token is stored only hashed', async () => {
    const res = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'Supervisor@Acme.test ', password: h.password });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: 'supervisor@acme.test', role: 'supervisor' }, company: { slug: 'acme' } });
    const cookie = res.cookies.find((c) => c.name === 'cobranza_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(cookie.maxAge).toBe(8 * 60 * 60);
    const stored = await h.database.db.select().from(sessions);
    expect(stored.some((s) => s.tokenHash === cookie.value)).toBe(false);
    const me = await browser(h.app, sessionCookie(res), 'GET', '/auth/me');
    expect(me.json()).toMatchObject({ kind: 'user', actor: 'supervisor@acme.test', role: 'supervisor', company: { slug: 'acme' } });
    expect(me.json().permissions).not.toContain('users:manage');
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'viewer@acme.test', password: 'no-es-esta-123' });
    const unknown = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'nadie@acme.test', password: 'no-es-esta-123' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies).toEqual([]);
    const attempts = await h.database.db.select().from(loginAttempts).where(eq(loginAttempts.email, 'nadie@acme.test'));
    expect(attempts.map((a) => a.outcome)).toEqual(['unknown_user']);
  });

  it('locks a user after 5 wrong passwords for 15 minutes of the clock, even for the right password', async () => {
    await newUser('lock@acme.test');
    for (let i = 1; i <= 4; i++) {
      const res = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'lock@acme.test', password: `incorrecta-${i}-xx` });
      expect(res.statusCode, `attempt ${i}`).toBe(401);
    }
    const fifth = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'lock@acme.test', password: 'incorrecta-5-xx' });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(fifth.json().message).toContain('15 more minutes');

    const right = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'lock@acme.test', password: h.password });
    expect(right.statusCode).toBe(429);
    h.clock.advance(14 * MINUTE);
    expect((await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'lock@acme.test', password: h.password })).statusCode).toBe(429);
    h.clock.advance(1 * MINUTE);
    expect((await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'lock@acme.test', password: h.password })).statusCode).toBe(200);
    const audit = await browser(h.app, await signIn(h.app, 'auditor@acme.test', h.password), 'GET', '/audit?action=user.lock');
    expect(audit.json().data).toHaveLength(1);
    expect(audit.json().data[0]).toMatchObject({ actor: 'lock@acme.test', entity: 'user' });
  });

  it('counts failures in a row: a success in between starts the count again', async () => {
    await newUser('reset-count@acme.test');
    for (let i = 0; i < 4; i++) await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'reset-count@acme.test', password: 'incorrecta-xx-1' });
    await signIn(h.app, 'reset-count@acme.test', h.password);
    for (let i = 0; i < 4; i++) {
      const res = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'reset-count@acme.test', password: 'incorrecta-xx-1' });
      expect(res.statusCode).toBe(401);
    }
  });

  it('refuses a deactivated user', async () => {
    const u = await newUser('gone@acme.test');
    const adminCookie = await signIn(h.app, 'admin@acme.test', h.password);
    const session = await signIn(h.app, 'gone@acme.test', h.password);
    expect((await browser(h.app, adminCookie, 'PATCH', `/users/${u.id}`, { active: false })).statusCode).toBe(200);
    expect((await browser(h.app, session, 'GET', '/debtors')).statusCode).toBe(401);
    const res = await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'gone@acme.test', password: h.password });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toContain('deactivated');
  });
});

describe('sessions', () => {
  it('end after the idle timeout, measured on the injected clock', async () => {
    const cookie = await signIn(h.app, 'viewer@acme.test', h.password);
    h.clock.advance(29 * MINUTE);
    expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(200);
    // Activity moved the idle window: 29 more minutes are still inside it.
    h.clock.advance(29 * MINUTE);
    expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(200);
    h.clock.advance(30 * MINUTE);
    const res = await browser(h.app, cookie, 'GET', '/debtors');
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toContain('session has ended');
    expect(res.cookies.find((c) => c.name === 'cobranza_session')?.value).toBe('');
  });

  it('end at their absolute lifetime however active', async () => {
    const cookie = await signIn(h.app, 'viewer@acme.test', h.password);
    // 16 × 29 minutes = 7 h 44 min of steady use, each request inside the idle window…
    for (let i = 1; i <= 16; i++) {
      h.clock.advance(29 * MINUTE);
      expect((await browser(h.app, cookie, 'GET', '/auth/me')).statusCode, `after ${i * 29} min`).toBe(200);
    }
    // …and 20 minutes later the 8-hour lifetime is over.
    h.clock.advance(20 * MINUTE);
    expect((await browser(h.app, cookie, 'GET', '/auth/me')).statusCode).toBe(401);
  });

  it('end on sign out; the old cookie no longer works', async () => {
    const cookie = await signIn(h.app, 'viewer@acme.test', h.password);
    const out = await browser(h.app, cookie, 'POST', '/auth/sign-out');
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'cobranza_session')?.value).toBe('');
    expect((await browser(h.app, cookie, 'GET', '/auth/me')).statusCode).toBe(401);
  });

  it('refuse a forged cookie', async () => {
    expect((await browser(h.app, 'cobranza_session=inventado', 'GET', '/auth/me')).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated change without the X-Requested-With header, and changes nothing', async () => {
    const cookie = await signIn(h.app, 'admin@acme.test', h.password);
    const res = await h.app.inject({ method: 'POST', url: '/segments', headers: { cookie }, payload: { name: 'csrf', rule: "phase = 'judicial'" } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', details: [{ path: 'headers.x-requested-with' }] });
    const list = await browser(h.app, cookie, 'GET', '/segments');
    expect(list.json().data.map((s: { name: string }) => s.name)).not.toContain('csrf');
    // Reads need no header: a cross-site page cannot read the answer anyway.
    expect((await h.app.inject({ method: 'GET', url: '/segments', headers: { cookie } })).statusCode).toBe(200);
  });

  it('refuses a request whose Origin is another site', async () => {
    const cookie = await signIn(h.app, 'admin@acme.test', h.password);
    const res = await browser(h.app, cookie, 'POST', '/segments', { name: 'csrf2', rule: "phase = 'judicial'" }, { origin: 'https://evil.example', host: 'cobranza.test' });
    expect(res.statusCode).toBe(403);
    const same = await browser(h.app, cookie, 'POST', '/segments', { name: 'csrf3', rule: "phase = 'judicial'" }, { origin: 'https://cobranza.test', host: 'cobranza.test' });
    expect(same.statusCode).toBe(201);
  });

  it('refuses a sign-in without the header (a forged sign-in)', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'admin@acme.test', password: h.password } });
    expect(res.statusCode).toBe(403);
  });

  it('does not apply to API keys', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/segments', headers: { authorization: `Bearer ${h.a.keys.admin}` }, payload: { name: 'por-api', rule: "phase = 'judicial'" } });
    expect(res.statusCode).toBe(201);
  });
});

describe('password reset by email', () => {
  const linkIn = (text: string) => /https:\/\/cobranza\.test\/app\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(text);

  it('emails a single-use link that sets a new password, lifts a lockout and ends old sessions', async () => {
    await newUser('olvido@acme.test');
    const oldSession = await signIn(h.app, 'olvido@acme.test', h.password);
    for (let i = 0; i < 5; i++) await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'olvido@acme.test', password: 'incorrecta-xx-2' });
    const before = h.smtp.messages.length;
    const asked = await browser(h.app, null, 'POST', '/auth/forgot-password', { email: 'OLVIDO@acme.test' });
    expect(asked.statusCode).toBe(202);
    expect(h.smtp.messages.length).toBe(before + 1);
    const mail = h.smtp.messages.at(-1)!;
    expect(mail.envelope.to).toEqual(['olvido@acme.test']);
    expect(mail.parsed.subject).toContain('Restablecer su contraseña');
    const match = linkIn(mail.parsed.text ?? '');
    expect(match).not.toBeNull();
    const token = match![1]!;
    const stored = await h.database.db.select().from(passwordResets);
    expect(stored.some((r) => r.tokenHash === token)).toBe(false);

    const weak = await browser(h.app, null, 'POST', '/auth/reset-password', { token, password: 'corta' });
    expect(weak.statusCode).toBe(400);
    const done = await browser(h.app, null, 'POST', '/auth/reset-password', { token, password: 'una-nueva-clave-larga' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ email: 'olvido@acme.test' });
    expect((await browser(h.app, oldSession, 'GET', '/auth/me')).statusCode).toBe(401);
    expect((await browser(h.app, null, 'POST', '/auth/sign-in', { email: 'olvido@acme.test', password: h.password })).statusCode).toBe(401);
    await signIn(h.app, 'olvido@acme.test', 'una-nueva-clave-larga');

    const again = await browser(h.app, null, 'POST', '/auth/reset-password', { token, password: 'otra-clave-distinta-1' });
    expect(again.statusCode).toBe(400);
    expect(again.json().details).toEqual([{ path: 'token', reason: 'invalid or expired' }]);
  });

  it('expires the link', async () => {
    await newUser('tarde@acme.test');
    await browser(h.app, null, 'POST', '/auth/forgot-password', { email: 'tarde@acme.test' });
    const token = linkIn(h.smtp.messages.at(-1)!.parsed.text ?? '')![1]!;
    h.clock.advance(61 * MINUTE);
    expect((await browser(h.app, null, 'POST', '/auth/reset-password', { token, password: 'una-nueva-clave-larga' })).statusCode).toBe(400);
  });

  it('answers 202 and sends nothing for an unknown email; sends at most one email a minute per user', async () => {
    await newUser('spam@acme.test');
    const before = h.smtp.messages.length;
    expect((await browser(h.app, null, 'POST', '/auth/forgot-password', { email: 'nadie@nada.test' })).statusCode).toBe(202);
    expect(h.smtp.messages.length).toBe(before);
    await browser(h.app, null, 'POST', '/auth/forgot-password', { email: 'spam@acme.test' });
    await browser(h.app, null, 'POST', '/auth/forgot-password', { email: 'spam@acme.test' });
    expect(h.smtp.messages.length).toBe(before + 1);
    h.clock.advance(61_000);
    await browser(h.app, null, 'POST', '/auth/forgot-password', { email: 'spam@acme.test' });
    expect(h.smtp.messages.length).toBe(before + 2);
  });
});
