/**
 * Promising a date from the portal: recorded by the negotiation module as a promise taken by the debtor through the
 * portal, judged by the same policy as everywhere. Outside the policy it is refused with the reasons (422
 * policy_refused), so the page can say why.
 */
import { createPromise, type PromiseView } from '../negotiation/index.ts';
import { recordPortalEvent } from './events.ts';
import type { PortalAccess } from './open-portal.ts';

export interface PortalPromiseInput {
  currency: string;
  /** Decimal string. */
  amount: string;
  /** YYYY-MM-DD */
  promisedOn: string;
  /** The page's key for this submission: a double click records one promise. */
  idempotencyKey?: string | undefined;
}

/** Records the promise and returns it. */
export async function promiseFromPortal(access: PortalAccess, input: PortalPromiseInput): Promise<PromiseView> {
  const promise = await createPromise(access.ctx, {
    debtorId: access.debtor.id,
    currency: input.currency.trim().toUpperCase(),
    amount: input.amount,
    promisedOn: input.promisedOn,
    channel: 'portal',
    takenBy: 'debtor',
    ...(input.idempotencyKey && { idempotencyKey: `portal:${access.link.id}:${input.idempotencyKey}` }),
  });
  await recordPortalEvent(access, 'promise', { promise: promise.id, amount: input.amount, currency: input.currency, promised_on: input.promisedOn });
  return promise;
}
