/**
 * Password reset emails go through the email provider messaging uses for the user's company (resetMailer over
 * companyProvidersFromConfig, as `serve` wires it): the company's saved SMTP settings (host, port, user and password,
 * sender) when it saved them, else the environment's SMTP, else the sandbox, whose link `serve` prints.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyProvidersFromConfig, resetMailer } from '../../src/cli/providers.ts';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/http/server.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { requestPasswordReset } from '../../src/modules/access/password-reset.ts';
import { DEFAULT_AUTH_SETTINGS } from '../../src/modules/access/settings.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { generateSecretsKey } from '../../src/modules/settings/index.ts';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { browser } from './harness.ts';

const PASSWORD = 'correcto-caballo-42';
const SAVED_AUTH = { user: 'acme-correo', pass: 'smtp-clave-guardada-31f' };
const clock = fixedClock('2026-03-16T17:00:00Z');
const secretsKey = generateSecretsKey();

let database: TestDatabase;
let app: FastifyInstance;
let envSmtp: FakeSmtp;
let savedSmtp: FakeSmtp;
let adminKey: string;
let acme: Ctx;
let other: Ctx;

const linkIn = (text: string | undefined) => /https:\/\/cobranza\.test\/app\/reset-password\?token=[A-Za-z0-9_-]+/.exec(text ?? '')?.[0];
const forgot = async (email: string) => {
  const res = await browser(app, null, 'POST', '/auth/forgot-password', { email });
  expect(res.statusCode, res.body).toBe(202);
};
const saveSmtp = async (body: Record<string, unknown>) => {
  const res = await app.inject({ method: 'PUT', url: '/settings/providers/smtp', headers: { authorization: `Bearer ${adminKey}` }, payload: body });
  expect(res.statusCode, res.body).toBe(200);
};

beforeAll(async () => {
  database = await createTestDatabase();
  [envSmtp, savedSmtp] = await Promise.all([startFakeSmtp(), startFakeSmtp({ auth: SAVED_AUTH })]);
  const a = await createTestCompany(database, 'acme', 'MX');
  const b = await createTestCompany(database, 'other', 'MX');
  acme = { database, clock, companyId: a.id, actor: 'test' };
  other = { database, clock, companyId: b.id, actor: 'test' };
  for (const email of ['ana@acme.test', 'beto@acme.test', 'caro@acme.test']) await createUser(acme, { email, name: email.split('@')[0]!, role: 'collector', password: PASSWORD });
  await createUser(other, { email: 'olga@other.test', name: 'Olga', role: 'admin', password: PASSWORD });
  adminKey = (await createApiKey({ database, companyId: a.id, name: 'admin', clock })).key;
  // The environment sends email through its own SMTP server; `serve` wires the reset mailer this way.
  const config = loadConfig({ COBRANZA_EMAIL: 'smtp', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(envSmtp.port), SMTP_FROM: 'Cobranza <no-reply@entorno.test>' });
  const providers = companyProvidersFromConfig(config, clock, secretsKey);
  app = buildServer({ database, clock, secretsKey, webRoot: false, auth: { publicUrl: 'https://cobranza.test', mailer: resetMailer(providers) } });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([envSmtp?.close(), savedSmtp?.close()]);
  await database?.close();
});

describe('password reset email provider', () => {
  it('uses the environment’s SMTP while the company has saved none', async () => {
    await forgot('ana@acme.test');
    expect(envSmtp.messages).toHaveLength(1);
    expect(envSmtp.messages[0]!.envelope).toEqual({ from: 'no-reply@entorno.test', to: ['ana@acme.test'] });
    expect(linkIn(envSmtp.messages[0]!.parsed.text)).toBeDefined();
    expect(savedSmtp.messages).toHaveLength(0);
  });

  it('uses the company’s saved host, port, user and password once saved; another company keeps the environment’s', async () => {
    await saveSmtp({ host: '127.0.0.1', port: savedSmtp.port, secure: false, user: SAVED_AUTH.user, password: SAVED_AUTH.pass, from: 'Cobranza ACME <avisos@acme.test>' });
    await forgot('beto@acme.test');
    // The saved server only accepts the saved user and password: the message reaching it proves all four were used.
    expect(savedSmtp.messages).toHaveLength(1);
    expect(savedSmtp.messages[0]!.envelope).toEqual({ from: 'avisos@acme.test', to: ['beto@acme.test'] });
    expect(linkIn(savedSmtp.messages[0]!.parsed.text)).toBeDefined();
    expect(envSmtp.messages).toHaveLength(1);

    await forgot('olga@other.test');
    expect(envSmtp.messages).toHaveLength(2);
    expect(envSmtp.messages[1]!.envelope.to).toEqual(['olga@other.test']);
    expect(savedSmtp.messages).toHaveLength(1);
  });

  it('goes back to the environment’s SMTP when the company clears its settings', async () => {
    // Plain fields are replaced by what is sent and a null secret is removed: nothing is left to send with.
    await saveSmtp({ password: null });
    await forgot('caro@acme.test');
    expect(envSmtp.messages.map((m) => m.envelope.to[0])).toEqual(['ana@acme.test', 'olga@other.test', 'caro@acme.test']);
    expect(savedSmtp.messages).toHaveLength(1);
  });

  it('without mail configured anywhere, the sandbox keeps the email and the link is printed, as before', async () => {
    const printed: string[] = [];
    const mailer = resetMailer(companyProvidersFromConfig(loadConfig({}), clock, secretsKey), (line) => printed.push(line));
    clock.advance(61_000);
    await requestPasswordReset({ database, clock, settings: DEFAULT_AUTH_SETTINGS, mailer, publicUrl: 'https://cobranza.test' }, { email: 'olga@other.test' });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^\[sandbox\] password reset for olga@other\.test: https:\/\/cobranza\.test\/app\/reset-password\?token=\S+\n$/);
    expect(envSmtp.messages).toHaveLength(3);
    // With the sandbox in the environment, a company that saved SMTP settings still gets real email (nothing printed).
    await saveSmtp({ host: '127.0.0.1', port: savedSmtp.port, secure: false, user: SAVED_AUTH.user, password: SAVED_AUTH.pass, from: 'Cobranza ACME <avisos@acme.test>' });
    await requestPasswordReset({ database, clock, settings: DEFAULT_AUTH_SETTINGS, mailer, publicUrl: 'https://cobranza.test' }, { email: 'ana@acme.test' });
    expect(savedSmtp.messages.map((m) => m.envelope.to[0])).toEqual(['beto@acme.test', 'ana@acme.test']);
    expect(printed).toHaveLength(1);
  });
});
