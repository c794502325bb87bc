/**
 * Files that travel with a message. The outbox never stores a file: a row names what to attach in its variables
 * (`attachments: [{ kind: 'agreement_pdf', planId: 12 }]`) and the file is generated when the row is dispatched,
 * from the data as it is then. Email carries the files as MIME attachments, WhatsApp as a document where the Cloud
 * API allows it (see withAttachments); otherwise a message sends its text alone (its template links to where the
 * document can be downloaded).
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import { inboundMessages } from '../../db/schema.ts';
import { renderAgreementPdf } from '../negotiation/agreement-pdf.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { CUSTOMER_SERVICE_WINDOW_MS } from './free-form-reply.ts';
import { WHATSAPP_CAPTION_MAX, type OutboundMessage } from './ports.ts';
import type { WhatsAppRendering } from './render-message.ts';

/** What a row may ask to attach. */
export type AttachmentRef = { kind: 'agreement_pdf'; planId: number };

export interface AttachmentFile {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** The key of a row's variables that lists its attachments. */
export const ATTACHMENTS_VARIABLE = 'attachments';

/** The attachments a row's variables ask for; throws on an entry it does not understand. */
export function attachmentRefsOf(variables: Record<string, unknown>): AttachmentRef[] {
  const list = variables[ATTACHMENTS_VARIABLE];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error('attachments must be a list');
  return list.map((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (e.kind === 'agreement_pdf' && typeof e.planId === 'number' && Number.isSafeInteger(e.planId)) return { kind: 'agreement_pdf', planId: e.planId };
    throw new Error(`attachments[${i}]: unknown attachment ${JSON.stringify(entry)}`);
  });
}

/** Generates one attachment. */
export async function renderAttachment(ctx: Ctx, ref: AttachmentRef): Promise<AttachmentFile> {
  switch (ref.kind) {
    case 'agreement_pdf': {
      const { pdf, fileName } = await renderAgreementPdf(ctx, { planId: ref.planId });
      return { filename: fileName, contentType: 'application/pdf', content: pdf };
    }
  }
}

/**
 * How long the customer service window must still be open for a file to go as a document message: the row is sent
 * right after this check, but a slow wave or a clock apart from Meta's should not land it after the window closed.
 */
const WINDOW_MARGIN_MS = 10 * 60_000;

/**
 * Whether the debtor wrote from `to` to the company's WhatsApp number recently enough that a free-form message (a
 * document) may go now: the 24-hour customer service window of their latest message there, less the margin.
 */
async function whatsAppWindowOpen(ctx: Ctx, debtorId: number, to: string): Promise<boolean> {
  const now = ctx.clock.now().getTime();
  const [latest] = await ctx.database.db
    .select({ at: inboundMessages.receivedAt })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.companyId, ctx.companyId),
        eq(inboundMessages.debtorId, debtorId),
        eq(inboundMessages.channel, 'whatsapp'),
        eq(inboundMessages.fromAddress, to),
        gt(inboundMessages.receivedAt, new Date(now - CUSTOMER_SERVICE_WINDOW_MS + WINDOW_MARGIN_MS)),
        lte(inboundMessages.receivedAt, new Date(now)),
      ),
    )
    .limit(1);
  return latest !== undefined;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * The message with the files its row asks for. Email carries every file as a MIME attachment. WhatsApp carries one
 * (the first), and only where the Cloud API lets a business send it:
 * - a template approved with a document header (`approved.header: document`) carries it in that header, in or out of
 *   the 24-hour window — and a row without a file cannot use such a template;
 * - otherwise, inside the window the debtor's latest message opened, it goes as a document message whose caption is
 *   the template's text, in the template's language;
 * - otherwise the approved template goes as it is, with its link to the portal: outside the window a business may
 *   send only a template, and Meta refuses a header the approved template does not have.
 * SMS and letters send their text alone (their templates link to where the document can be downloaded).
 *
 * A file that cannot be generated (unknown reference, the document is gone) is a permanent failure of the row;
 * anything else (the database away) is thrown, and the row is claimed again when its lease runs out.
 */
export async function withAttachments(
  ctx: Ctx,
  row: { readonly debtorId: number; readonly variables: Record<string, unknown> },
  rendered: { message: OutboundMessage; whatsApp?: WhatsAppRendering | undefined },
): Promise<{ ok: true; message: OutboundMessage } | { ok: false; reason: string }> {
  const { message } = rendered;
  let refs: AttachmentRef[];
  try {
    refs = attachmentRefsOf(row.variables);
  } catch (error) {
    return { ok: false, reason: `adjuntos inválidos: ${(error as Error).message}` };
  }
  const documentHeader = message.channel === 'whatsapp' && message.template !== undefined && rendered.whatsApp?.documentHeader === true;
  if (documentHeader && refs.length === 0) {
    return { ok: false, reason: 'la plantilla aprobada de WhatsApp lleva un documento en el encabezado y este mensaje no tiene archivo que enviar en él' };
  }
  if (refs.length === 0) return { ok: true, message };
  if (message.channel === 'whatsapp') {
    if (!message.template) return { ok: true, message };
    const inWindow = !documentHeader && (await whatsAppWindowOpen(ctx, row.debtorId, message.to));
    if (!documentHeader && !inWindow) return { ok: true, message };
    const file = await renderFiles(ctx, refs.slice(0, 1));
    if (!file.ok) return file;
    const document = file.files[0]!;
    if (documentHeader) return { ok: true, message: { ...message, template: { ...message.template, headerDocument: document } } };
    const { template: _template, ...rest } = message;
    return { ok: true, message: { ...rest, document: { ...document, caption: clip(rendered.whatsApp?.body ?? '', WHATSAPP_CAPTION_MAX) } } };
  }
  if (message.channel !== 'email') return { ok: true, message };
  const files = await renderFiles(ctx, refs);
  if (!files.ok) return files;
  return { ok: true, message: { ...message, attachments: [...(message.attachments ?? []), ...files.files] } };
}

async function renderFiles(ctx: Ctx, refs: readonly AttachmentRef[]): Promise<{ ok: true; files: AttachmentFile[] } | { ok: false; reason: string }> {
  const files: AttachmentFile[] = [];
  for (const ref of refs) {
    try {
      files.push(await renderAttachment(ctx, ref));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { ok: false, reason: `no se pudo generar el adjunto ${ref.kind} #${ref.planId}: ${error.message}` };
    }
  }
  return { ok: true, files };
}
