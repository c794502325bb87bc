/**
 * Letters through dispatch: a 'letter' row is rendered from its template with the creditor's identification and the
 * debtor's postal address, written as a PDF under the day's folder, and marked sent with the file as provider id.
 * A debtor without a postal address fails (and its fallback channel takes over).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages } from '../../src/db/schema.ts';
import { templateVariablesToJson } from '../../src/domain/templates/index.ts';
import { dispatchDue, setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { createLetterFileProvider, letterFileName } from '../../src/providers/letter-files.ts';
import { createSandboxProvider } from '../../src/providers/sandbox.ts';
import { createWorld, type World } from './helpers.ts';

let w: World;
let dir: string;

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-24T16:00:00Z');
  dir = await mkdtemp(join(tmpdir(), 'cobranza-letters-'));
  await setAutomationSettings(w.ctx, {
    sender: {
      creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '800 123 4567' },
      agency: { name: 'Cobranza Ética S.C.', identification: 'REDECO-1234' },
      payment_link: 'https://pagos.acme.example/p/{debtor}',
      portal_link: 'https://portal.acme.example/{debtor}',
    },
  });
});

afterAll(async () => {
  await w?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function letterRow(debtorId: number, name: string, key: string) {
  const variables = templateVariablesToJson({
    debtor: { name, first_name: name.split(' ')[0] },
    amount: { overdue: { MXN: 125_050n }, total: { MXN: 1_500_000n } },
    due_date: '2026-01-15',
    contract: `C-${key}`,
  });
  const [m] = await w.database.db
    .insert(outboxMessages)
    .values({
      companyId: w.ctx.companyId,
      debtorId,
      channel: 'letter',
      templateKey: 'final_notice_before_extrajudicial',
      idempotencyKey: `manual:letter:${key}`,
      cause: 'manual',
      causeDate: '2026-03-24',
      recipient: name,
      variables: variables as Record<string, unknown>,
      fallbackChannel: 'email',
      scheduledFor: w.clock.now(),
      nextAttemptAt: w.clock.now(),
    })
    .returning();
  return m!;
}

/** Text of an uncompressed pdfkit PDF (hex strings of the TJ operators, WinAnsi ≈ latin1). */
function pdfText(pdf: Buffer): string {
  return [...pdf.toString('latin1').matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)]
    .map((m) => [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''))
    .join('\n');
}

describe('letters through dispatch', () => {
  it('writes the PDF for the day and marks the row sent with its path', async () => {
    const id = await w.debtor('L1', { name: 'José Pérez', city: 'Ciudad de México', postalCode: '03100', region: 'CDMX', attributes: { direccion: 'Av. Insurgentes Sur 1234', colonia: 'Col. del Valle' } });
    const row = await letterRow(id, 'José Pérez', 'L1');
    const letter = createLetterFileProvider({ dir, compress: false });
    const summary = await dispatchDue(w.ctx, { providers: { letter } });
    expect(summary).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    const [stored] = await w.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, row.id));
    const path = join(dir, '2026-03-24', letterFileName(row.idempotencyKey));
    expect(stored).toMatchObject({ status: 'sent', provider: 'letter-pdf', providerMessageId: path });
    expect(stored!.payload).toMatchObject({ channel: 'letter', recipient: { name: 'José Pérez', addressLines: ['Av. Insurgentes Sur 1234', 'Col. del Valle', '03100 Ciudad de México', 'CDMX'] } });
    const text = pdfText(await readFile(path));
    expect(text).toContain('José Pérez');
    expect(text).toContain('03100 Ciudad de México');
    expect(text).toContain('Identificación fiscal: FAC010101AB1');
    expect(text).toContain('Cobranza Ética S.C. (Identificación: REDECO-1234), por cuenta de Financiera Acme');
    expect(text).toContain('24 de marzo de 2026');
    expect(text).toContain('Referencia: contrato C-L1');
    expect(text.replace(/\n/g, ' ')).toContain('$1,250.50');
  });

  it('fails a letter to a debtor without a postal address and falls back to email', async () => {
    const id = await w.debtor('L2', { name: 'Ana Sin Domicilio' });
    const row = await letterRow(id, 'Ana Sin Domicilio', 'L2');
    const email = createSandboxProvider('email', { clock: w.clock });
    const summary = await dispatchDue(w.ctx, { providers: { letter: createLetterFileProvider({ dir }), email } });
    expect(summary).toMatchObject({ claimed: 1, failed: 1, fallbacks: 1 });
    const [stored] = await w.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, row.id));
    expect(stored).toMatchObject({ status: 'failed', lastError: 'el deudor no tiene domicilio postal para la carta' });
    const fallback = (await w.messages(id)).find((m) => m.channel === 'email');
    expect(fallback).toMatchObject({ fallbackOf: row.id, status: 'pending' });
  });
});
