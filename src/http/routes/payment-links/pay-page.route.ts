/**
 * GET /pay/:public_id — the page a link's URL opens for providers without a hosted checkout: the sandbox's one-click
 * "pay" button (demo) and the bank-transfer / cash instructions. Also where Stripe and Mercado Pago send the payer
 * back. Public like a provider's checkout page: the unguessable public id is the only key, and the page shows no more
 * than the amount, the creditor's reference data and the link's status. POST /pay/:public_id/sandbox-complete is the
 * sandbox button; it exists only for sandbox links.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { completeSandboxPayment, findPaymentLinkByPublicId, loadPaymentSettings, type PaymentLink } from '../../../modules/payments/index.ts';
import { notFound } from '../../../modules/shared/errors.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const Params = z.object({ public_id: z.string().regex(/^pl_[A-Za-z0-9_-]{8,40}$/, zodText(t('not a payment link id', 'no es el id de un enlace de pago'))) });

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STATUS_ES: Record<PaymentLink['status'], string> = {
  pending: 'En preparación',
  open: 'Pendiente de pago',
  paid: 'Pagado',
  expired: 'Vencido: pida un nuevo enlace',
  cancelled: 'Cancelado',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.4rem}.amount{font-size:2rem;font-weight:700}dt{color:#555;margin-top:.6rem}dd{margin:0;font-family:monospace;font-size:1.1rem}button{font-size:1.1rem;padding:.8rem 1.4rem;border:0;border-radius:.4rem;background:#0a7c42;color:#fff;width:100%}.note{color:#555;font-size:.9rem}</style></head><body>${body}</body></html>`;
}

/** Registers the public payment page and the sandbox button. */
export function payPageRoutes(app: App, deps: RouteDeps): void {
  void app.register(async (scope: App) => {
    // The sandbox button is a plain HTML form post; its (empty) body needs no parsing.
    (scope as unknown as FastifyInstance).addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));

    scope.get(
      '/pay/:public_id',
      { config: { public: true }, schema: { tags: ['payments'], summary: 'Payment page of a link (sandbox button, bank/cash instructions, return page)', security: [], params: Params } },
      async (request, reply) => {
        const found = await findPaymentLinkByPublicId({ database: deps.database, clock: deps.clock, actor: 'public' }, request.params.public_id);
        if (!found) throw notFound('payment link', request.params.public_id);
        const { link, companyId } = found;
        const ctx = { database: deps.database, clock: deps.clock, companyId, actor: 'public' };
        const money = `$${formatDecimal(link.amount, link.currency)} ${link.currency}`;
        let body = `<h1>${escape(link.description)}</h1><p class="amount">${escape(money)}</p><p>Estado / status: <strong>${escape(STATUS_ES[link.status])}</strong></p>`;
        if (link.status === 'open' && link.provider === 'sandbox') {
          body += `<form method="post" action="/pay/${escape(link.publicId)}/sandbox-complete"><button type="submit">Pagar ${escape(money)}</button></form><p class="note">Modo de demostración (sandbox): no se cobra dinero real.</p>`;
        } else if (link.status === 'open' && link.provider === 'bank_reference') {
          const bank = (await loadPaymentSettings(ctx)).bankReference;
          body += '<dl>';
          if (link.clabe) body += `<dt>CLABE (SPEI)</dt><dd>${escape(link.clabe)}</dd>`;
          if (bank.bank_name) body += `<dt>Banco</dt><dd>${escape(bank.bank_name)}</dd>`;
          if (bank.beneficiary) body += `<dt>Beneficiario</dt><dd>${escape(bank.beneficiary)}</dd>`;
          body += `<dt>Referencia</dt><dd>${escape(link.reference ?? '')}</dd><dt>Monto exacto</dt><dd>${escape(money)}</dd></dl>`;
          if (bank.cash_stores?.length) body += `<p>También puede pagar en efectivo en ${escape(bank.cash_stores.join(', '))} con la misma referencia.</p>`;
          body += '<p class="note">Use la referencia y el monto exactos para que su pago se aplique automáticamente.</p>';
        } else if (link.status === 'open' && link.url && /^https:\/\//.test(link.url)) {
          body += `<p><a href="${escape(link.url)}">Continuar al pago</a></p>`;
        }
        return reply.type('text/html; charset=utf-8').send(page('Pago', body));
      },
    );

    scope.post(
      '/pay/:public_id/sandbox-complete',
      { config: { public: true }, schema: { tags: ['payments'], summary: 'Sandbox pay button (demo): pays the sandbox link in full, then shows its page', security: [], params: Params } },
      async (request, reply) => {
        const found = await findPaymentLinkByPublicId({ database: deps.database, clock: deps.clock, actor: 'public' }, request.params.public_id);
        if (!found) throw notFound('payment link', request.params.public_id);
        await completeSandboxPayment({ database: deps.database, clock: deps.clock, companyId: found.companyId, actor: 'sandbox:payer' }, { publicId: found.link.publicId });
        return reply.code(303).header('location', `/pay/${found.link.publicId}`).send('');
      },
    );
  });
}
