/**
 * The letter provider: each letter is rendered to PDF and written to `<dir>/<YYYY-MM-DD>/` (the letter's date), where
 * an operator or a print house picks the day's letters up. The file name comes from the outbox row's idempotency key,
 * so a resend after a crash rewrites the same file (with the same bytes) instead of printing a second letter. The
 * file's path is the provider's message id.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProviderError, type ChannelProvider, type OutboundLetter, type SendResult } from '../modules/messaging/ports.ts';
import { renderLetterPdf, type LetterPdfOptions } from './letter-pdf.ts';

export interface LetterFileProviderOptions extends LetterPdfOptions {
  /** Root folder; each day's letters go to a YYYY-MM-DD folder under it. */
  dir: string;
}

/** The file name of a letter: the same idempotency key always gives the same name. */
export function letterFileName(idempotencyKey: string): string {
  return `carta-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 24)}.pdf`;
}

export function createLetterFileProvider(options: LetterFileProviderOptions): ChannelProvider<OutboundLetter> {
  const root = resolve(options.dir);
  return {
    name: 'letter-pdf',
    channel: 'letter',
    async send(message: OutboundLetter): Promise<SendResult> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(message.date)) throw new ProviderError(`letter date "${message.date}" is not YYYY-MM-DD`, { retryable: false });
      const { channel: _channel, idempotencyKey, ...letter } = message;
      const pdf = await renderLetterPdf(letter, options);
      const folder = join(root, message.date);
      const path = join(folder, letterFileName(idempotencyKey));
      try {
        await mkdir(folder, { recursive: true });
        // Written aside and renamed, so a print house never picks up half a file.
        const partial = `${path}.${process.pid}.partial`;
        await writeFile(partial, pdf);
        await rename(partial, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? null;
        const permanent = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR';
        throw new ProviderError(`cannot write the letter to ${path}: ${(error as Error).message}`, { retryable: !permanent, providerCode: code });
      }
      return { providerMessageId: path, status: 'sent' };
    },
  };
}
