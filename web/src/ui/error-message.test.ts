import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { translate } from '../i18n/index.tsx';
import { describeError } from './error-message.ts';

const es = (key: string) => translate('es-MX', key);

describe('describeError', () => {
  it("shows the API's message, which arrives in the reader's language, as a sentence", () => {
    // The client asks for the UI's language (Accept-Language): these are the API's own Spanish messages.
    const forbidden = describeError(new ApiError(403, 'forbidden', 'el rol collector no puede hacer esto (necesita el permiso portfolio:write)'), es);
    expect(forbidden).toEqual({ message: 'El rol collector no puede hacer esto (necesita el permiso portfolio:write).', reasons: [], retryable: false });
    expect(describeError(new ApiError(404, 'not_found', 'no existe el deudor "X"'), es).message).toBe('No existe el deudor "X".');
    const future = new ApiError(422, 'run_date_in_future', 'fecha de corte 2030-01-01: es posterior a hoy (2026-03-15 en America/Mexico_City); …', [{ path: 'as_of', reason: '…' }]);
    expect(describeError(future, es)).toEqual({ message: 'Fecha de corte 2030-01-01: es posterior a hoy (2026-03-15 en America/Mexico_City); …', reasons: [], retryable: false });
    expect(describeError(new ApiError(409, 'conflict', 'ya existe un segmento llamado "vip"; elimínelo primero o elija otro nombre'), es)).toEqual({
      message: 'Ya existe un segmento llamado "vip"; elimínelo primero o elija otro nombre.',
      reasons: [],
      retryable: true,
    });
    expect(describeError(new ApiError(404, 'not_found', 'debtor "X" does not exist'), (k) => translate('en', k)).message).toBe('Debtor "X" does not exist.');
  });

  it('keeps its own sentence where it says more than the API: a session that ended', () => {
    expect(describeError(new ApiError(401, 'unauthorized', 'inicie sesión o envíe una clave de API como "Authorization: Bearer <clave>"'), es).message).toBe('Su sesión terminó o ya no es válida. Vuelva a entrar.');
  });

  it('answers the codes of requests the server could not read in the reader language', () => {
    const en = (key: string) => translate('en', key);
    const codes = ['bad_request', 'invalid_json', 'empty_body', 'malformed_form', 'method_not_allowed', 'request_timeout', 'headers_too_large', 'payload_too_large', 'unsupported_media_type'];
    for (const code of codes) {
      const error = new ApiError(400, code, 'the API sentence, in English');
      for (const t of [es, en]) {
        const { message } = describeError(error, t);
        expect(message, code).not.toBe('the API sentence, in English');
        expect(message, code).not.toMatch(/^common\./);
      }
    }
    expect(describeError(new ApiError(400, 'malformed_form', 'cut short'), es)).toEqual({ message: 'El archivo no llegó completo. Vuelva a subirlo.', reasons: [], retryable: true });
    expect(describeError(new ApiError(400, 'invalid_json', 'x'), en).message).toBe('The data sent is not in a valid format. Reload the page and try again.');
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
    expect(describeError(new ApiError(409, 'conflict', 'changed meanwhile'), es)).toMatchObject({ message: 'Changed meanwhile.', retryable: true });
    expect(describeError(new ApiError(400, 'validation_failed', 'bad'), es)).toMatchObject({ retryable: false });
  });
});
