/**
 * What the debtor is told, end to end through the outbox, the compliance gate and a provider: the written agreement
 * when a plan becomes active (by email with the PDF attached, received by a real SMTP server; by WhatsApp through the
 * Cloud API's wire format against a loopback Graph API — the PDF as a document inside the 24-hour window or in the
 * header of a template approved with one, the portal link otherwise; by SMS with the portal link where the agreement
 * is downloaded), and the outcome of a dispute. Each is sent once, however often the change or the dispatch is
 * replayed. Tuesday 17 March 2026, 11:00 in Mexico City.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like, sql } from 'drizzle-orm';
import { consents, contactDecisions, debtors, holds, inboundMessages, obligations, outboxMessages } from '../../src/db/schema.ts';
import { defaultTemplate } from '../../src/domain/templates/index.ts';
import { dispatchDue, saveTemplates, setAutomationSettings, type ChannelProvider, type OutboundMessage } from '../../src/modules/messaging/index.ts';
import { renderAgreementPdf } from '../../src/modules/negotiation/agreement-pdf.ts';
import { approvePlan, createPlan, openDispute, resolveDispute } from '../../src/modules/negotiation/index.ts';
import { enqueueAgreementNotice } from '../../src/modules/negotiation/notices.ts';
import { configurePortal } from '../../src/modules/portal/index.ts';
import { createSmtpProvider, type SmtpProvider } from '../../src/providers/email-smtp.ts';
import { createWhatsAppCloudProvider } from '../../src/providers/whatsapp-cloud.ts';
import { startFakeMetaGraph, type FakeMetaGraph } from '../fakes/meta-graph.ts';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp.ts';
import { startHarness, type Harness } from '../http/harness.ts';
import type { PlainDate } from '../../src/domain/calendar.ts';

let h: Harness;
let smtp: FakeSmtp;
let email: SmtpProvider;
const sms: ChannelProvider & { calls: OutboundMessage[] } = {
  name: 'sms-recorder',
  channel: 'sms',
  calls: [],
  async send(m) {
    this.calls.push(m);
    return { providerMessageId: `SM${this.calls.length}`, status: 'accepted' };
  },
};
const PUBLIC_URL = 'https://cobranza.example.mx';

async function debtor(externalId: string, extra: Partial<typeof debtors.$inferInsert> = {}): Promise<number> {
  const [row] = await h.database.db
    .insert(debtors)
    .values({ companyId: h.a.companyId, externalId, name: `Ana ${externalId}`, country: 'MX', timeZone: 'America/Mexico_City', email: `${externalId.toLowerCase()}@example.mx`, phone: '+525512345678', taxId: 'RUAA800101AB12', ...extra })
    .returning({ id: debtors.id });
  return row!.id;
}

async function obligation(debtorId: number, externalId: string, amount: bigint, dueOn = '2026-02-01'): Promise<number> {
  const [p] = await h.database.query<{ id: string }>(sql`SELECT id::text FROM portfolios WHERE company_id = ${h.a.companyId} ORDER BY id LIMIT 1`);
  const [row] = await h.database.db
    .insert(obligations)
    .values({ companyId: h.a.companyId, portfolioId: Number(p!.id), debtorId, externalId, currency: 'MXN', amount, balance: amount, dueOn })
    .returning({ id: obligations.id });
  return row!.id;
}

const notices = (debtorId: number) =>
  h.database.db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.debtorId, debtorId), like(outboxMessages.cause, 'notice:%')));
const dispatch = () => dispatchDue(h.a.ctx, { providers: { email, sms } });
const planOffer = { kind: 'plan' as const, downPayment: '2000.00', installments: 4, frequency: 'monthly' as const, firstInstallmentOn: '2026-04-01' };

beforeAll(async () => {
  h = await startHarness({ now: '2026-03-17T17:00:00Z' });
  smtp = await startFakeSmtp();
  email = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, from: 'Cobranza <avisos@acme.example>', timeoutMs: 5_000 });
  await setAutomationSettings(h.a.ctx, {
    sender: { creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '55 1234 5678' }, email_from: 'Financiera Acme <cobranza@acme.example>' },
  });
  configurePortal({ publicUrl: PUBLIC_URL });
});

afterAll(async () => {
  configurePortal({ publicUrl: null });
  email?.close();
  await smtp?.close();
  await h?.close();
});

describe('the written agreement', () => {
  let planId: number;
  let debtorId: number;

  it('is queued once when a plan becomes active, by email, naming the PDF to attach', async () => {
    debtorId = await debtor('E-1', { name: 'Ana Ruiz Acosta' });
    await obligation(debtorId, 'FAC-100', 1_000_000n);
    const plan = await createPlan(h.a.ctx, { debtorId, currency: 'MXN', channel: 'portal', takenBy: 'debtor', offer: planOffer, idempotencyKey: 'plan-e1' });
    expect(plan.status).toBe('active');
    planId = plan.id;
    const rows = await notices(debtorId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: 'email',
      recipient: 'e-1@example.mx',
      templateKey: 'agreement_sent',
      idempotencyKey: `agreement:${planId}`,
      cause: `notice:agreement:${planId}`,
      status: 'pending',
      variables: { contract: 'FAC-100', amount: { total: { MXN: '10000.00' } }, due_date: '2026-03-17', attachments: [{ kind: 'agreement_pdf', planId }] },
    });
    // The plan's own agreement hold is on; it does not stop the notice about that agreement.
    expect((await h.database.db.select().from(holds).where(and(eq(holds.debtorId, debtorId), eq(holds.reason, 'agreement'))))[0]).toMatchObject({ releasedAt: null });
  });

  it('is sent by email with the agreement attached as a PDF, rendered from the plan at sending', async () => {
    expect(await dispatch()).toMatchObject({ claimed: 1, sent: 1, refused: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.envelope.to).toEqual(['e-1@example.mx']);
    expect(mail.parsed.subject).toBe('Financiera Acme: su convenio de pago por escrito');
    expect(mail.parsed.text).toContain('Hola, Ana:');
    expect(mail.parsed.text).toContain('El total acordado es de $10,000.00 y su primer pago es el 17 de marzo de 2026');
    expect(mail.parsed.text).toContain('documentos incluidos (FAC-100)');
    expect(mail.parsed.attachments).toHaveLength(1);
    const [file] = mail.parsed.attachments;
    expect(file!.contentType).toBe('application/pdf');
    expect(file!.filename).toBe(`convenio-${planId}.pdf`);
    expect(file!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The agreement is reproducible: the file sent is exactly this plan's agreement (schedule, documents, totals).
    const expected = await renderAgreementPdf(h.a.ctx, { planId });
    expect(expected.plan.installments.map((i) => [i.seq, i.dueOn, i.amount])).toEqual([
      [0, '2026-03-17', '2000.00'],
      [1, '2026-04-01', '2000.00'],
      [2, '2026-05-01', '2000.00'],
      [3, '2026-06-01', '2000.00'],
      [4, '2026-07-01', '2000.00'],
    ]);
    expect(Buffer.compare(file!.content, expected.pdf)).toBe(0);
    // The timeline keeps what was sent, without the file's bytes.
    const [row] = await notices(debtorId);
    expect(row).toMatchObject({ status: 'sent', gateRule: 'allowed' });
    expect(row!.payload).toMatchObject({ attachments: [{ filename: `convenio-${planId}.pdf`, contentType: 'application/pdf' }] });
    expect(JSON.stringify(row!.payload)).not.toContain('JVBER'); // base64 of %PDF
    const decisions = await h.database.db.select().from(contactDecisions).where(eq(contactDecisions.outboxMessageId, row!.id));
    expect(decisions.map((d) => [d.stage, d.allowed])).toEqual([['dispatch', true]]);
  });

  it('is not sent twice: a replayed request, a second activation hook and a second dispatch change nothing', async () => {
    const again = await createPlan(h.a.ctx, { debtorId, currency: 'MXN', channel: 'portal', takenBy: 'debtor', offer: planOffer, idempotencyKey: 'plan-e1' });
    expect(again.id).toBe(planId);
    await h.database.db.transaction(async (tx) => enqueueAgreementNotice(h.a.ctx, tx as never, planId, '2026-03-17' as PlainDate));
    expect(await notices(debtorId)).toHaveLength(1);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('a plan outside the policy is sent when it is approved, not while it waits', async () => {
    const id = await debtor('E-2');
    await obligation(id, 'FAC-200', 2_000_000n);
    const plan = await createPlan(h.a.ctx, { debtorId: id, currency: 'MXN', channel: 'phone', takenBy: 'collector', offer: { ...planOffer, installments: 18 }, requestApproval: true });
    expect(plan.status).toBe('pending_approval');
    expect(await notices(id)).toEqual([]);
    await approvePlan(h.a.ctx, { planId: plan.id, note: 'buen historial' });
    expect((await notices(id)).map((n) => [n.idempotencyKey, n.channel, n.status])).toEqual([[`agreement:${plan.id}`, 'email', 'pending']]);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.parsed.attachments.map((a) => a.filename)).toEqual([`convenio-${plan.id}.pdf`]);
  });

  it('without email, goes by SMS with a portal link where the debtor downloads the agreement', async () => {
    const id = await debtor('S-1', { email: null, taxId: 'SOSA900101XY34' });
    await obligation(id, 'FAC-300', 500_000n);
    const plan = await createPlan(h.a.ctx, { debtorId: id, currency: 'MXN', channel: 'phone', takenBy: 'collector', offer: { ...planOffer, downPayment: '1000.00' }, language: 'en' });
    // WhatsApp needs consent in Mexico, so the next channel is SMS.
    expect((await notices(id)).map((n) => [n.channel, n.language])).toEqual([['sms', 'en']]);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const message = sms.calls.at(-1)!;
    if (message.channel !== 'sms') throw new Error('expected an SMS');
    expect(message.body).toContain('Hi Ana, your payment agreement for $5,000.00 (documents FAC-300) is in place; first payment on March 17, 2026. Download it: https://cobranza.example.mx/p/');
    const link = /https:\/\/cobranza\.example\.mx\/p\/(\S+)/.exec(message.body);
    expect(link).not.toBeNull();
    const token = link![1]!;
    const url = `/portal/api/${token}/plans/${plan.id}/agreement`;
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(401); // identity first
    const verified = await h.app.inject({ method: 'POST', url: `/portal/api/${token}/verify`, payload: { answer: 'XY34' } });
    expect(verified.statusCode, verified.body).toBe(200);
    const headers = { 'x-portal-session': verified.json().session as string };
    const pdf = await h.app.inject({ method: 'GET', url, headers });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="agreement-${plan.id}.pdf"`);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Buffer.compare(pdf.rawPayload, (await renderAgreementPdf(h.a.ctx, { planId: plan.id })).pdf)).toBe(0);
    // Another debtor's plan is not there; the download is on the debtor's timeline.
    expect((await h.app.inject({ method: 'GET', url: `/portal/api/${token}/plans/${planId}/agreement`, headers })).statusCode).toBe(404);
    const events = await h.database.query<{ kind: string }>(sql`SELECT kind FROM portal_events WHERE debtor_id = ${id} ORDER BY id`);
    expect(events.map((e) => e.kind)).toContain('agreement');
  });
});

describe('dispute outcomes', () => {
  it('rejected: the debtor is told the document and the resolution, once, through the gate', async () => {
    const id = await debtor('D-1');
    const ob = await obligation(id, 'FAC-400', 300_000n);
    const dispute = await openDispute(h.a.ctx, { debtorId: id, obligationId: ob, reason: 'ya la pagué', channel: 'portal', openedBy: 'debtor' });
    expect(await notices(id)).toEqual([]);
    await resolveDispute(h.a.ctx, { disputeId: dispute.id, outcome: 'rejected', resolution: 'el pago del 3 de febrero se aplicó a la factura FAC-399' });
    const rows = await notices(id);
    expect(rows.map((r) => [r.idempotencyKey, r.templateKey, r.channel])).toEqual([[`dispute_rejected:${dispute.id}`, 'dispute_rejected', 'email']]);
    await expect(resolveDispute(h.a.ctx, { disputeId: dispute.id, outcome: 'rejected', resolution: 'otra vez' })).rejects.toThrow(/already rejected/);
    const before = smtp.messages.length;
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(smtp.messages).toHaveLength(before + 1);
    const mail = smtp.messages.at(-1)!;
    expect(mail.parsed.subject).toBe('Financiera Acme: respuesta a su aclaración del documento FAC-400');
    expect(mail.parsed.text).toContain('Motivo: el pago del 3 de febrero se aplicó a la factura FAC-399');
    expect(mail.parsed.text).toContain('la gestión de cobro de este documento continúa');
    expect(mail.parsed.attachments).toEqual([]);
  });

  it('upheld: the debtor is told the adjusted amount', async () => {
    const id = await debtor('D-2');
    const ob = await obligation(id, 'FAC-500', 300_000n);
    const dispute = await openDispute(h.a.ctx, { debtorId: id, obligationId: ob, reason: 'me cobraron de más', channel: 'phone', openedBy: 'collector' });
    await resolveDispute(h.a.ctx, { disputeId: dispute.id, outcome: 'upheld', resolution: 'se retiró un cargo duplicado', adjustedAmount: '2500.00' });
    expect((await notices(id)).map((r) => [r.idempotencyKey, r.variables])).toEqual([
      [`dispute_upheld:${dispute.id}`, expect.objectContaining({ contract: 'FAC-500', amount: { total: { MXN: '2500.00' } }, resolution: 'se retiró un cargo duplicado' })],
    ]);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const mail = smtp.messages.at(-1)!;
    expect(mail.parsed.text).toContain('Revisamos su aclaración sobre el documento FAC-500 con Financiera Acme y le damos la razón.');
    expect(mail.parsed.text).toContain('El importe del documento quedó ajustado a $2,500.00. Detalle: se retiró un cargo duplicado');
  });

  it('a hold the law imposes stops the notice at dispatch; the refusal is recorded', async () => {
    const id = await debtor('D-3');
    const ob = await obligation(id, 'FAC-600', 100_000n);
    const dispute = await openDispute(h.a.ctx, { debtorId: id, obligationId: ob, reason: 'no es mía', channel: 'phone', openedBy: 'collector' });
    await h.database.db.insert(holds).values({ companyId: h.a.companyId, debtorId: id, reason: 'legal', note: 'demanda presentada', createdBy: 'test', startsOn: '2026-03-01', expiresOn: null });
    await resolveDispute(h.a.ctx, { disputeId: dispute.id, outcome: 'rejected', resolution: 'el contrato está firmado por el titular' });
    const before = smtp.messages.length;
    expect(await dispatch()).toMatchObject({ claimed: 1, refused: 1, sent: 0 });
    expect(smtp.messages).toHaveLength(before);
    const [row] = await notices(id);
    expect(row).toMatchObject({ status: 'refused', gateRule: 'hold.legal' });
  });
});

describe('the written agreement over WhatsApp (Cloud API wire format)', () => {
  let graph: FakeMetaGraph;
  let whatsappDispatch: () => ReturnType<typeof dispatchDue>;
  const uploads = () => graph.requests.filter((r) => r.path.endsWith('/media'));
  const messages = () => graph.requests.filter((r) => r.path.endsWith('/messages'));

  beforeAll(async () => {
    graph = await startFakeMetaGraph();
    const whatsapp = createWhatsAppCloudProvider({ baseUrl: graph.baseUrl, apiVersion: graph.apiVersion, phoneNumberId: graph.phoneNumberId, accessToken: graph.accessToken, timeoutMs: 5_000, clock: h.clock });
    whatsappDispatch = () => dispatchDue(h.a.ctx, { providers: { email, sms, whatsapp } });
  });
  afterAll(() => graph?.close());

  /** A debtor reached by WhatsApp (no email; consent given, as Mexico requires) with an active plan's notice queued. */
  async function planOnWhatsApp(externalId: string, phone: string, language?: 'en'): Promise<{ debtorId: number; planId: number }> {
    const debtorId = await debtor(externalId, { email: null, phone, whatsapp: phone });
    await h.database.db.insert(consents).values({ companyId: h.a.companyId, debtorId, channel: 'whatsapp', status: 'granted', source: 'test' });
    await obligation(debtorId, `FAC-${externalId}`, 1_000_000n);
    const plan = await createPlan(h.a.ctx, { debtorId, currency: 'MXN', channel: 'phone', takenBy: 'collector', offer: planOffer, ...(language ? { language } : {}) });
    expect((await notices(debtorId)).map((n) => [n.channel, n.recipient])).toEqual([['whatsapp', phone]]);
    graph.requests.length = 0;
    return { debtorId, planId: plan.id };
  }

  /** The debtor wrote to the company's number `hoursAgo` hours ago. */
  async function debtorWrote(debtorId: number, from: string, hoursAgo: number): Promise<void> {
    await h.database.db.insert(inboundMessages).values({
      companyId: h.a.companyId,
      debtorId,
      channel: 'whatsapp',
      provider: 'whatsapp-cloud',
      providerMessageId: `wamid.IN-${from}-${hoursAgo}`,
      fromAddress: from,
      text: 'gracias, ¿me manda el convenio?',
      receivedAt: new Date(h.clock.now().getTime() - hoursAgo * 3600_000),
    });
  }

  it('outside the 24-hour window: the approved template, with the portal link, and no file (a free-form document is not allowed)', async () => {
    const { debtorId } = await planOnWhatsApp('W-1', '+5215530000001');
    await debtorWrote(debtorId, '+5215530000001', 25); // the window this opened has closed
    expect(await whatsappDispatch()).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    expect(uploads()).toEqual([]);
    expect(messages()).toHaveLength(1);
    const body = messages()[0]!.body as { type: string; template: { name: string; language: { code: string }; components: Array<{ type: string; parameters: Array<{ text: string }> }> } };
    expect(body.type).toBe('template');
    expect(body.template).toMatchObject({ name: 'agreement_sent', language: { code: 'es_MX' } });
    expect(body.template.components.map((c) => c.type)).toEqual(['body']);
    expect(body.template.components[0]!.parameters.map((p) => p.text)).toContainEqual(expect.stringMatching(/^https:\/\/cobranza\.example\.mx\/p\//));
    expect((await notices(debtorId))[0]).toMatchObject({ status: 'sent', provider: 'whatsapp-cloud' });
  });

  it('inside the window: the PDF uploaded to /media and sent as a document, convenio-<plan>.pdf, with the text as its Spanish caption', async () => {
    const { debtorId, planId } = await planOnWhatsApp('W-2', '+5215530000002');
    await debtorWrote(debtorId, '+5215530000002', 2);
    expect(await whatsappDispatch()).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    expect(graph.requests.map((r) => r.path)).toEqual([`/${graph.apiVersion}/${graph.phoneNumberId}/media`, `/${graph.apiVersion}/${graph.phoneNumberId}/messages`]);

    const upload = uploads()[0]!.upload!;
    expect(upload.fields).toEqual({ messaging_product: 'whatsapp', type: 'application/pdf' });
    expect(upload.file).toMatchObject({ filename: `convenio-${planId}.pdf`, contentType: 'application/pdf' });
    expect(upload.file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(upload.raw.includes(Buffer.from('%PDF-'))).toBe(true);
    // The file is this plan's agreement, rendered at sending.
    expect(Buffer.compare(upload.file.bytes, (await renderAgreementPdf(h.a.ctx, { planId })).pdf)).toBe(0);

    const [mediaId] = [...graph.media.keys()].slice(-1);
    const sent = messages()[0]!.body as { type: string; to: string; document: { id: string; filename: string; caption: string } };
    expect(sent).toMatchObject({ type: 'document', to: '+5215530000002', document: { id: mediaId, filename: `convenio-${planId}.pdf` } });
    expect(sent.document.caption).toContain('Hola Ana, le saluda Financiera Acme. Registramos su convenio de pago por $10,000.00 de los documentos FAC-W-2');
    expect(sent.document.caption).toContain('Para no recibir más mensajes por WhatsApp, responda BAJA.');

    // The timeline names the file and keeps the caption, never the bytes.
    const [row] = await notices(debtorId);
    expect(row).toMatchObject({ status: 'sent', provider: 'whatsapp-cloud' });
    expect(row!.payload).toMatchObject({ channel: 'whatsapp', document: { filename: `convenio-${planId}.pdf`, contentType: 'application/pdf', caption: sent.document.caption } });
    expect(row!.payload).not.toHaveProperty('template');
    expect(JSON.stringify(row!.payload)).not.toContain('"content"');
    // Sent once: another dispatch finds nothing to do.
    expect(await whatsappDispatch()).toMatchObject({ claimed: 0 });
    expect(messages()).toHaveLength(1);
  });

  it('an upload that fails is retried like any send failure, and the message goes out once', async () => {
    const { debtorId, planId } = await planOnWhatsApp('W-3', '+5215530000003');
    await debtorWrote(debtorId, '+5215530000003', 1);
    graph.replyNext({ kind: 'graph-error', status: 503, error: { message: '(#131016) Service unavailable', type: 'OAuthException', code: 131016 } });
    expect(await whatsappDispatch()).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    expect(uploads()).toHaveLength(1);
    expect(messages()).toEqual([]); // nothing reached the debtor
    const [waiting] = await notices(debtorId);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, provider: 'whatsapp-cloud', lastError: expect.stringMatching(/file upload/) });

    h.clock.advance(60_000); // past the first backoff (30 s)
    expect(await whatsappDispatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(uploads()).toHaveLength(2);
    expect(messages()).toHaveLength(1);
    expect(messages()[0]!.body).toMatchObject({ type: 'document', document: { filename: `convenio-${planId}.pdf` } });
    expect((await notices(debtorId))[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('a template approved with a document header carries the PDF outside the window, in the plan’s language', async () => {
    const approved = defaultTemplate('agreement_sent', 'whatsapp', 'en')!;
    if (approved.channel !== 'whatsapp') throw new Error('expected a WhatsApp template');
    await saveTemplates(h.a.ctx, {
      input: { key: 'agreement_sent', channel: 'whatsapp', language: 'en', content: { ...approved.content, approved: { ...approved.content.approved, name: 'agreement_with_pdf', header: 'document' } } },
    });
    const { debtorId, planId } = await planOnWhatsApp('W-4', '+5215530000004', 'en');
    expect(await whatsappDispatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(uploads()).toHaveLength(1);
    expect(uploads()[0]!.upload!.file.filename).toBe(`agreement-${planId}.pdf`);
    const [mediaId] = [...graph.media.keys()].slice(-1);
    const body = messages()[0]!.body as { type: string; template: { name: string; language: { code: string }; components: Array<{ type: string; parameters: unknown[] }> } };
    expect(body.type).toBe('template');
    expect(body.template.name).toBe('agreement_with_pdf');
    expect(body.template.language.code).toBe(approved.content.approved.language);
    expect(body.template.components[0]).toEqual({ type: 'header', parameters: [{ type: 'document', document: { id: mediaId, filename: `agreement-${planId}.pdf` } }] });
    expect(body.template.components[1]!.type).toBe('body');
    const [row] = await notices(debtorId);
    expect(row!.payload).toMatchObject({ template: { name: 'agreement_with_pdf', headerDocument: { filename: `agreement-${planId}.pdf`, contentType: 'application/pdf' } } });
  });

  it('a template approved with a document header cannot go without a file: the row fails, naming why, and nothing is sent', async () => {
    const approved = defaultTemplate('dispute_upheld', 'whatsapp', 'es-MX')!;
    if (approved.channel !== 'whatsapp') throw new Error('expected a WhatsApp template');
    await saveTemplates(h.a.ctx, { input: { key: 'dispute_upheld', channel: 'whatsapp', language: 'es-MX', content: { ...approved.content, approved: { ...approved.content.approved, header: 'document' } } } });
    const id = await debtor('W-5', { email: null, phone: '+5215530000005', whatsapp: '+5215530000005' });
    await h.database.db.insert(consents).values({ companyId: h.a.companyId, debtorId: id, channel: 'whatsapp', status: 'granted', source: 'test' });
    const ob = await obligation(id, 'FAC-W-5', 300_000n);
    const dispute = await openDispute(h.a.ctx, { debtorId: id, obligationId: ob, reason: 'me cobraron de más', channel: 'phone', openedBy: 'collector' });
    await resolveDispute(h.a.ctx, { disputeId: dispute.id, outcome: 'upheld', resolution: 'cargo duplicado', adjustedAmount: '2500.00' });
    graph.requests.length = 0;
    expect(await whatsappDispatch()).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    expect(graph.requests).toEqual([]);
    expect((await notices(id))[0]).toMatchObject({ channel: 'whatsapp', status: 'failed', lastError: expect.stringMatching(/encabezado/) });
  });
});
