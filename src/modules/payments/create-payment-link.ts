/**
 * Creates a payment link for a debtor: its overdue total (or any amount), one obligation, one installment or a
 * settlement amount, through the company's provider.
 *
 * Idempotent: a link is identified by its idempotency key (the caller's, or one derived from debtor, target, amount,
 * currency, provider and the local date), and creating it again returns the same link. The row is written (and
 * audited) before any provider is called; a provider failure leaves it `pending`, and the next attempt with the same
 * key calls the provider again with the same provider idempotency key, so no second checkout is ever created.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { dateInZone } from '../../domain/calendar.ts';
import { formatDecimal, MAX_MINOR, parseCurrency } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, notFound, t, textOf } from '../shared/errors.ts';
import { paymentsRuntime, PaymentProviderError, type CheckoutProvider, type PaymentProvider } from './ports.ts';
import { buildClabe, buildReference } from './references.ts';
import { loadPaymentSettings, type BankReferenceSettings } from './settings.ts';
import { selectLinks, type PaymentLink, type PaymentTarget } from './views.ts';

export interface CreatePaymentLinkInput {
  debtorId: number;
  target: PaymentTarget;
  /** Minor units. Default: the obligation's balance, or the debtor's overdue total; required for installments and settlements. */
  amount?: bigint | undefined;
  currency: string;
  /** Default: the company's provider (payment settings), else the server's. */
  provider?: PaymentProvider | undefined;
  /** Same key, same link. Default: derived from debtor, target, amount, currency, provider and today's date. */
  idempotencyKey?: string | undefined;
  /** What the payer sees; default a Spanish description of the target. */
  description?: string | undefined;
}

/** Stripe accepts a Checkout Session expiry between 30 minutes and 24 hours from creation. */
const STRIPE_MIN_MS = 31 * 60_000;
const STRIPE_MAX_MS = 23 * 3600_000 + 55 * 60_000;

const rowsOf = async <T>(db: Db, statement: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(statement)) as unknown as { rows: T[] }).rows;

/** Creates (or returns the existing) link; `created` tells which. AppError not_found / validation_failed / conflict / provider_failed. */
export async function createPaymentLink(ctx: Ctx, input: CreatePaymentLinkInput): Promise<PaymentLink & { created: boolean }> {
  let currency: string;
  try {
    currency = parseCurrency(input.currency ?? '');
  } catch (error) {
    throw new AppError('validation_failed', textOf(error), [{ path: 'currency', reason: textOf(error) }]);
  }
  const [debtor] = await rowsOf<{ id: string; external_id: string; name: string; time_zone: string }>(
    ctx.database.db,
    sql`SELECT d.id::text AS id, d.external_id, d.name, c.time_zone FROM debtors d JOIN companies c ON c.id = d.company_id
        WHERE d.company_id = ${ctx.companyId} AND d.id = ${input.debtorId}`,
  );
  if (!debtor) throw notFound('debtor', input.debtorId);
  const today = dateInZone(ctx.clock.now(), debtor.time_zone);
  const target = input.target;
  const { amount, description } = await resolveAmount(ctx, { debtorId: input.debtorId, target, currency, today, amount: input.amount });
  if (amount <= 0n) throw new AppError('validation_failed', t('a payment link needs an amount greater than zero', 'un enlace de pago necesita un monto mayor que cero'), [{ path: 'amount', reason: t('must be more than zero', 'debe ser mayor que cero') }]);
  if (amount > MAX_MINOR) throw new AppError('validation_failed', t('the amount is too large', 'el monto es demasiado grande'), [{ path: 'amount', reason: t('too large', 'demasiado grande') }]);

  const settings = await loadPaymentSettings(ctx);
  const provider = input.provider ?? settings.provider;
  const [company] = await rowsOf<{ slug: string }>(ctx.database.db, sql`SELECT slug FROM companies WHERE id = ${ctx.companyId}`);
  const runtime = paymentsRuntime();
  if ((provider === 'stripe' || provider === 'mercadopago') && !(await runtime.gateways.checkout(provider, company!.slug))) {
    const vars = provider === 'stripe' ? 'STRIPE_SECRET_KEY' : 'MERCADOPAGO_ACCESS_TOKEN';
    throw new AppError('validation_failed', t(`${provider === 'stripe' ? 'Stripe' : 'Mercado Pago'} is not configured: save its credentials in the provider settings (or set ${vars} on the server), or choose another provider`, `${provider === 'stripe' ? 'Stripe' : 'Mercado Pago'} no está configurado: guarde sus credenciales en la configuración de proveedores (o defina ${vars} en el servidor), o elija otro proveedor`), [{ path: 'provider', reason: t('not configured', 'no configurado') }]);
  }

  const targetId = target.kind === 'debtor' ? null : target.id;
  const key = input.idempotencyKey?.trim() || `d${input.debtorId}:${target.kind}:${targetId ?? '-'}:${currency}:${amount}:${provider}:${today}`;
  if (key.length > 200) throw new AppError('validation_failed', t('the idempotency key is too long', 'la clave de idempotencia es demasiado larga'), [{ path: 'idempotency_key', reason: t('at most 200 characters', 'como máximo 200 caracteres') }]);

  const now = ctx.clock.now();
  let ttlMs = settings.linkTtlHours * 3600_000;
  if (provider === 'stripe') ttlMs = Math.min(Math.max(ttlMs, STRIPE_MIN_MS), STRIPE_MAX_MS);
  const expiresAt = new Date(now.getTime() + ttlMs);
  const publicId = `pl_${randomBytes(12).toString('base64url')}`;
  const text = input.description?.trim() || description;

  const linkId = await ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const [inserted] = await rowsOf<{ id: string }>(
      tx,
      sql`INSERT INTO payment_links (company_id, public_id, debtor_id, target_kind, target_id, currency, amount, provider, status,
            description, expires_at, idempotency_key, created_by, created_at, updated_at)
          VALUES (${ctx.companyId}, ${publicId}, ${input.debtorId}, ${target.kind}, ${targetId}, ${currency}, ${amount.toString()}::bigint,
            ${provider}, 'pending', ${text.slice(0, 500)}, ${expiresAt.toISOString()}::timestamptz, ${key}, ${ctx.actor},
            ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
          ON CONFLICT (company_id, idempotency_key) DO NOTHING
          RETURNING id::text AS id`,
    );
    if (!inserted) return null;
    const id = Number(inserted.id);
    // Providers without a network call are finished in the same transaction.
    if (provider === 'sandbox') {
      await markOpen(tx, ctx, id, { reference: `sbx_${publicId}`, url: ownPage(publicId), clabe: null });
    } else if (provider === 'bank_reference') {
      await markOpen(tx, ctx, id, bankReference(settings.bankReference, id, publicId));
    }
    await recordAudit(
      ctx,
      { action: 'payment_link.create', entity: 'payment_link', entityId: id, after: { publicId, debtorId: input.debtorId, target, amount, currency, provider, expiresAt, idempotencyKey: key } },
      tx,
    );
    return id;
  });

  const [link] = linkId !== null ? await selectLinks(ctx, sql`l.id = ${linkId}`) : await selectLinks(ctx, sql`l.idempotency_key = ${key}`);
  if (!link) throw new Error(`payment link with key ${key} vanished`);
  if (linkId === null && (link.debtorId !== input.debtorId || link.amount !== amount || link.currency !== currency || link.provider !== provider)) {
    throw new AppError('conflict', t(`the idempotency key "${key}" was already used for a different payment link (${link.publicId})`, `la clave de idempotencia "${key}" ya se usó para otro enlace de pago (${link.publicId})`), [{ path: 'idempotency_key', reason: t('already used', 'ya se usó') }]);
  }
  const created = linkId !== null;
  if (link.status !== 'pending' || (link.provider !== 'stripe' && link.provider !== 'mercadopago')) return { ...link, created };
  return { ...(await openAtProvider(ctx, link, company!.slug)), created };
}

/** Calls the hosted-checkout provider for a pending link and records what it created. */
async function openAtProvider(ctx: Ctx, link: PaymentLink, companySlug: string): Promise<PaymentLink> {
  const runtime = paymentsRuntime();
  const gateway = await runtime.gateways.checkout(link.provider as CheckoutProvider, companySlug);
  if (!gateway) throw new AppError('validation_failed', t(`${link.provider} is not configured on this server`, `${link.provider} no está configurado en este servidor`), [{ path: 'provider', reason: t('not configured', 'no configurado') }]);
  const [email] = await rowsOf<{ email: string | null }>(ctx.database.db, sql`SELECT email FROM debtors WHERE id = ${link.debtorId}`);
  const base = runtime.publicUrl;
  try {
    const session = await gateway.createCheckout({
      linkId: link.publicId,
      amount: link.amount,
      currency: link.currency,
      description: link.description,
      expiresAt: link.expiresAt,
      returnUrl: base ? `${base}/pay/${link.publicId}` : null,
      notificationUrl: base && link.provider === 'mercadopago' ? `${base}/webhooks/mercadopago/${encodeURIComponent(companySlug)}` : null,
      payerEmail: email?.email ?? null,
    });
    await markOpen(ctx.database.db, ctx, link.id, { reference: session.reference, url: session.url, clabe: null });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.database.db.execute(sql`UPDATE payment_links SET last_error = ${message.slice(0, 1000)}, updated_at = ${ctx.clock.now().toISOString()}::timestamptz
      WHERE id = ${link.id} AND company_id = ${ctx.companyId}`);
    if (error instanceof PaymentProviderError || (error instanceof Error && error.name === 'ProviderError')) {
      const provider = link.provider === 'stripe' ? 'Stripe' : 'Mercado Pago';
      throw new AppError(
        'provider_failed',
        t(
          `${provider} did not create the checkout: ${message}. The link ${link.publicId} stays pending; try again with the same idempotency key`,
          `${provider} no creó el cobro: ${message}. El enlace ${link.publicId} sigue pendiente; inténtelo de nuevo con la misma clave de idempotencia`,
        ),
      );
    }
    throw error;
  }
  const [opened] = await selectLinks(ctx, sql`l.id = ${link.id}`);
  return opened!;
}

async function markOpen(db: Db, ctx: Ctx, id: number, value: { reference: string; url: string | null; clabe: string | null }): Promise<void> {
  await db.execute(sql`
    UPDATE payment_links SET status = 'open', provider_reference = ${value.reference}, url = ${value.url}, clabe = ${value.clabe},
      last_error = NULL, updated_at = ${ctx.clock.now().toISOString()}::timestamptz
    WHERE id = ${id} AND company_id = ${ctx.companyId} AND status = 'pending'`);
}

/** Our own page for a link (sandbox checkout, bank instructions); relative when the server has no public URL. */
function ownPage(publicId: string): string {
  return `${paymentsRuntime().publicUrl ?? ''}/pay/${publicId}`;
}

/** The reference (and CLABE) of a bank-transfer link: the link's id is the sequence, so each link has its own. */
function bankReference(settings: BankReferenceSettings, id: number, publicId: string): { reference: string; url: string; clabe: string | null } {
  try {
    const reference = buildReference({ prefix: settings.reference_prefix, sequence: id, length: settings.reference_length, algorithm: settings.check_digit });
    const clabe = settings.clabe_prefix ? buildClabe(settings.clabe_prefix, id) : (settings.clabe ?? null);
    return { reference, clabe, url: ownPage(publicId) };
  } catch (error) {
    const cause = (error as Error).message;
    throw new AppError(
      'conflict',
      t(
        `the bank reference scheme has run out of numbers (${cause}); lengthen reference_length or change the prefix in the payment settings`,
        `el esquema de referencias bancarias se quedó sin números (${cause}); alargue reference_length o cambie el prefijo en la configuración de pagos`,
      ),
    );
  }
}

/** The amount a link asks for and the default description, by target. */
async function resolveAmount(
  ctx: Ctx,
  options: { debtorId: number; target: PaymentTarget; currency: string; today: string; amount: bigint | undefined },
): Promise<{ amount: bigint; description: string }> {
  const { target, currency } = options;
  if (target.kind === 'obligation') {
    const [o] = await rowsOf<{ external_id: string; currency: string; balance: string }>(
      ctx.database.db,
      sql`SELECT external_id, currency::text AS currency, balance::text AS balance FROM obligations
          WHERE company_id = ${ctx.companyId} AND id = ${target.id} AND debtor_id = ${options.debtorId}`,
    );
    if (!o) throw new AppError('not_found', t(`obligation ${target.id} does not exist or is not this debtor's`, `el documento ${target.id} no existe o no es de este deudor`));
    if (o.currency.trim() !== currency) throw new AppError('validation_failed', t(`obligation ${o.external_id} is in ${o.currency.trim()}, not ${currency}`, `el documento ${o.external_id} está en ${o.currency.trim()}, no en ${currency}`), [{ path: 'currency', reason: t(`must be ${o.currency.trim()}`, `debe ser ${o.currency.trim()}`) }]);
    const balance = BigInt(o.balance);
    if (options.amount === undefined && balance <= 0n) throw new AppError('conflict', t(`obligation ${o.external_id} has nothing left to pay`, `el documento ${o.external_id} ya no tiene saldo por pagar`));
    return { amount: options.amount ?? balance, description: `Pago del documento ${o.external_id}` };
  }
  if (target.kind === 'debtor') {
    if (options.amount !== undefined) return { amount: options.amount, description: 'Pago a cuenta' };
    const [row] = await rowsOf<{ overdue: string }>(
      ctx.database.db,
      sql`SELECT COALESCE(SUM(balance), 0)::text AS overdue FROM obligations
          WHERE company_id = ${ctx.companyId} AND debtor_id = ${options.debtorId} AND currency = ${currency} AND balance > 0 AND due_on < ${options.today}::date`,
    );
    const overdue = BigInt(row!.overdue);
    if (overdue <= 0n) throw new AppError('validation_failed', t(`the debtor has nothing overdue in ${currency}; give an amount`, `el deudor no tiene nada vencido en ${currency}; indique un monto`), [{ path: 'amount', reason: t('required when nothing is overdue', 'obligatorio cuando no hay nada vencido') }]);
    return { amount: overdue, description: `Pago del saldo vencido (${formatDecimal(overdue, currency)} ${currency})` };
  }
  if (options.amount === undefined) {
    throw new AppError('validation_failed', t(`a link for a ${target.kind} needs the amount`, `un enlace para ${target.kind} necesita el monto`), [{ path: 'amount', reason: t(`required for a ${target.kind}`, `obligatorio para ${target.kind}`) }]);
  }
  return { amount: options.amount, description: target.kind === 'installment' ? 'Pago de parcialidad del convenio' : 'Pago de liquidación acordada' };
}
