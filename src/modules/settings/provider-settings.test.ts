import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { auditLog } from '../../db/tables/access.ts';
import { providerSettings } from '../../db/tables/settings.ts';
import { fixedClock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { generateSecretsKey, listProviderSettings, loadProviderSecrets, SecretsKeyError, setProviderSettings } from './index.ts';

const TOKEN = 'tw-auth-token-5f3a9c1e7b2d4a6c8e0f9876';
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
let database: TestDatabase;
let ctx: Ctx;
let other: Ctx;
const key = generateSecretsKey();

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = fixedClock('2026-03-15T15:00:00Z');
  ctx = { database, clock, companyId: (await createTestCompany(database, 'acme')).id, actor: 'user:1' };
  other = { database, clock, companyId: (await createTestCompany(database, 'beta')).id, actor: 'user:2' };
}, 60_000);
afterAll(async () => {
  await database?.close();
});

describe('provider settings', () => {
  it('stores secrets only as ciphertext that opens again with the same key', async () => {
    const saved = await setProviderSettings(ctx, { key, provider: 'twilio', body: { account_sid: SID, from: '+525512345678', auth_token: TOKEN } });
    expect(saved.secrets.auth_token).toEqual({ set: true, last4: '9876' });
    expect(saved.settings).toEqual({ account_sid: SID, from: '+525512345678' });

    const [row] = await database.db.select().from(providerSettings).where(eq(providerSettings.companyId, ctx.companyId));
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(TOKEN);
    expect(row?.secrets.auth_token?.sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);

    expect(await loadProviderSecrets(ctx, { key, provider: 'twilio' })).toEqual({ settings: { account_sid: SID, from: '+525512345678' }, secrets: { auth_token: TOKEN } });
    // Another company sees nothing of it.
    expect((await listProviderSettings(other)).find((p) => p.provider === 'twilio')?.secrets.auth_token).toEqual({ set: false, last4: null });
  });

  it('seals the same secret differently each time (fresh IV)', async () => {
    const first = (await database.db.select().from(providerSettings).where(eq(providerSettings.companyId, ctx.companyId)))[0]?.secrets.auth_token?.sealed;
    await setProviderSettings(ctx, { key, provider: 'twilio', body: { account_sid: SID, from: '+525512345678', auth_token: TOKEN } });
    const second = (await database.db.select().from(providerSettings).where(eq(providerSettings.companyId, ctx.companyId)))[0]?.secrets.auth_token?.sealed;
    expect(second).not.toBe(first);
  });

  it('fails with a clear error under a wrong key', async () => {
    await expect(loadProviderSecrets(ctx, { key: generateSecretsKey(), provider: 'twilio' })).rejects.toThrow(SecretsKeyError);
    await expect(loadProviderSecrets(ctx, { key: generateSecretsKey(), provider: 'twilio' })).rejects.toThrow(/COBRANZA_SECRETS_KEY is not the key it was saved with/);
  });

  it('keeps a secret left out or empty, removes it on null, and never lists it', async () => {
    await setProviderSettings(ctx, { key, provider: 'twilio', body: { account_sid: SID, messaging_service_sid: `MG${'a'.repeat(32)}`, auth_token: '' } });
    expect((await loadProviderSecrets(ctx, { key, provider: 'twilio' })).secrets.auth_token).toBe(TOKEN);
    const listed = await listProviderSettings(ctx);
    expect(listed.map((p) => p.provider)).toEqual(['smtp', 'whatsapp', 'twilio', 'stripe', 'mercadopago']);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    const cleared = await setProviderSettings(ctx, { key, provider: 'twilio', body: { account_sid: SID, from: '+525512345678', auth_token: null } });
    expect(cleared.secrets.auth_token).toEqual({ set: false, last4: null });
    expect((await loadProviderSecrets(ctx, { key, provider: 'twilio' })).secrets).toEqual({});
  });

  it('audits every change without the secret or its last characters', async () => {
    await setProviderSettings(ctx, { key, provider: 'stripe', body: { secret_key: 'sk_test_51HxSecretValue4242' } });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.companyId, ctx.companyId));
    expect(entries.filter((e) => e.action === 'provider_settings.update').length).toBe(5);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('sk_test_51HxSecretValue4242');
    expect(text).not.toContain('4242');
    const stripe = entries.find((e) => e.entityId === 'stripe');
    expect(stripe?.after).toMatchObject({ secrets_set: ['secret_key'], secrets_changed: { secret_key: 'set' } });
  });

  it('refuses bad input with field details and an unknown provider with not_found', async () => {
    const bad = await setProviderSettings(ctx, { key, provider: 'twilio', body: { account_sid: 'nope', from: '+525512345678', messaging_service_sid: `MG${'a'.repeat(32)}`, extra: 1 } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).code).toBe('validation_failed');
    expect((bad as AppError).details.map((d) => d.path)).toEqual(expect.arrayContaining(['account_sid', '']));
    const unknown = await setProviderSettings(ctx, { key, provider: 'fax', body: {} }).catch((e: unknown) => e);
    expect((unknown as AppError).code).toBe('not_found');
  });
});
