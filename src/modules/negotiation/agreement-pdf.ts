/**
 * The written agreement (convenio de pago) as PDF, in the style of the product's letters (pdfkit, standard fonts,
 * LETTER paper): the creditor (and agency) identified, the debtor, the obligations covered with their balances, the
 * discount and interest, the schedule, and the terms (grace, what breaking the plan means). Spanish by default,
 * English on request. Reproducible: the document's dates are the plan's creation date, so the same plan gives the
 * same bytes.
 */
import PDFDocument from 'pdfkit';
import { formatLetterDate, printable } from '../../providers/letter-pdf.ts';
// The settings file itself, not the module's index: dispatch renders this document, so the index would be a cycle.
import { loadAutomationSettings } from '../messaging/settings.ts';
import type { Ctx } from '../shared/context.ts';
import type { AgreementLanguage } from './plans.ts';
import { debtorById } from './shared.ts';
import { getPlan, type PlanView } from './views.ts';

const TEXT = {
  'es-MX': {
    title: (kind: string) => (kind === 'settlement' ? 'Convenio de liquidación' : 'Convenio de pago'),
    number: 'Convenio núm.',
    creditor: 'Acreedor',
    legalId: 'Identificación fiscal',
    agency: 'Gestión de cobranza',
    debtor: 'Deudor',
    taxId: 'Identificación',
    intro: (d: string, c: string) => `${d} (en adelante, el deudor) y ${c} (en adelante, el acreedor) acuerdan la forma de pago de los documentos que se detallan a continuación.`,
    covered: 'Documentos incluidos',
    document: 'Documento',
    balance: 'Saldo',
    totals: 'Importes',
    coveredTotal: 'Saldo incluido',
    discount: 'Descuento otorgado',
    interest: 'Intereses del plan',
    total: 'Total a pagar',
    schedule: 'Calendario de pagos',
    seq: 'Núm.',
    due: 'Fecha',
    amount: 'Importe',
    down: 'Enganche',
    terms: 'Condiciones',
    term1: (g: number) => `Cada pago se considera puntual si se recibe a más tardar ${g} día(s) hábil(es) después de su fecha.`,
    term2: 'Mientras el convenio se cumpla, el acreedor suspende las gestiones de cobranza sobre los documentos incluidos.',
    term3: 'Si un pago no se cubre en el plazo anterior, el convenio se da por terminado y la cobranza se reanuda sobre el saldo pendiente, sin el descuento otorgado.',
    term4: 'El descuento se aplica al completar todos los pagos.',
    status: 'Estado',
    statuses: { pending_approval: 'pendiente de aprobación', active: 'vigente', completed: 'cumplido', broken: 'terminado por incumplimiento', cancelled: 'cancelado', rejected: 'rechazado' } as Record<string, string>,
    signDebtor: 'Firma del deudor',
    signCreditor: 'Por el acreedor',
    locale: 'es-MX',
  },
  en: {
    title: (kind: string) => (kind === 'settlement' ? 'Settlement agreement' : 'Payment plan agreement'),
    number: 'Agreement no.',
    creditor: 'Creditor',
    legalId: 'Tax ID',
    agency: 'Collection agency',
    debtor: 'Debtor',
    taxId: 'Identification',
    intro: (d: string, c: string) => `${d} (the debtor) and ${c} (the creditor) agree on how the documents listed below will be paid.`,
    covered: 'Documents covered',
    document: 'Document',
    balance: 'Balance',
    totals: 'Amounts',
    coveredTotal: 'Balance covered',
    discount: 'Discount granted',
    interest: 'Plan interest',
    total: 'Total to pay',
    schedule: 'Payment schedule',
    seq: 'No.',
    due: 'Date',
    amount: 'Amount',
    down: 'Down payment',
    terms: 'Terms',
    term1: (g: number) => `A payment is on time when received no later than ${g} business day(s) after its date.`,
    term2: 'While the agreement is kept, the creditor suspends collection of the documents covered.',
    term3: 'If a payment is not made within that time, the agreement ends and collection resumes on the remaining balance, without the discount.',
    term4: 'The discount applies once every payment has been made.',
    status: 'Status',
    statuses: { pending_approval: 'pending approval', active: 'in force', completed: 'completed', broken: 'ended for non-payment', cancelled: 'cancelled', rejected: 'rejected' } as Record<string, string>,
    signDebtor: 'Debtor signature',
    signCreditor: 'For the creditor',
    locale: 'en-US',
  },
} as const;

const MARGIN = 64;

/** Renders a plan's agreement; `language` defaults to the plan's. */
export async function renderAgreementPdf(ctx: Ctx, input: { planId: number; language?: AgreementLanguage | undefined; compress?: boolean }): Promise<{ pdf: Buffer; fileName: string; plan: PlanView }> {
  const plan = await getPlan(ctx, { planId: input.planId });
  const debtor = await debtorById(ctx, plan.debtorId);
  const settings = await loadAutomationSettings(ctx);
  const creditor = { name: settings.sender.creditor?.name ?? settings.companyName, legalId: settings.sender.creditor?.legal_id ?? null };
  const language = input.language ?? (plan.language === 'en' ? 'en' : 'es-MX');
  const t = TEXT[language];
  const date = new Date(`${plan.createdOn}T12:00:00Z`);
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    compress: input.compress ?? true,
    lang: language,
    info: { Title: printable(`${t.title(plan.kind)} ${plan.id}`), Author: printable(creditor.name), Producer: 'cobranza', Creator: 'cobranza', CreationDate: date, ModDate: date },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const line = (text: string, font: 'Helvetica' | 'Helvetica-Bold' = 'Helvetica', size = 10, align: 'left' | 'right' | 'justify' | 'center' = 'left') => {
    doc.font(font).fontSize(size).text(printable(text), MARGIN, undefined, { width, align });
  };
  const row = (cells: string[], widths: number[], font: 'Helvetica' | 'Helvetica-Bold' = 'Helvetica') => {
    const y = doc.y;
    let x = MARGIN;
    doc.font(font).fontSize(10);
    cells.forEach((c, i) => {
      doc.text(printable(c), x, y, { width: widths[i]!, align: i === 0 ? 'left' : 'right' });
      x += widths[i]!;
    });
    doc.x = MARGIN;
    doc.moveDown(0.3);
  };
  const money = (v: string) => `${v} ${plan.currency}`;

  line(creditor.name, 'Helvetica-Bold', 12);
  if (creditor.legalId) line(`${t.legalId}: ${creditor.legalId}`, 'Helvetica', 9);
  if (settings.sender.agency) line(`${t.agency}: ${settings.sender.agency.name}`, 'Helvetica', 9);
  doc.moveDown(1);
  line(formatLetterDate(plan.createdOn, t.locale), 'Helvetica', 10, 'right');
  doc.moveDown(1);
  line(`${t.title(plan.kind)} — ${t.number} ${plan.id}`, 'Helvetica-Bold', 14, 'center');
  line(`${t.status}: ${t.statuses[plan.status] ?? plan.status}`, 'Helvetica', 9, 'center');
  doc.moveDown(1);
  line(`${t.creditor}: ${creditor.name}`);
  line(`${t.debtor}: ${debtor.name} (${debtor.externalId}${debtor.taxId ? `, ${t.taxId} ${debtor.taxId}` : ''})`);
  doc.moveDown(0.6);
  line(t.intro(debtor.name, creditor.name), 'Helvetica', 10.5, 'justify');
  doc.moveDown(1);

  line(t.covered, 'Helvetica-Bold', 11);
  row([t.document, t.balance], [width * 0.6, width * 0.4], 'Helvetica-Bold');
  for (const o of plan.obligations) row([o.externalId, money(o.balance)], [width * 0.6, width * 0.4]);
  doc.moveDown(0.8);

  line(t.totals, 'Helvetica-Bold', 11);
  const totals: Array<[string, string]> = [[t.coveredTotal, money(plan.covered)]];
  if (plan.discount !== '0' && !/^0\.0+$/.test(plan.discount)) totals.push([t.discount, `- ${money(plan.discount)}`]);
  if (plan.interest !== '0' && !/^0\.0+$/.test(plan.interest)) totals.push([t.interest, money(plan.interest)]);
  totals.push([t.total, money(plan.total)]);
  for (const [k, v] of totals) row([k, v], [width * 0.6, width * 0.4], k === t.total ? 'Helvetica-Bold' : 'Helvetica');
  doc.moveDown(0.8);

  line(t.schedule, 'Helvetica-Bold', 11);
  const w = [width * 0.2, width * 0.4, width * 0.4];
  row([t.seq, t.due, t.amount], w, 'Helvetica-Bold');
  for (const i of plan.installments) row([i.seq === 0 ? t.down : String(i.seq), formatLetterDate(i.dueOn, t.locale), money(i.amount)], w);
  doc.moveDown(0.8);

  line(t.terms, 'Helvetica-Bold', 11);
  for (const term of [t.term1(plan.graceDays), t.term2, t.term3, ...(plan.discount !== '0' && !/^0\.0+$/.test(plan.discount) ? [t.term4] : [])]) {
    line(`• ${term}`, 'Helvetica', 10, 'justify');
    doc.moveDown(0.3);
  }
  doc.moveDown(3);
  const y = doc.y;
  doc.font('Helvetica').fontSize(10);
  doc.text('_____________________________', MARGIN, y, { width: width / 2 });
  doc.text('_____________________________', MARGIN + width / 2, y, { width: width / 2 });
  doc.text(printable(t.signDebtor), MARGIN, doc.y, { width: width / 2 });
  doc.text(printable(t.signCreditor), MARGIN + width / 2, y + 14, { width: width / 2 });
  doc.end();
  const pdf = await done;
  return { pdf, fileName: `${language === 'en' ? 'agreement' : 'convenio'}-${plan.id}.pdf`, plan };
}
