/**
 * Files that travel with a message. The outbox never stores a file: a row names what to attach in its variables
 * (`attachments: [{ kind: 'agreement_pdf', planId: 12 }]`) and the file is generated when the row is dispatched,
 * from the data as it is then. Email carries the files as MIME attachments; a channel that cannot carry a file
 * sends its text alone (its template links to where the document can be downloaded).
 */
import { renderAgreementPdf } from '../negotiation/agreement-pdf.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import type { OutboundMessage } from './ports.ts';

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
 * The message with the files its row asks for: attached to an email, left out for channels that cannot carry them.
 * A file that cannot be generated (unknown reference, the document is gone) is a permanent failure of the row;
 * anything else (the database away) is thrown, and the row is claimed again when its lease runs out.
 */
export async function withAttachments(ctx: Ctx, variables: Record<string, unknown>, message: OutboundMessage): Promise<{ ok: true; message: OutboundMessage } | { ok: false; reason: string }> {
  let refs: AttachmentRef[];
  try {
    refs = attachmentRefsOf(variables);
  } catch (error) {
    return { ok: false, reason: `adjuntos inválidos: ${(error as Error).message}` };
  }
  if (refs.length === 0 || message.channel !== 'email') return { ok: true, message };
  const files: AttachmentFile[] = [];
  for (const ref of refs) {
    try {
      files.push(await renderAttachment(ctx, ref));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { ok: false, reason: `no se pudo generar el adjunto ${ref.kind} #${ref.planId}: ${error.message}` };
    }
  }
  return { ok: true, message: { ...message, attachments: [...(message.attachments ?? []), ...files] } };
}
