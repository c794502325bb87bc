/**
 * Letters as PDF (pdfkit, standard fonts): one file per debtor, or one batch file for a print house in which every
 * letter starts on a new page. A page carries the creditor's identification (and the agency acting for it), the date,
 * the debtor's name and postal address, the contract reference, the template's title and its paragraphs.
 *
 * The output is reproducible: the document's dates are the letter's date, so rendering the same letter twice gives
 * the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { OutboundLetter } from '../modules/messaging/ports.ts';

/** What a printed letter needs; the outbox's letter message is one. */
export type LetterDocument = Omit<OutboundLetter, 'channel' | 'idempotencyKey'>;

export interface LetterPdfOptions {
  /** Paper size (default LETTER, the size used in Mexico, Colombia and Chile; A4 elsewhere). */
  size?: 'LETTER' | 'A4' | 'LEGAL';
  /** Compress page content (default true; tests turn it off to read the text). */
  compress?: boolean;
}

const LABELS = {
  'es-MX': { legalId: 'Identificación fiscal', phone: 'Teléfono', agency: 'Gestión de cobranza', onBehalf: 'por cuenta de', contract: 'Referencia: contrato', id: 'Identificación' },
  en: { legalId: 'Tax ID', phone: 'Phone', agency: 'Collection agency', onBehalf: 'on behalf of', contract: 'Reference: contract', id: 'Identification' },
} as const;

const MARGIN = 64;

/** Renders one debtor's letter. */
export function renderLetterPdf(letter: LetterDocument, options: LetterPdfOptions = {}): Promise<Buffer> {
  return renderLetterBatch([letter], options);
}

/** Renders letters into one PDF, each starting on a new page (a letter longer than a page flows onto more). */
export function renderLetterBatch(letters: readonly LetterDocument[], options: LetterPdfOptions = {}): Promise<Buffer> {
  if (letters.length === 0) return Promise.reject(new Error('a letter batch needs at least one letter'));
  const first = letters[0]!;
  const date = pdfDate(first.date);
  const doc = new PDFDocument({
    size: options.size ?? 'LETTER',
    margin: MARGIN,
    compress: options.compress ?? true,
    autoFirstPage: false,
    lang: first.language,
    info: {
      Title: letters.length === 1 ? printable(first.title) : `${letters.length} cartas / letters`,
      Author: printable(first.creditor.name),
      Producer: 'cobranza',
      Creator: 'cobranza',
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const letter of letters) {
    doc.addPage();
    drawLetter(doc, letter);
  }
  doc.end();
  return done;
}

function drawLetter(doc: PDFKit.PDFDocument, letter: LetterDocument): void {
  const labels = LABELS[letter.language];
  const width = doc.page.width - 2 * MARGIN;
  const line = (text: string, font: 'Helvetica' | 'Helvetica-Bold' = 'Helvetica', size = 10, align: 'left' | 'right' | 'justify' = 'left') => {
    doc.font(font).fontSize(size).text(printable(text), MARGIN, undefined, { width, align });
  };

  // Who writes: the creditor, identified, and the agency acting for it.
  line(letter.creditor.name, 'Helvetica-Bold', 12);
  if (letter.creditor.legalId) line(`${labels.legalId}: ${letter.creditor.legalId}`, 'Helvetica', 9);
  if (letter.creditor.phone) line(`${labels.phone}: ${letter.creditor.phone}`, 'Helvetica', 9);
  if (letter.agency) {
    const id = letter.agency.identification ? ` (${labels.id}: ${letter.agency.identification})` : '';
    line(`${labels.agency}: ${letter.agency.name}${id}, ${labels.onBehalf} ${letter.creditor.name}`, 'Helvetica', 9);
  }
  doc.moveDown(1.5);
  line(formatLetterDate(letter.date, letter.locale), 'Helvetica', 10, 'right');
  doc.moveDown(1.5);

  // To whom: the debtor's name and postal address, where a window envelope shows it.
  line(letter.recipient.name, 'Helvetica-Bold', 11);
  for (const addressLine of letter.recipient.addressLines) line(addressLine, 'Helvetica', 10);
  doc.moveDown(1.5);
  if (letter.contract) {
    line(`${labels.contract} ${letter.contract}`, 'Helvetica', 10);
    doc.moveDown(0.5);
  }

  line(letter.title, 'Helvetica-Bold', 12);
  doc.moveDown(0.8);
  for (const paragraph of letter.paragraphs) {
    line(paragraph, 'Helvetica', 10.5, 'justify');
    doc.moveDown(0.7);
  }
}

/** The date as written in a letter: "23 de noviembre de 2026", "November 23, 2026". */
export function formatLetterDate(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const at = new Date(Date.UTC(y!, m! - 1, d!, 12));
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
  } catch {
    return date;
  }
}

function pdfDate(date: string): Date {
  const at = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(at.getTime()) ? new Date(0) : at;
}

/**
 * Text the standard fonts (WinAnsi) can print: the thin and narrow no-break spaces Intl puts in amounts become
 * no-break spaces, typographic dashes and quotes stay (WinAnsi has them), and anything else outside it becomes "?".
 */
export function printable(text: string): string {
  return text.replace(/[\u2009\u202f]/g, '\u00a0').replace(/[^\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\n]/g, '?');
}
