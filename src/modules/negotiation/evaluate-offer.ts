/**
 * Evaluating offers for a real debtor: the offer as people write it (decimal strings, ISO dates) becomes the domain's
 * offer in minor units, and is judged against the policy in force for the debtor's account. The portal, WhatsApp,
 * the API and collectors all come through here.
 */
import type { PlainDate } from '../../domain/calendar.ts';
import { evaluateOffer as judge, FREQUENCIES, percentToBps, planOptions, type Frequency, type NegotiationPolicy, type Offer, type OfferEvaluation, type PlanOption } from '../../domain/negotiation/index.ts';
import { MoneyError, parseDecimal } from '../../domain/money.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, invalidInput } from '../shared/errors.ts';
import { loadAccountFacts, type AccountFacts } from './account-facts.ts';
import { policyForScope } from './policy.ts';
import { parseDay } from '../shared/errors.ts';
import { t } from '../../domain/text.ts';

/** An offer as a person or a client sends it: amounts are decimal strings in the offer's currency. */
export type OfferInput =
  | { kind: 'promise'; amount: string; promisedOn: string }
  | {
      kind: 'plan';
      downPayment?: string | undefined;
      downPaymentOn?: string | undefined;
      installments: number;
      frequency: Frequency;
      firstInstallmentOn: string;
      discount?: string | undefined;
      /** Percent a year; absent: the policy's rate; null: none. */
      annualInterestPercent?: string | number | null | undefined;
    }
  | {
      kind: 'settlement';
      /** Either the discount … */
      discount?: string | undefined;
      /** … or the amount the debtor pays (the discount is the rest of the balance). */
      amount?: string | undefined;
      payOn: string;
    };

function money(value: string, currency: string, path: string): bigint {
  try {
    return parseDecimal(value, currency);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    throw invalidInput(error, path);
  }
}

/** Turns an offer input into the domain's offer; refuses malformed amounts, dates and rates with a 4xx. */
export function toOffer(input: OfferInput, currency: string, balance: bigint): Offer {
  switch (input.kind) {
    case 'promise':
      return { kind: 'promise', amount: money(input.amount, currency, 'amount'), promisedOn: parseDay(input.promisedOn, 'promised_on') };
    case 'plan': {
      if (!(FREQUENCIES as readonly string[]).includes(input.frequency)) {
        throw new AppError('validation_failed', t(`frequency must be one of ${FREQUENCIES.join(', ')}`, `la frecuencia debe ser una de ${FREQUENCIES.join(', ')}`), [{ path: 'frequency', reason: t(`got "${String(input.frequency)}"`, `se recibió "${String(input.frequency)}"`) }]);
      }
      if (!Number.isInteger(input.installments) || input.installments < 1 || input.installments > 600) {
        throw new AppError('validation_failed', t('installments must be a whole number from 1 to 600', 'el número de cuotas debe ser un número entero de 1 a 600'), [{ path: 'installments', reason: t(`got ${String(input.installments)}`, `se recibió ${String(input.installments)}`) }]);
      }
      let rate: number | null | undefined;
      if (input.annualInterestPercent === null) rate = null;
      else if (input.annualInterestPercent !== undefined) {
        const text = String(input.annualInterestPercent);
        if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || Number(text) > 100) throw new AppError('validation_failed', t('annual interest must be a percentage from 0 to 100 with at most two decimals', 'el interés anual debe ser un porcentaje de 0 a 100 con dos decimales como máximo'), [{ path: 'annual_interest_percent', reason: t(`got "${text}"`, `se recibió "${text}"`) }]);
        rate = percentToBps(text);
      }
      return {
        kind: 'plan',
        downPayment: input.downPayment ? money(input.downPayment, currency, 'down_payment') : 0n,
        downPaymentOn: input.downPaymentOn ? parseDay(input.downPaymentOn, 'down_payment_on') : undefined,
        installments: input.installments,
        frequency: input.frequency,
        firstInstallmentOn: parseDay(input.firstInstallmentOn, 'first_installment_on'),
        discount: input.discount ? money(input.discount, currency, 'discount') : 0n,
        annualInterestBps: rate,
      };
    }
    case 'settlement': {
      if ((input.discount === undefined) === (input.amount === undefined)) {
        throw new AppError('validation_failed', t('a settlement names either the discount or the amount to pay, not both', 'una liquidación indica el descuento o el monto a pagar, no ambos'), [{ path: 'discount', reason: t('give discount or amount', 'indique el descuento o el monto') }]);
      }
      const discount = input.discount !== undefined ? money(input.discount, currency, 'discount') : balance - money(input.amount!, currency, 'amount');
      return { kind: 'settlement', discount, payOn: parseDay(input.payOn, 'pay_on') };
    }
    default:
      throw new AppError('validation_failed', t('kind must be promise, plan or settlement', 'kind debe ser promise, plan o settlement'), [{ path: 'kind', reason: t('unknown kind', 'tipo desconocido') }]);
  }
}

export interface EvaluatedOffer {
  offer: Offer;
  evaluation: OfferEvaluation;
  policy: NegotiationPolicy;
  account: AccountFacts;
}

/** Judges an offer for a debtor in one currency (optionally over some of its obligations only). */
export async function evaluateOffer(
  ctx: Ctx,
  input: { debtorId: number; currency: string; offer: OfferInput; obligationIds?: readonly number[] | undefined },
): Promise<EvaluatedOffer> {
  const account = await loadAccountFacts(ctx, { debtorId: input.debtorId, currency: input.currency, obligationIds: input.obligationIds });
  const policy = await policyForScope(ctx, account.scope);
  const offer = toOffer(input.offer, account.facts.currency, account.facts.balance);
  return { offer, evaluation: judge(policy, account.facts, offer), policy, account };
}

/** The plans and settlement a debtor may take in `currency` without approval (what the portal and WhatsApp offer). */
export async function listPlanOptions(ctx: Ctx, input: { debtorId: number; currency: string }): Promise<{ today: PlainDate; currency: string; balance: bigint; overdue: bigint; options: PlanOption[] }> {
  const account = await loadAccountFacts(ctx, { debtorId: input.debtorId, currency: input.currency });
  const policy = await policyForScope(ctx, account.scope);
  return { today: account.today, currency: account.facts.currency, balance: account.facts.balance, overdue: account.facts.overdue, options: planOptions(policy, account.facts) };
}
