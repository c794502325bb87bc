import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startFakeSmtp, startSilentServer, type FakeSmtp } from '../../test/fakes/smtp.ts';
import { fixedClock } from '../modules/shared/clock.ts';
import { ProviderError, type OutboundEmail } from '../modules/messaging/ports.ts';
import { createSmtpProvider, messageIdFor, parseBounce, type SmtpProvider } from './email-smtp.ts';

const clock = fixedClock('2026-03-31T14:00:00Z');

function email(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    channel: 'email',
    idempotencyKey: 'msg:acme:debtor-42:2026-03-31:reminder-1',
    to: 'juan.perez@example.com',
    from: 'Acme Cobranza <cobranza@acme.example>',
    subject: 'Recordatorio de pago — Pérez',
    text: 'Estimado Sr. Pérez: su cuota de $ 150.000 venció el 15 de marzo.',
    html: '<p>Estimado Sr. <b>Pérez</b>: su cuota de $ 150.000 venció el 15 de marzo.</p>',
    ...overrides,
  };
}

async function sendError(provider: SmtpProvider, message: OutboundEmail): Promise<ProviderError> {
  const error = await provider.send(message).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('email-smtp against a loopback SMTP server', () => {
  let smtp: FakeSmtp;
  let provider: SmtpProvider;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    provider = createSmtpProvider({
      host: smtp.host,
      port: smtp.port,
      secure: false,
      from: 'Cobranza <rebotes@acme.example>',
      timeoutMs: 5_000,
      clock,
    });
  });
  afterAll(async () => {
    provider.close();
    await smtp.close();
  });
  afterEach(() => {
    smtp.messages.length = 0;
  });

  it('sends text and html parts, a UTF-8 subject and the headers', async () => {
    const result = await provider.send(email({ unsubscribeUrl: 'https://acme.example/baja?t=abc123', replyTo: 'gestores@acme.example' }));

    expect(smtp.messages).toHaveLength(1);
    const { parsed, raw, envelope } = smtp.messages[0]!;
    expect(parsed.subject).toBe('Recordatorio de pago — Pérez');
    expect(raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?/im);
    expect(parsed.text?.trim()).toBe('Estimado Sr. Pérez: su cuota de $ 150.000 venció el 15 de marzo.');
    expect(parsed.html).toContain('<b>Pérez</b>');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.from?.value).toEqual([{ address: 'cobranza@acme.example', name: 'Acme Cobranza' }]);
    expect(parsed.replyTo?.value[0]?.address).toBe('gestores@acme.example');
    expect(parsed.date?.toISOString()).toBe('2026-03-31T14:00:00.000Z');
    // The envelope sender is the system's bounce address, not the From header.
    expect(envelope).toEqual({ from: 'rebotes@acme.example', to: ['juan.perez@example.com'] });

    expect(raw.toString('latin1')).toMatch(/^List-Unsubscribe: <https:\/\/acme\.example\/baja\?t=abc123>\r$/m);
    expect(raw.toString('latin1')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);

    expect(parsed.messageId).toBe(messageIdFor('msg:acme:debtor-42:2026-03-31:reminder-1', 'acme.example'));
    expect(result).toEqual({ providerMessageId: parsed.messageId, status: 'accepted' });
  });

  it('derives the Message-ID from the idempotency key: a resend carries the same id, another key another id', async () => {
    const first = await provider.send(email());
    const again = await provider.send(email());
    const other = await provider.send(email({ idempotencyKey: 'msg:acme:debtor-42:2026-04-07:reminder-2' }));
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(other.providerMessageId).not.toBe(first.providerMessageId);
    expect(first.providerMessageId).toMatch(/^<[0-9a-f]{40}@acme\.example>$/);
    expect(first.providerMessageId).not.toContain('debtor-42');
    expect(smtp.messages.map((m) => m.parsed.messageId)).toEqual([first.providerMessageId, first.providerMessageId, other.providerMessageId]);
  });

  it('a mailto: unsubscribe gets List-Unsubscribe without the one-click header', async () => {
    await provider.send(email({ unsubscribeUrl: 'mailto:baja@acme.example?subject=BAJA' }));
    const raw = smtp.messages[0]!.raw.toString('latin1');
    expect(raw).toMatch(/^List-Unsubscribe: <mailto:baja@acme\.example\?subject=BAJA>\r$/m);
    expect(raw).not.toMatch(/^List-Unsubscribe-Post:/m);
  });

  it('refuses an unsubscribe URL that is not a URL or could break the header', async () => {
    for (const unsubscribeUrl of ['no es una url', 'javascript:alert(1)', 'mailto:a@b.example>, <mailto:c@d.example']) {
      const error = await sendError(provider, email({ unsubscribeUrl }));
      expect(error.retryable).toBe(false);
      expect(error.providerCode).toBe('invalid_unsubscribe_url');
    }
    expect(smtp.messages).toHaveLength(0);
  });

  it('sends attachments with their name, type and bytes', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 estado de cuenta');
    await provider.send(email({ attachments: [{ filename: 'estado-de-cuenta-marzo.pdf', contentType: 'application/pdf', content: pdf }] }));
    const { parsed } = smtp.messages[0]!;
    expect(parsed.attachments).toHaveLength(1);
    const [attachment] = parsed.attachments;
    expect(attachment!.filename).toBe('estado-de-cuenta-marzo.pdf');
    expect(attachment!.contentType).toBe('application/pdf');
    expect(attachment!.content.toString()).toBe('%PDF-1.4 estado de cuenta');
    expect(parsed.text?.trim()).toContain('Pérez');
    expect(parsed.html).toContain('<b>Pérez</b>');
  });

  it('maps a 450 for the recipient to a retryable error with the SMTP code', async () => {
    smtp.rejectRecipient('lleno@example.com', 450, 'Mailbox temporarily unavailable');
    const error = await sendError(provider, email({ to: 'lleno@example.com' }));
    expect(error.retryable).toBe(true);
    expect(error.providerCode).toBe('450');
    expect(error.message).toContain('450');
  });

  it('maps a 550 for the recipient to a permanent error with the SMTP code', async () => {
    smtp.rejectRecipient('noexiste@example.com', 550, 'No such user here');
    const error = await sendError(provider, email({ to: 'noexiste@example.com' }));
    expect(error.retryable).toBe(false);
    expect(error.providerCode).toBe('550');
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('email-smtp when the server cannot be used', () => {
  it('server down (connection refused) → retryable', async () => {
    const provider = createSmtpProvider({ host: '127.0.0.1', port: await closedPort(), secure: false, from: 'avisos@acme.example', timeoutMs: 2_000 });
    try {
      const error = await sendError(provider, email());
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/unreachable/);
    } finally {
      provider.close();
    }
  });

  it('a server that never greets → retryable timeout', async () => {
    const silent = await startSilentServer();
    const provider = createSmtpProvider({ host: silent.host, port: silent.port, secure: false, from: 'avisos@acme.example', timeoutMs: 300 });
    try {
      const error = await sendError(provider, email());
      expect(error.retryable).toBe(true);
      expect(error.providerCode).toBe('ETIMEDOUT');
    } finally {
      provider.close();
      await silent.close();
    }
  });

  it('authenticates; wrong credentials (535) are permanent', async () => {
    const smtp = await startFakeSmtp({ auth: { user: 'cobranza', pass: 's3creto' } });
    const good = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, auth: { user: 'cobranza', pass: 's3creto' }, from: 'avisos@acme.example', timeoutMs: 5_000 });
    const bad = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, auth: { user: 'cobranza', pass: 'otra' }, from: 'avisos@acme.example', timeoutMs: 5_000 });
    try {
      await good.send(email());
      expect(smtp.messages).toHaveLength(1);
      const error = await sendError(bad, email());
      expect(error.retryable).toBe(false);
      expect(error.providerCode).toBe('535');
    } finally {
      good.close();
      bad.close();
      await smtp.close();
    }
  });

  it('requireTLS against a server without STARTTLS fails permanently, sending nothing', async () => {
    const smtp = await startFakeSmtp();
    const provider = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, requireTLS: true, from: 'avisos@acme.example', timeoutMs: 5_000 });
    try {
      const error = await sendError(provider, email());
      expect(error.retryable).toBe(false);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      provider.close();
      await smtp.close();
    }
  });

  it('refuses a from setting without an address', () => {
    expect(() => createSmtpProvider({ host: '127.0.0.1', port: 25, secure: false, from: 'Cobranza', timeoutMs: 1_000 })).toThrow(/no email address/);
  });
});

// A DSN as Postfix writes it (RFC 3464 / RFC 6522), for a message this provider sent.
const originalId = messageIdFor('msg:acme:debtor-42:2026-03-31:reminder-1', 'acme.example');
const postfixDsn = [
  'Return-Path: <>',
  'Date: Tue, 31 Mar 2026 11:00:05 -0300 (-03)',
  'From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)',
  'Subject: Undelivered Mail Returned to Sender',
  'To: rebotes@acme.example',
  'Auto-Submitted: auto-replied',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary="4BD1A2C0F3.1774965605/mx.acme.example"',
  'Message-Id: <20260331140005.9A1B2C3D4E@mx.acme.example>',
  '',
  'This is a MIME-encapsulated message.',
  '',
  '--4BD1A2C0F3.1774965605/mx.acme.example',
  'Content-Description: Notification',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'This is the mail system at host mx.acme.example.',
  '',
  "I'm sorry to have to inform you that your message could not",
  'be delivered to one or more recipients.',
  '',
  '<noexiste@example.com>: host mx.example.com[192.0.2.10] said: 550 5.1.1',
  '    <noexiste@example.com>: Recipient address rejected: User unknown',
  '',
  '--4BD1A2C0F3.1774965605/mx.acme.example',
  'Content-Description: Delivery report',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.acme.example',
  'X-Postfix-Queue-ID: 4BD1A2C0F3',
  'X-Postfix-Sender: rfc822; rebotes@acme.example',
  'Arrival-Date: Tue, 31 Mar 2026 11:00:04 -0300 (-03)',
  '',
  'Final-Recipient: rfc822; noexiste@example.com',
  'Original-Recipient: rfc822;noexiste@example.com',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx.example.com',
  'Diagnostic-Code: smtp; 550 5.1.1 <noexiste@example.com>: Recipient address',
  '    rejected: User unknown',
  '',
  '--4BD1A2C0F3.1774965605/mx.acme.example',
  'Content-Description: Undelivered Message Headers',
  'Content-Type: text/rfc822-headers',
  '',
  'From: Acme Cobranza <cobranza@acme.example>',
  'To: noexiste@example.com',
  'Subject: =?UTF-8?Q?Recordatorio_de_pago_=E2=80=94_P=C3=A9rez?=',
  `Message-ID: ${originalId}`,
  'Date: Tue, 31 Mar 2026 14:00:00 +0000',
  '',
  '--4BD1A2C0F3.1774965605/mx.acme.example--',
  '',
].join('\r\n');

describe('parseBounce', () => {
  const receivedAt = new Date('2026-03-31T15:00:00Z');

  it('reads a Postfix DSN: bounced, with the original Message-ID, status and diagnostic', () => {
    expect(parseBounce(postfixDsn, receivedAt)).toEqual({
      kind: 'status',
      channel: 'email',
      providerMessageId: originalId,
      status: 'bounced',
      at: new Date('2026-03-31T14:00:05Z'),
      error: '5.1.1 550 5.1.1 <noexiste@example.com>: Recipient address rejected: User unknown (noexiste@example.com)',
    });
  });

  it('accepts bytes and an original returned as message/rfc822 with base64 body', () => {
    const original = Buffer.from(`Message-ID: ${originalId}\r\nSubject: x\r\n\r\nhola\r\n`).toString('base64');
    const dsn = [
      'Content-Type: multipart/report; boundary=b1; report-type="delivery-status"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme.example',
      '',
      'Final-Recipient: rfc822; lleno@example.com',
      'Action: failed',
      'Status: 5.2.2',
      '',
      '--b1',
      'Content-Type: message/rfc822',
      'Content-Transfer-Encoding: base64',
      '',
      original,
      '--b1--',
    ].join('\n');
    const event = parseBounce(new TextEncoder().encode(dsn), receivedAt);
    expect(event).toMatchObject({ status: 'bounced', providerMessageId: originalId, at: receivedAt, error: '5.2.2 (lleno@example.com)' });
  });

  it('finds a report nested in multipart/mixed', () => {
    const nested = [
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="inner"',
      '',
      '--inner',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; a@example.com',
      'Action: failed',
      'Status: 5.0.0',
      '--inner--',
      '--outer--',
    ].join('\r\n');
    expect(parseBounce(nested, receivedAt)).toMatchObject({ status: 'bounced', providerMessageId: '', error: '5.0.0 (a@example.com)' });
  });

  it('a delay is not a bounce; a delivery report is a delivery', () => {
    const report = (action: string) =>
      [
        'Content-Type: multipart/report; report-type=delivery-status; boundary="x"',
        '',
        '--x',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.acme.example',
        '',
        'Final-Recipient: rfc822; a@example.com',
        `Action: ${action}`,
        'Status: 4.4.1',
        '--x',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${originalId}`,
        '--x--',
      ].join('\r\n');
    expect(parseBounce(report('delayed'), receivedAt)).toBeNull();
    expect(parseBounce(report('delivered'), receivedAt)).toEqual({
      kind: 'status',
      channel: 'email',
      providerMessageId: originalId,
      status: 'delivered',
      at: receivedAt,
    });
  });

  it('anything that is not a DSN gives null', () => {
    expect(parseBounce('Subject: hola\r\n\r\nsolo texto', receivedAt)).toBeNull();
    expect(parseBounce('', receivedAt)).toBeNull();
    expect(parseBounce('Content-Type: multipart/report; report-type=disposition-notification; boundary=z\r\n\r\n--z\r\n\r\nx\r\n--z--', receivedAt)).toBeNull();
    expect(parseBounce('Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nhola\r\n--q--', receivedAt)).toBeNull();
  });
});
