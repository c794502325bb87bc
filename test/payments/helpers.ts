/**
 * A payments world: a real database (PGlite, or PostgreSQL with DATABASE_URL) with two companies, an API server with
 * webhook secrets for "acme", and helpers to create debtors and obligations through the portfolio's own write path.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { configurePayments, type PaymentGateways } from '../../src/modules/payments/index.ts';
import { buildServer } from '../../src/http/server.ts';
import type { WebhookConfig } from '../../src/http/webhook-config.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

export const STRIPE_WEBHOOK_SECRET = 'whsec_test_secret_for_acme';
export const MP_WEBHOOK_SECRET = 'mp-webhook-secret-acme';
export const PUBLIC_URL = 'https://cobranza.example.com';

export interface PaymentsWorld {
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  ctx: Ctx;
  otherCtx: Ctx;
  app: FastifyInstance;
  key: string;
  otherKey: string;
  /** Creates a debtor; returns its id. */
  debtor(externalId: string, fields?: Record<string, string>): Promise<number>;
  /** Creates an obligation (amount as a decimal string); returns its id. */
  obligation(debtorExternalId: string, externalId: string, dueOn: string, amount: string, currency?: string): Promise<number>;
  balanceOf(obligationExternalId: string): Promise<bigint>;
  count(table: 'payments' | 'provider_payments' | 'payment_alerts' | 'payment_links', ctx?: Ctx): Promise<number>;
  api(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, key?: string | null): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createPaymentsWorld(options: { now?: string; gateways?: PaymentGateways } = {}): Promise<PaymentsWorld> {
  const database = await createTestDatabase();
  const clock = fixedClock(options.now ?? '2026-03-15T18:00:00Z');
  const acme = await createTestCompany(database, 'acme', 'MX');
  const other = await createTestCompany(database, 'other', 'MX');
  const ctx: Ctx = { database, clock, companyId: acme.id, actor: 'test' };
  const otherCtx: Ctx = { database, clock, companyId: other.id, actor: 'test' };
  const key = (await createApiKey({ database, companyId: acme.id, name: 'a' })).key;
  const otherKey = (await createApiKey({ database, companyId: other.id, name: 'b' })).key;
  configurePayments({ gateways: options.gateways ?? { checkout: () => null, mercadoPagoPayments: () => null }, defaultProvider: 'sandbox', publicUrl: PUBLIC_URL });
  const webhooks: WebhookConfig = {
    secretsFor: (slug) => (slug === 'acme' ? { stripeWebhookSecret: STRIPE_WEBHOOK_SECRET, mercadoPagoWebhookSecret: MP_WEBHOOK_SECRET } : {}),
    publicBaseUrl: PUBLIC_URL,
  };
  const app = buildServer({ database, clock, webhooks });
  await app.ready();
  const idOf = async (table: string, externalId: string) => {
    const rows = await database.query<{ id: string }>(sql`SELECT id::text AS id FROM ${sql.identifier(table)} WHERE company_id = ${acme.id} AND external_id = ${externalId}`);
    return Number(rows[0]!.id);
  };
  return {
    database,
    clock,
    ctx,
    otherCtx,
    app,
    key,
    otherKey,
    async debtor(externalId, fields = {}) {
      await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: externalId, name: `Deudor ${externalId}`, ...fields }] });
      return idOf('debtors', externalId);
    },
    async obligation(debtorExternalId, externalId, dueOn, amount, currency = 'MXN') {
      await saveRecords(ctx, { entity: 'obligations', rows: [{ external_id: externalId, debtor_external_id: debtorExternalId, currency, amount, due_on: dueOn }] });
      return idOf('obligations', externalId);
    },
    async balanceOf(externalId) {
      const rows = await database.query<{ balance: string }>(sql`SELECT balance::text AS balance FROM obligations WHERE company_id = ${acme.id} AND external_id = ${externalId}`);
      return BigInt(rows[0]!.balance);
    },
    async count(table, c = ctx) {
      const rows = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE company_id = ${c.companyId}`);
      return rows[0]!.n;
    },
    api(method, url, body, k = key) {
      return app.inject({ method, url, headers: k ? { authorization: `Bearer ${k}` } : {}, ...(body !== undefined ? { payload: body as object } : {}) });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
