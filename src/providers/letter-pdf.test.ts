import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTemplate, formatMoney, renderTemplate, type TemplateVariables } from '../domain/templates/index.ts';
import type { OutboundLetter } from '../modules/messaging/ports.ts';
import { createLetterFileProvider, letterFileName } from './letter-files.ts';
import { formatLetterDate, printable, renderLetterBatch, renderLetterPdf, type LetterDocument } from './letter-pdf.ts';

/** The text lines of an uncompressed pdfkit PDF: each TJ array's hex strings, decoded as WinAnsi (latin1 here). */
function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  return [...source.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)].map((m) =>
    [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''),
  );
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g) ?? []).length;
}

const creditor = { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '800 123 4567' };

function letter(name: string, currency: 'MXN' | 'CLP', locale: string, overdue: bigint, total: bigint): LetterDocument {
  const template = defaultTemplate('final_notice_before_extrajudicial', 'letter', 'es-MX')!;
  const variables: TemplateVariables = {
    debtor: { name, first_name: name.split(' ')[0] },
    creditor,
    agency: { name: 'Cobranza Ética S.C.', identification: 'REDECO-1234' },
    amount: { overdue: { [currency]: overdue }, total: { [currency]: total } },
    due_date: '2026-01-15',
    days_past_due: 68,
    contract: `${currency}-778`,
    payment_link: 'https://pagos.acme.example/p/1',
    portal_link: 'https://portal.acme.example/1',
  };
  const rendered = renderTemplate(template, variables, { locale });
  if (rendered.channel !== 'letter') throw new Error('not a letter');
  return {
    language: 'es-MX',
    locale,
    date: '2026-03-24',
    title: rendered.title,
    paragraphs: [...rendered.body],
    creditor: { name: creditor.name, legalId: creditor.legal_id, phone: creditor.phone },
    agency: { name: 'Cobranza Ética S.C.', identification: 'REDECO-1234' },
    recipient: { name, addressLines: ['Av. Insurgentes Sur 1234, Int. 5', 'Col. del Valle', '03100 Ciudad de México', 'CDMX'] },
    contract: `${currency}-778`,
  };
}

const mx = letter('José Pérez Ñúñez', 'MXN', 'es-MX', 125_050n, 1_500_000n);
const cl = letter('María Fernanda Soto', 'CLP', 'es-CL', 150_000n, 2_345_678n);

describe('letter PDF', () => {
  it('renders one letter with the debtor, the address, the creditor identification, the date and formatted amounts', async () => {
    const pdf = await renderLetterPdf(mx, { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf).join('\n');
    expect(text).toContain('José Pérez Ñúñez');
    expect(text).toContain('Av. Insurgentes Sur 1234, Int. 5');
    expect(text).toContain('03100 Ciudad de México');
    expect(text).toContain('Financiera Acme');
    expect(text).toContain('Identificación fiscal: FAC010101AB1');
    expect(text).toContain('Cobranza Ética S.C. (Identificación: REDECO-1234), por cuenta de Financiera Acme');
    expect(text).toContain('24 de marzo de 2026');
    expect(text).toContain('Referencia: contrato MXN-778');
    expect(text).toContain('Aviso importante sobre su contrato MXN-778');
    const joined = text.replace(/\n/g, ' ');
    expect(joined).toContain(formatMoney(125_050n, 'MXN', 'es-MX')); // $1,250.50
    expect(joined).toContain(formatMoney(1_500_000n, 'MXN', 'es-MX')); // $15,000.00
  });

  it('formats CLP the Chilean way', async () => {
    const text = pdfText(await renderLetterPdf(cl, { compress: false })).join(' ');
    expect(formatMoney(150_000n, 'CLP', 'es-CL')).toBe('$150.000');
    expect(text).toContain('$150.000');
    expect(text).toContain(printable(formatMoney(2_345_678n, 'CLP', 'es-CL')));
    expect(text).toContain('María Fernanda Soto');
  });

  it('renders a batch for a print house: every letter starts on a new page', async () => {
    const long: LetterDocument = { ...cl, recipient: { ...cl.recipient, name: 'Larga Carta' }, paragraphs: Array.from({ length: 40 }, (_, i) => `Párrafo ${i + 1}. ${'Texto de relleno para ocupar espacio. '.repeat(6)}`) };
    const single = pageCount(await renderLetterPdf(long, { compress: false }));
    expect(single).toBeGreaterThan(1);
    const pdf = await renderLetterBatch([mx, cl, long], { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(2 + single);
    const lines = pdfText(pdf);
    // Each letter's first line (the creditor) opens a page: the debtor names appear in order.
    const names = lines.filter((l) => ['José Pérez Ñúñez', 'María Fernanda Soto', 'Larga Carta'].includes(l));
    expect(names).toEqual(['José Pérez Ñúñez', 'María Fernanda Soto', 'Larga Carta']);
  });

  it('is compressed by default and reproducible', async () => {
    const a = await renderLetterPdf(mx);
    const b = await renderLetterPdf(mx);
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.toString('latin1')).toContain('/FlateDecode');
    expect(pageCount(a)).toBe(1);
    expect(a.equals(b)).toBe(true);
  });

  it('writes English letters with English labels and dates', async () => {
    const en: LetterDocument = { ...mx, language: 'en', locale: 'en-US' };
    const text = pdfText(await renderLetterPdf(en, { compress: false })).join('\n');
    expect(text).toContain('Tax ID: FAC010101AB1');
    expect(text).toContain('March 24, 2026');
    expect(formatLetterDate('2026-03-24', 'es-CL')).toBe('24 de marzo de 2026');
  });

  it('refuses an empty batch and keeps text the standard fonts can print', async () => {
    await expect(renderLetterBatch([])).rejects.toThrow(/at least one/);
    expect(printable('$\u202f1.000 ✓ ñ €')).toBe('$\u00a01.000 ? ñ €');
  });
});

describe('letter file provider', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes the PDF under the letter's date, named by the idempotency key; a resend rewrites the same file", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cobranza-letters-'));
    dirs.push(dir);
    const provider = createLetterFileProvider({ dir });
    const message: OutboundLetter = { channel: 'letter', idempotencyKey: 'v1:final:42:phase:2026-03-24', ...mx };
    const first = await provider.send(message);
    expect(first).toEqual({ providerMessageId: join(dir, '2026-03-24', letterFileName(message.idempotencyKey)), status: 'sent' });
    const bytes = await readFile(first.providerMessageId);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const again = await provider.send(message);
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(await readdir(join(dir, '2026-03-24'))).toEqual([letterFileName(message.idempotencyKey)]);
    expect((await readFile(again.providerMessageId)).equals(bytes)).toBe(true);
  });

  it('refuses a letter without a valid date (permanent)', async () => {
    const provider = createLetterFileProvider({ dir: join(tmpdir(), 'never-written') });
    await expect(provider.send({ channel: 'letter', idempotencyKey: 'k', ...mx, date: '24/03/2026' })).rejects.toMatchObject({ retryable: false });
  });
});
