import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { translate } from '../i18n/index.tsx';
import { describeError } from './error-message.ts';

const es = (key: string) => translate('es-MX', key);

describe('describeError', () => {
  it('answers the codes whose API message says nothing more in the reader language, not the API English', () => {
    const forbidden = describeError(new ApiError(403, 'forbidden', 'the collector role may not do this (it needs the portfolio:write permission)'), es);
    expect(forbidden).toEqual({ message: 'Tu rol no permite hacer esto.', reasons: [], retryable: false });
    expect(describeError(new ApiError(404, 'not_found', 'debtor "X" does not exist'), es).message).toBe('No encontramos lo que buscas: no existe o ya no está disponible.');
    expect(describeError(new ApiError(404, 'not_found', 'x'), (k) => translate('en', k)).message).toMatch(/^We could not find/);
  });

  it("lists the negotiation policy's reasons, not the API sentence around them", () => {
    const error = new ApiError(422, 'policy_refused', 'the promise is outside the policy and needs approval (send request_approval to ask for it): …', [
      { path: 'promise.amount_below_minimum', reason: 'El monto mínimo de una promesa es 126688.33 MXN (20 % de lo vencido).' },
    ]);
    expect(describeError(error, es)).toEqual({ message: 'La política de negociación no lo permite:', reasons: ['El monto mínimo de una promesa es 126688.33 MXN (20 % de lo vencido).'], retryable: false });
  });

  it('offers a retry only where asking again can change the answer', () => {
    expect(describeError(new ApiError(0, 'network_error', 'Failed to fetch'), es)).toMatchObject({ message: es('common.error.network'), retryable: true });
    expect(describeError(new ApiError(500, 'internal_error', 'boom'), es)).toMatchObject({ message: es('common.error.unexpected'), retryable: true });
    expect(describeError(new Error('boom'), es)).toMatchObject({ message: es('common.error.unexpected'), retryable: true });
    expect(describeError(new ApiError(409, 'conflict', 'changed meanwhile'), es)).toMatchObject({ message: 'changed meanwhile', retryable: true });
    expect(describeError(new ApiError(400, 'validation_failed', 'bad'), es)).toMatchObject({ retryable: false });
  });
});
