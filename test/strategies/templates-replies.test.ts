/**
 * A company's own templates (HTTP and CLI): saved from YAML, refused with a clear error when they name an unknown
 * variable (nothing saved), versioned when changed, protected from overwriting a newer version, audited, and used by
 * strategies and dispatch in preference to the default. And replies: listed, marked handled over HTTP and the CLI,
 * which resumes the debtor's strategy, audited.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReplyCommands } from '../../src/cli/commands/replies.ts';
import { registerTemplateCommands } from '../../src/cli/commands/templates.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import { auditLog } from '../../src/db/tables/access.ts';
import { templates } from '../../src/db/schema.ts';
import { buildServer } from '../../src/http/server.ts';
import { NO_WEBHOOKS } from '../../src/http/webhook-config.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { dispatchDue, recordSandboxReply, setAutomationSettings, type ChannelProvider, type OutboundMessage } from '../../src/modules/messaging/index.ts';
import { AppError } from '../../src/modules/shared/errors.ts';
import { applyStrategy, planDay } from '../../src/modules/strategies/index.ts';
import { createTestCompany } from '../support/database.ts';
import { call } from '../http/harness.ts';
import { createWorld, type World } from './helpers.ts';

const OWN_SMS = `
key: due_today
channel: sms
language: es-MX
content:
  body: "{{creditor.name}}: {{debtor.first_name}}, hoy vence su pago de {{amount.total}}. Páguelo en {{payment_link}}. {{optout_instructions}}"
`;

const CUSTOM = `
templates:
  - key: aviso_amable
    channel: email
    content:
      subject: "{{creditor.name}}: un recordatorio amable"
      html: "<p>Hola {{debtor.first_name}}, le escribe {{creditor.name}}. Su saldo es {{amount.total}}.</p><p>{{optout_instructions}}</p>"
      text: "Hola {{debtor.first_name}}, le escribe {{creditor.name}}. Su saldo es {{amount.total}}. {{optout_instructions}}"
`;

const TYPO = `
key: due_today
channel: sms
content:
  body: "{{creditor.name}}: hola {{debtor.nmae}}, hoy vence su pago. {{optout_instructions}}"
`;

let w: World;
let app: FastifyInstance;
let key: string;
let otherKey: string;
let dir: string;
const ids: Record<string, number> = {};
const sms: OutboundMessage[] = [];
const providers: Record<'sms' | 'email', ChannelProvider> = {
  sms: { name: 'rec-sms', channel: 'sms', send: async (m) => (sms.push(m), { providerMessageId: `s${sms.length}`, status: 'accepted' }) },
  email: { name: 'rec-email', channel: 'email', send: async () => ({ providerMessageId: 'e', status: 'accepted' }) },
};

const yamlPost = (payload: string, k = key) => app.inject({ method: 'POST', url: '/templates', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/yaml' }, payload });

async function cli(...argv: string[]): Promise<{ out: string; error: AppError | null }> {
  const io = bufferIO(dir);
  const session = serverSession({ ...loadConfig({}), company: 'acme', country: 'MX' }, w.clock, w.database);
  const program = new Command('cobranza').exitOverride();
  registerTemplateCommands(program, io, session);
  registerReplyCommands(program, io, session);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { out: io.out(), error: null };
  } catch (error) {
    if (error instanceof AppError) return { out: io.out(), error };
    throw error;
  }
}

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-10T13:00:00Z');
  await setAutomationSettings(w.ctx, { sender: { creditor: { name: 'Acme', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://p.acme.example/{debtor}' } });
  key = (await createApiKey({ database: w.database, companyId: w.ctx.companyId, name: 'a' })).key;
  const other = await createTestCompany(w.database, 'other', 'MX');
  otherKey = (await createApiKey({ database: w.database, companyId: other.id, name: 'b' })).key;
  app = buildServer({ database: w.database, clock: w.clock, webhooks: NO_WEBHOOKS });
  await app.ready();
  dir = await mkdtemp(join(tmpdir(), 'cobranza-templates-'));
  ids.A = await w.debtor('A', { name: 'Ana Ruiz', phone: '+525511110001' });
  await w.obligation(ids.A, 'A-1', '2026-03-10', 50_000n);
});

afterAll(async () => {
  await app?.close();
  await w?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('company templates', () => {
  it('refuses a template with an unknown variable, naming it and the closest one; nothing is saved', async () => {
    const r = await yamlPost(TYPO);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('validation_failed');
    expect(body.message).toBe('the template is not valid: content.body: Unknown variable "debtor.nmae". Did you mean "debtor.name"? (body, line 1, column 25)');
    expect(body.details).toEqual([{ path: 'content.body', reason: expect.stringContaining('Unknown variable "debtor.nmae"') }]);
    expect(await w.database.db.select().from(templates)).toEqual([]);
  });

  it('saves a template (201), an identical save changes nothing (200), a change is a new version (201)', async () => {
    const first = await yamlPost(OWN_SMS);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().data).toEqual([{ key: 'due_today', channel: 'sms', language: 'es-MX', version: 1, result: 'created' }]);
    const same = await yamlPost(OWN_SMS);
    expect(same.statusCode).toBe(200);
    expect(same.json().data[0]).toMatchObject({ version: 1, result: 'unchanged' });
    const edited = await yamlPost(OWN_SMS.replace('hoy vence', 'hoy, día de pago, vence'));
    expect(edited.statusCode).toBe(201);
    expect(edited.json().data[0]).toMatchObject({ version: 2, result: 'updated' });
    const audit = await w.database.db.select().from(auditLog).where(and(eq(auditLog.companyId, w.ctx.companyId), eq(auditLog.action, 'template.save')));
    expect(audit.map((a) => [a.entityId, (a.before as { version?: number } | null)?.version ?? null, (a.after as { version: number }).version])).toEqual([
      ['due_today/sms/es-MX', null, 1],
      ['due_today/sms/es-MX', 1, 2],
    ]);
  });

  it('refuses to overwrite a newer version (409) and saves nothing of that file', async () => {
    const stale = `templates:\n  - ${CUSTOM.split('templates:\n  - ')[1]!.trim()}\n  - key: due_today\n    channel: sms\n    version: 1\n    content:\n      body: "{{creditor.name}}: viejo {{optout_instructions}}"\n`;
    const r = await yamlPost(stale);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().message).toMatch(/due_today \(sms, es-MX\) is at version 2, not 1/);
    expect((await w.database.db.select().from(templates)).map((t) => t.key)).toEqual(['due_today']);
  });

  it('lists and shows the templates in effect; another company sees only the defaults', async () => {
    const list = await call(app, key, 'GET', '/templates?key=due_today');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((t: { channel: string; language: string; source: string; version: number | null }) => [t.channel, t.language, t.source, t.version])).toEqual([
      ['email', 'es-MX', 'default', null],
      ['email', 'en', 'default', null],
      ['whatsapp', 'es-MX', 'default', null],
      ['whatsapp', 'en', 'default', null],
      ['sms', 'es-MX', 'company', 2],
      ['sms', 'en', 'default', null],
    ]);
    const shown = await call(app, key, 'GET', '/templates/due_today?channel=sms&language=es-MX');
    expect(shown.json().data[0]).toMatchObject({ source: 'company', version: 2, overrides_default: true, content: { body: expect.stringContaining('día de pago') } });
    const theirs = await call(app, otherKey, 'GET', '/templates/due_today?channel=sms&language=es-MX');
    expect(theirs.json().data[0]).toMatchObject({ source: 'default', version: null });
    expect((await call(app, key, 'GET', '/templates/no_such_key')).statusCode).toBe(404);
  });

  it('strategies use the company template over the default, and may use a key of its own once it exists', async () => {
    const strategy = (template: string) => `name: avisos\nportfolio: default\nrules:\n  - phase: preventive\n    steps:\n      - { id: hoy, trigger: 0, channel: sms, template: due_today }\n      - { id: extra, trigger: 0, channel: email, template: ${template} }\n`;
    await expect(applyStrategy(w.ctx, { source: strategy('aviso_amable') })).rejects.toThrow(/no email template "aviso_amable"/);
    const saved = await cli('templates', 'save', 'custom.yaml').catch(() => null);
    expect(saved?.error?.message).toMatch(/cannot read .*custom\.yaml: no such file/);
    await writeFile(join(dir, 'custom.yaml'), CUSTOM);
    expect((await cli('templates', 'save', 'custom.yaml')).out).toBe('template aviso_amable (email, es-MX) created: version 1\n');
    await applyStrategy(w.ctx, { source: strategy('aviso_amable') });
    await w.day('2026-03-10');
    await dispatchDue(w.ctx, { providers });
    const [message] = sms;
    if (!message || message.channel !== 'sms') throw new Error('no SMS sent');
    expect(message.body).toMatch(/^Acme: Ana, hoy, día de pago, vence su pago de \$500\.00\. Páguelo en https:\/\/p\.acme\.example\/A\. /);
  });

  it('the CLI lists, shows (as a file with its version) and refuses a bad file with every problem', async () => {
    const list = await cli('templates', 'list', '--company');
    expect(list.out).toMatch(/aviso_amable +email +es-MX +company +1/);
    expect(list.out).toMatch(/due_today +sms +es-MX +company \(replaces default\) +2/);
    const shown = await cli('templates', 'show', 'due_today', '--channel', 'sms', '--language', 'es-MX');
    expect(shown.out).toContain('# due_today · sms · es-MX · company, version 2');
    expect(shown.out).toContain('version: 2');
    await writeFile(join(dir, 'typo.yaml'), TYPO);
    const bad = await cli('templates', 'save', 'typo.yaml');
    expect(bad.error?.code).toBe('validation_failed');
    expect(bad.error?.message).toContain('Unknown variable "debtor.nmae". Did you mean "debtor.name"?');
  });
});

describe('replies', () => {
  let first = 0;
  let second = 0;

  it('lists the replies waiting; handling the latest one handles the earlier ones and resumes the strategy', async () => {
    w.clock.set('2026-03-10T16:00:00Z');
    first = (await recordSandboxReply(w.ctx, { debtorExternalId: 'A', channel: 'sms', text: 'Hola' })).inboundId!;
    w.clock.set('2026-03-10T16:05:00Z');
    second = (await recordSandboxReply(w.ctx, { debtorExternalId: 'A', channel: 'sms', text: '¿Puedo pagar el viernes?' })).inboundId!;
    expect((await planDay(w.ctx, { asOf: '2026-03-10' })).strategies[0]!.accounts).toBe(0); // paused

    const list = await call(app, key, 'GET', '/replies');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((r: { id: number; debtor_external_id: string; handled_at: null }) => [r.id, r.debtor_external_id, r.handled_at])).toEqual([
      [second, 'A', null],
      [first, 'A', null],
    ]);
    expect((await call(app, otherKey, 'GET', '/replies')).json().data).toEqual([]);
    expect((await call(app, otherKey, 'POST', `/replies/${second}/handle`)).statusCode).toBe(404);

    w.clock.set('2026-03-10T17:00:00Z');
    const handled = await call(app, key, 'POST', `/replies/${second}/handle`);
    expect(handled.statusCode, handled.body).toBe(200);
    expect(handled.json()).toMatchObject({ already_handled: false, handled_ids: [first, second], strategy_resumed: true, reply: { id: second, handled_at: '2026-03-10T17:00:00.000Z' } });
    expect((await planDay(w.ctx, { asOf: '2026-03-10' })).strategies[0]!.accounts).toBe(1); // resumed

    const again = await call(app, key, 'POST', `/replies/${second}/handle`);
    expect(again.json()).toMatchObject({ already_handled: true, handled_ids: [] });
    const audit = await w.database.db.select().from(auditLog).where(and(eq(auditLog.companyId, w.ctx.companyId), eq(auditLog.action, 'reply.handle')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'inbound_message', entityId: String(second), after: { handled_ids: [first, second], strategy_resumed: true, debtor: 'A' } });
    expect((await call(app, key, 'GET', '/replies?status=handled')).json().data).toHaveLength(2);
  });

  it('the CLI lists and handles; a later reply keeps the strategy paused', async () => {
    w.clock.set('2026-03-11T15:00:00Z');
    const third = (await recordSandboxReply(w.ctx, { debtorExternalId: 'A', channel: 'sms', text: 'Ya pagué' })).inboundId!;
    w.clock.set('2026-03-11T15:10:00Z');
    const fourth = (await recordSandboxReply(w.ctx, { debtorExternalId: 'A', channel: 'sms', text: 'Adjunto comprobante' })).inboundId!;
    const list = await cli('replies', 'list');
    expect(list.out).toMatch(new RegExp(`${fourth} .* A +sms .*Adjunto comprobante`));
    expect(list.out).toMatch(new RegExp(`${third} .* A +sms .*Ya pagué`));
    expect((await cli('replies', 'handle', String(third))).out).toBe(`reply ${third} handled; A has a later reply still waiting\n`);
    expect((await cli('replies', 'handle', String(fourth))).out).toBe(`reply ${fourth} handled; the strategy resumes for A\n`);
    expect((await cli('replies', 'handle', 'x1')).error?.message).toBe('the reply id must be a positive whole number, got "x1"');
    expect((await cli('replies', 'handle', '999999')).error?.code).toBe('not_found');
    expect((await cli('replies', 'list')).out).toBe('no replies waiting\n');
  });
});
