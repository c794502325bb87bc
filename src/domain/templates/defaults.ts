/**
 * The default templates the product ships with, in Spanish (es-MX) and English, for each moment of collection:
 * a few days before the due date, on it, 3, 10 and 30 days late, a final notice before the account goes to an
 * external agency, a thank-you when a payment arrives, a reminder of a promise to pay, and a notice that a payment
 * plan broke (`plan_broken`, for the strategy event of the same name). Each exists for email,
 * SMS and WhatsApp; the final notice also as a letter. A company's own templates override these by key, channel and
 * language.
 *
 * Wording rules (DOMAIN.md §3), checked by validateTemplate and the tests:
 * - respectful, never a threat, nothing that implies a lawsuit or looks judicial (wording.ts lists what is banned);
 * - the creditor is always named, and the contract; when an agency is involved (`agency.name` has a value) it
 *   identifies itself, with its identification, as acting for the creditor (email, SMS, letter);
 * - every email and SMS carries the opt-out instructions; WhatsApp bodies end with a fixed "reply BAJA/STOP" line;
 * - reminders carry the payment link (the thank-you for a payment links to the portal instead).
 * WhatsApp is used for the creditor's own reminders (Meta restricts third-party debt collection), so WhatsApp bodies
 * name the creditor only and are all `utility` templates. For `promise_reminder`, `amount.total` and `due_date` are
 * the promised amount and date. `payment_received` is rendered from the payment that caused it (`payment.amount`,
 * `payment.date`; `contract` is the obligation it was applied to, when there is one), so it also works once the
 * account is settled and nothing is owed (`amount.total` is then zero).
 *
 * Notices answer something the debtor did: `agreement_sent` goes with the written agreement of a payment plan (the
 * email carries the PDF; SMS, and WhatsApp outside the 24-hour window unless the company's approved template has a
 * document header (`approved.header: document`), link to the portal where it is downloaded; `amount.total`
 * is the agreed total, `due_date` the first payment, `contract` the documents covered); `dispute_rejected` and
 * `dispute_upheld` tell the debtor how a dispute of a document (`contract`) was resolved (`resolution`; for an
 * upheld one, `amount.total` is the document's adjusted amount). They carry no payment link, and their email links
 * to the portal only when there is a portal link to give.
 */
import type { EmailTemplate, LetterTemplate, SmsTemplate, Template, TemplateChannel, TemplateLanguage, WhatsAppTemplate } from './types.ts';

export const DEFAULT_TEMPLATE_KEYS = [
  'preventive_reminder',
  'due_today',
  'late_3_days',
  'late_10_days',
  'late_30_days',
  'final_notice_before_extrajudicial',
  'payment_received',
  'promise_reminder',
  'plan_broken',
  'agreement_sent',
  'dispute_rejected',
  'dispute_upheld',
] as const;
export type DefaultTemplateKey = (typeof DEFAULT_TEMPLATE_KEYS)[number];

type Link = 'payment_link' | 'portal_link';

interface MessageCopy {
  readonly subject: string;
  /** Email (and letter) paragraphs after the greeting and the agency paragraph. */
  readonly paragraphs: readonly string[];
  /** The email's button; `optional`: left out when the link has no value. */
  readonly action: { readonly label: string; readonly link: Link; readonly optional?: boolean };
  readonly sms: string;
  readonly whatsapp: string;
}

interface LanguageCopy {
  readonly htmlLang: string;
  readonly metaLanguage: string;
  readonly greeting: string;
  readonly letterGreeting: string;
  readonly agency: string;
  readonly smsSender: string;
  readonly closing: string;
  readonly footer: string;
  readonly whatsappOptOut: string;
  readonly messages: Readonly<Record<DefaultTemplateKey, MessageCopy>>;
  readonly letter: { readonly title: string; readonly payOnline: string };
}

const ES: LanguageCopy = {
  htmlLang: 'es',
  metaLanguage: 'es_MX',
  greeting: 'Hola, {{debtor.first_name}}:',
  letterGreeting: 'Estimado(a) {{debtor.name}}:',
  agency:
    'Le escribe {{agency.name}} ({{agency.identification}}), agencia de cobranza que gestiona esta cuenta por encargo de {{creditor.name}}.',
  smsSender: '{{creditor.name}}{{#agency.name}} vía {{agency.name}}{{/agency.name}}',
  closing: 'Atentamente,\n{{creditor.name}}',
  footer: '{{creditor.name}} · Identificación fiscal: {{creditor.legal_id}} · Tel. {{creditor.phone}}',
  whatsappOptOut: 'Para no recibir más mensajes por WhatsApp, responda BAJA.',
  letter: { title: 'Aviso importante sobre su contrato {{contract}}', payOnline: 'Puede pagar en línea en: {{payment_link}}' },
  messages: {
    preventive_reminder: {
      subject: '{{creditor.name}}: su pago vence el {{due_date}}',
      paragraphs: [
        'Le recordamos que el pago de {{amount.total}} de su contrato {{contract}} con {{creditor.name}} vence el {{due_date}}.',
        'Pagar con anticipación le ayuda a mantener su cuenta al día y a organizar sus pagos con tranquilidad.',
        'Si ya realizó su pago, le agradecemos y puede ignorar este mensaje.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, su pago de {{amount.total}} (contrato {{contract}}) vence el {{due_date}}. Pagar con anticipación mantiene su cuenta al día: {{payment_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Le recordamos que el pago de {{amount.total}} de su contrato {{contract}} vence el {{due_date}}. Pagar con anticipación le ayuda a mantener su cuenta al día.\n\nPuede pagar aquí: {{payment_link}}\n\nSi ya pagó, gracias y omita este mensaje.',
    },
    due_today: {
      subject: '{{creditor.name}}: su pago vence hoy',
      paragraphs: [
        'Le recordamos que hoy, {{due_date}}, vence el pago de {{amount.total}} de su contrato {{contract}} con {{creditor.name}}.',
        'Puede pagar en línea en pocos minutos. Si ya lo hizo, muchas gracias y puede ignorar este mensaje.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, hoy vence su pago de {{amount.total}} (contrato {{contract}}). Puede pagar aquí: {{payment_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Hoy, {{due_date}}, vence el pago de {{amount.total}} de su contrato {{contract}}.\n\nPuede pagar aquí: {{payment_link}}\n\nSi ya pagó, muchas gracias.',
    },
    late_3_days: {
      subject: '{{creditor.name}}: su pago está pendiente',
      paragraphs: [
        'El pago de su contrato {{contract}} con {{creditor.name}}, que venció el {{due_date}}, aún aparece pendiente. Monto vencido: {{amount.overdue}}. Días de atraso: {{days_past_due}}.',
        'Quizá se trate de un olvido: puede ponerse al día en línea en pocos minutos. Si ya pagó, le agradecemos y puede ignorar este mensaje.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, su pago de {{amount.overdue}} (contrato {{contract}}) del {{due_date}} sigue pendiente. Puede pagar aquí: {{payment_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. El pago de {{amount.overdue}} de su contrato {{contract}}, que venció el {{due_date}}, aún aparece pendiente.\n\nPuede ponerse al día aquí: {{payment_link}}\n\nSi ya pagó, le agradecemos y puede omitir este mensaje.',
    },
    late_10_days: {
      subject: '{{creditor.name}}: le ayudamos a ponerse al día',
      paragraphs: [
        'Su contrato {{contract}} con {{creditor.name}} tiene un monto vencido de {{amount.overdue}} desde el {{due_date}}. Días de atraso: {{days_past_due}}.',
        'Para ponerse al día, el pago mínimo es de {{amount.minimum}}. Si está pasando por un momento difícil, podemos buscar juntos una opción: llámenos al {{creditor.phone}} o proponga un plan de pagos en {{portal_link}}.',
        'Si ya pagó, le agradecemos y puede ignorar este mensaje.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, su contrato {{contract}} tiene {{amount.overdue}} vencido; pago mínimo {{amount.minimum}}. Pague aquí: {{payment_link}} o llame al {{creditor.phone}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Su contrato {{contract}} tiene un monto vencido de {{amount.overdue}}; el pago mínimo para ponerse al día es de {{amount.minimum}}.\n\nPuede pagar aquí: {{payment_link}}\nSi necesita una opción de pago, llámenos al {{creditor.phone}}.\n\nSi ya pagó, muchas gracias.',
    },
    late_30_days: {
      subject: '{{creditor.name}}: revisemos juntos su cuenta',
      paragraphs: [
        'Su contrato {{contract}} con {{creditor.name}} tiene un monto vencido de {{amount.overdue}} desde el {{due_date}}. Días de atraso: {{days_past_due}}. Saldo total: {{amount.total}}.',
        'Queremos ayudarle a regularizar su cuenta. En nuestro portal puede consultar su saldo y proponer un plan de pagos que se ajuste a su situación: {{portal_link}}. También puede llamarnos al {{creditor.phone}}.',
        'Si ya realizó su pago, le agradecemos y puede ignorar este mensaje.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, su contrato {{contract}} tiene {{amount.overdue}} vencido. Pague en {{payment_link}} o proponga un plan en {{portal_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Su contrato {{contract}} tiene un monto vencido de {{amount.overdue}}. Queremos ayudarle a regularizar su cuenta.\n\nPuede pagar aquí: {{payment_link}}\nO proponer un plan de pagos en: {{portal_link}}\n\nSi ya pagó, muchas gracias.',
    },
    final_notice_before_extrajudicial: {
      subject: '{{creditor.name}}: aviso importante sobre su contrato {{contract}}',
      paragraphs: [
        'Su contrato {{contract}} con {{creditor.name}} tiene un monto vencido de {{amount.overdue}} desde el {{due_date}}. Días de atraso: {{days_past_due}}. Saldo total: {{amount.total}}.',
        'Nos interesa encontrar una solución con usted. Puede pagar en línea, proponer un plan de pagos en {{portal_link}} o llamarnos al {{creditor.phone}}.',
        'Si en los próximos días no recibimos su pago ni tenemos noticias suyas, la gestión de su cuenta podría pasar a una agencia de cobranza externa, que le contactará por los medios que usted autorizó.',
        'Si ya pagó o considera que este saldo no es correcto, contáctenos y lo revisamos.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, su contrato {{contract}} tiene {{amount.overdue}} vencido. Queremos ayudarle: pague en {{payment_link}} o llame al {{creditor.phone}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Su contrato {{contract}} tiene un monto vencido de {{amount.overdue}} y nos interesa encontrar una solución con usted.\n\nPuede pagar aquí: {{payment_link}}\nO llamarnos al {{creditor.phone}} para acordar una opción de pago.\n\nSi ya pagó o el saldo no es correcto, escríbanos y lo revisamos.',
    },
    payment_received: {
      subject: '{{creditor.name}}: recibimos su pago, gracias',
      paragraphs: [
        'Le confirmamos que el {{payment.date}} recibimos su pago de {{payment.amount}}{{#contract}} correspondiente al contrato {{contract}}{{/contract}} con {{creditor.name}}. Muchas gracias.',
        'Saldo pendiente a la fecha: {{amount.total}}. Puede consultar el detalle de su cuenta en nuestro portal.',
      ],
      action: { label: 'Ver mi cuenta', link: 'portal_link' },
      sms: 'Hola {{debtor.first_name}}, recibimos su pago de {{payment.amount}} del {{payment.date}}{{#contract}} (contrato {{contract}}){{/contract}}. ¡Gracias! Saldo pendiente: {{amount.total}}. Detalle: {{portal_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Recibimos su pago de {{payment.amount}} del {{payment.date}}. ¡Muchas gracias!\n\nSaldo pendiente: {{amount.total}}\nDetalle de su cuenta: {{portal_link}}\n\nGracias por su preferencia.',
    },
    plan_broken: {
      subject: '{{creditor.name}}: su convenio de pago tiene una cuota pendiente',
      paragraphs: [
        'Su convenio de pago con {{creditor.name}} (documentos {{contract}}) tiene una cuota sin cubrir y, pasado el plazo de gracia, dejó de estar vigente. Saldo pendiente: {{amount.total}}.',
        'Queremos ayudarle a retomarlo: puede pagar en línea, proponer un nuevo plan de pagos en {{portal_link}} o llamarnos al {{creditor.phone}}.',
        'Si ya realizó el pago, le agradecemos y puede ignorar este mensaje.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, su convenio (documentos {{contract}}) tiene una cuota pendiente y dejó de estar vigente. Saldo {{amount.total}}. Pague en {{payment_link}} o llame al {{creditor.phone}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Su convenio de pago de los documentos {{contract}} tiene una cuota sin cubrir y dejó de estar vigente. Saldo pendiente: {{amount.total}}.\n\nPuede pagar aquí: {{payment_link}}\nO proponer un nuevo plan en: {{portal_link}}\n\nSi ya pagó, muchas gracias.',
    },
    promise_reminder: {
      subject: '{{creditor.name}}: recordatorio de su compromiso de pago',
      paragraphs: [
        'Gracias por acordar un pago para su contrato {{contract}} con {{creditor.name}}. Le recordamos que el compromiso es por {{amount.total}} con fecha {{due_date}}.',
        'Puede pagar en línea cuando le resulte cómodo. Si necesita cambiar la fecha, llámenos al {{creditor.phone}}.',
        'Si ya realizó el pago, muchas gracias.',
      ],
      action: { label: 'Pagar en línea', link: 'payment_link' },
      sms: 'Hola {{debtor.first_name}}, le recordamos su pago acordado de {{amount.total}} el {{due_date}} (contrato {{contract}}). Pague aquí: {{payment_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Gracias por acordar su pago de {{amount.total}} del contrato {{contract}} para el {{due_date}}.\n\nPuede pagar aquí: {{payment_link}}\nSi necesita cambiar la fecha, llámenos al {{creditor.phone}}.\n\nSi ya pagó, muchas gracias.',
    },
    agreement_sent: {
      subject: '{{creditor.name}}: su convenio de pago por escrito',
      paragraphs: [
        'Gracias por acordar un convenio de pago con {{creditor.name}}. Le enviamos adjunto el convenio por escrito (PDF), con los documentos incluidos ({{contract}}), el calendario de pagos y, en su caso, el descuento otorgado.',
        'El total acordado es de {{amount.total}} y su primer pago es el {{due_date}}. Mientras el convenio se cumpla, suspendemos las gestiones de cobranza sobre estos documentos.',
        'Le recomendamos conservar este documento. Si tiene dudas, llámenos al {{creditor.phone}}.',
      ],
      action: { label: 'Ver mi convenio', link: 'portal_link', optional: true },
      sms: 'Hola {{debtor.first_name}}, registramos su convenio de pago por {{amount.total}} (documentos {{contract}}); primer pago el {{due_date}}. Descargue el convenio: {{portal_link}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Registramos su convenio de pago por {{amount.total}} de los documentos {{contract}}, con primer pago el {{due_date}}.\n\nPuede consultar y descargar el convenio por escrito aquí: {{portal_link}}\n\nGracias por su confianza.',
    },
    dispute_rejected: {
      subject: '{{creditor.name}}: respuesta a su aclaración del documento {{contract}}',
      paragraphs: [
        'Revisamos con atención su aclaración sobre el documento {{contract}} con {{creditor.name}}. Después de revisarla, el cargo es correcto.',
        'Motivo: {{resolution}}',
        'Por ello, la gestión de cobro de este documento continúa. Si tiene información adicional o alguna duda, con gusto la revisamos: llámenos al {{creditor.phone}}.',
      ],
      action: { label: 'Ver mi cuenta', link: 'portal_link', optional: true },
      sms: 'Hola {{debtor.first_name}}, revisamos su aclaración del documento {{contract}}: el cargo es correcto ({{resolution}}). El cobro continúa; dudas al {{creditor.phone}}',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Revisamos su aclaración sobre el documento {{contract}} y el cargo es correcto.\n\nMotivo: {{resolution}}\n\nLa gestión de cobro de este documento continúa. Si tiene dudas, llámenos al {{creditor.phone}}.',
    },
    dispute_upheld: {
      subject: '{{creditor.name}}: respuesta a su aclaración del documento {{contract}}',
      paragraphs: [
        'Revisamos su aclaración sobre el documento {{contract}} con {{creditor.name}} y le damos la razón.',
        'El importe del documento quedó ajustado a {{amount.total}}.{{#resolution}} Detalle: {{resolution}}{{/resolution}}',
        'Gracias por avisarnos. Si tiene cualquier duda, llámenos al {{creditor.phone}}.',
      ],
      action: { label: 'Ver mi cuenta', link: 'portal_link', optional: true },
      sms: 'Hola {{debtor.first_name}}, revisamos su aclaración del documento {{contract}} y le damos la razón: el importe quedó en {{amount.total}}. Gracias por avisarnos.',
      whatsapp:
        'Hola {{debtor.first_name}}, le saluda {{creditor.name}}. Revisamos su aclaración sobre el documento {{contract}} y le damos la razón.\n\nEl importe del documento quedó ajustado a {{amount.total}}.\n\nGracias por avisarnos. Si tiene dudas, llámenos al {{creditor.phone}}.',
    },
  },
};

const EN: LanguageCopy = {
  htmlLang: 'en',
  metaLanguage: 'en',
  greeting: 'Hello {{debtor.first_name}},',
  letterGreeting: 'Dear {{debtor.name}},',
  agency:
    'This message is from {{agency.name}} ({{agency.identification}}), a debt collector handling this account on behalf of {{creditor.name}}.',
  smsSender: '{{creditor.name}}{{#agency.name}} via {{agency.name}}{{/agency.name}}',
  closing: 'Sincerely,\n{{creditor.name}}',
  footer: '{{creditor.name}} · Tax ID: {{creditor.legal_id}} · Phone: {{creditor.phone}}',
  whatsappOptOut: 'To stop receiving WhatsApp messages, reply STOP.',
  letter: { title: 'Important information about your account {{contract}}', payOnline: 'You can pay online at: {{payment_link}}' },
  messages: {
    preventive_reminder: {
      subject: '{{creditor.name}}: your payment is due on {{due_date}}',
      paragraphs: [
        'This is a friendly reminder that your payment of {{amount.total}} for account {{contract}} with {{creditor.name}} is due on {{due_date}}.',
        'Paying ahead of time helps you keep your account up to date and plan your payments with peace of mind.',
        'If you have already paid, thank you, and please disregard this message.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, your payment of {{amount.total}} (account {{contract}}) is due on {{due_date}}. Paying early keeps your account up to date: {{payment_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. A friendly reminder that your payment of {{amount.total}} for account {{contract}} is due on {{due_date}}. Paying ahead of time helps keep your account up to date.\n\nYou can pay here: {{payment_link}}\n\nIf you have already paid, thank you, and please disregard this message.',
    },
    due_today: {
      subject: '{{creditor.name}}: your payment is due today',
      paragraphs: [
        'This is a reminder that your payment of {{amount.total}} for account {{contract}} with {{creditor.name}} is due today, {{due_date}}.',
        'You can pay online in a few minutes. If you have already paid, thank you, and please disregard this message.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, your payment of {{amount.total}} (account {{contract}}) is due today. You can pay here: {{payment_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Your payment of {{amount.total}} for account {{contract}} is due today, {{due_date}}.\n\nYou can pay here: {{payment_link}}\n\nIf you have already paid, thank you.',
    },
    late_3_days: {
      subject: '{{creditor.name}}: your payment is still open',
      paragraphs: [
        'Your payment for account {{contract}} with {{creditor.name}}, due on {{due_date}}, still shows as open. Amount past due: {{amount.overdue}}. Days past due: {{days_past_due}}.',
        'It may simply have slipped your mind: you can catch up online in a few minutes. If you have already paid, thank you, and please disregard this message.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, your payment of {{amount.overdue}} (account {{contract}}) due {{due_date}} is still open. You can pay here: {{payment_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Your payment of {{amount.overdue}} for account {{contract}}, due on {{due_date}}, still shows as open.\n\nYou can catch up here: {{payment_link}}\n\nIf you have already paid, thank you, and please disregard this message.',
    },
    late_10_days: {
      subject: '{{creditor.name}}: we can help you catch up',
      paragraphs: [
        'Account {{contract}} with {{creditor.name}} has {{amount.overdue}} past due since {{due_date}}. Days past due: {{days_past_due}}.',
        'To bring the account up to date, the minimum payment is {{amount.minimum}}. If you are going through a difficult time, we can look for an option together: call us at {{creditor.phone}} or propose a payment plan at {{portal_link}}.',
        'If you have already paid, thank you, and please disregard this message.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, account {{contract}} has {{amount.overdue}} past due; minimum payment {{amount.minimum}}. Pay here: {{payment_link}} or call {{creditor.phone}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Account {{contract}} has {{amount.overdue}} past due; the minimum payment to catch up is {{amount.minimum}}.\n\nYou can pay here: {{payment_link}}\nIf you need a payment option, call us at {{creditor.phone}}.\n\nIf you have already paid, thank you.',
    },
    late_30_days: {
      subject: "{{creditor.name}}: let's review your account together",
      paragraphs: [
        'Account {{contract}} with {{creditor.name}} has {{amount.overdue}} past due since {{due_date}}. Days past due: {{days_past_due}}. Total balance: {{amount.total}}.',
        'We want to help you bring your account up to date. On our portal you can check your balance and propose a payment plan that fits your situation: {{portal_link}}. You can also call us at {{creditor.phone}}.',
        'If you have already paid, thank you, and please disregard this message.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, account {{contract}} has {{amount.overdue}} past due. Pay at {{payment_link}} or propose a plan at {{portal_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Account {{contract}} has {{amount.overdue}} past due, and we want to help you bring it up to date.\n\nYou can pay here: {{payment_link}}\nOr propose a payment plan at: {{portal_link}}\n\nIf you have already paid, thank you.',
    },
    final_notice_before_extrajudicial: {
      subject: '{{creditor.name}}: important information about account {{contract}}',
      paragraphs: [
        'Account {{contract}} with {{creditor.name}} has {{amount.overdue}} past due since {{due_date}}. Days past due: {{days_past_due}}. Total balance: {{amount.total}}.',
        'We would like to find a solution with you. You can pay online, propose a payment plan at {{portal_link}} or call us at {{creditor.phone}}.',
        'If we do not receive your payment or hear from you in the coming days, your account may be placed with an external collection agency, which would contact you through the channels you have authorized.',
        'If you have already paid or believe this balance is not correct, please contact us and we will review it.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, account {{contract}} has {{amount.overdue}} past due. We want to help: pay at {{payment_link}} or call {{creditor.phone}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Account {{contract}} has {{amount.overdue}} past due, and we would like to find a solution with you.\n\nYou can pay here: {{payment_link}}\nOr call us at {{creditor.phone}} to agree on a payment option.\n\nIf you have already paid or the balance is not correct, write to us and we will review it.',
    },
    payment_received: {
      subject: '{{creditor.name}}: we received your payment, thank you',
      paragraphs: [
        'We confirm that on {{payment.date}} we received your payment of {{payment.amount}}{{#contract}} for account {{contract}}{{/contract}} with {{creditor.name}}. Thank you very much.',
        'Remaining balance as of today: {{amount.total}}. You can see the details of your account on our portal.',
      ],
      action: { label: 'View my account', link: 'portal_link' },
      sms: 'Hi {{debtor.first_name}}, we received your payment of {{payment.amount}} on {{payment.date}}{{#contract}} (account {{contract}}){{/contract}}. Thank you! Remaining balance: {{amount.total}}. Details: {{portal_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. We received your payment of {{payment.amount}} on {{payment.date}}. Thank you very much!\n\nRemaining balance: {{amount.total}}\nAccount details: {{portal_link}}\n\nThank you for being our customer.',
    },
    plan_broken: {
      subject: '{{creditor.name}}: your payment plan has a missed installment',
      paragraphs: [
        'Your payment plan with {{creditor.name}} (documents {{contract}}) has an installment that was not paid and, after the grace period, it is no longer in force. Balance: {{amount.total}}.',
        'We would like to help you get back on track: you can pay online, propose a new payment plan at {{portal_link}} or call us at {{creditor.phone}}.',
        'If you have already paid, thank you, and please disregard this message.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, your payment plan (documents {{contract}}) has a missed installment and is no longer in force. Balance {{amount.total}}. Pay at {{payment_link}} or call {{creditor.phone}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Your payment plan for documents {{contract}} has a missed installment and is no longer in force. Balance: {{amount.total}}.\n\nYou can pay here: {{payment_link}}\nOr propose a new plan at: {{portal_link}}\n\nIf you have already paid, thank you.',
    },
    promise_reminder: {
      subject: '{{creditor.name}}: a reminder of your payment arrangement',
      paragraphs: [
        'Thank you for arranging a payment for account {{contract}} with {{creditor.name}}. This is a reminder that the arrangement is for {{amount.total}} on {{due_date}}.',
        'You can pay online whenever it suits you. If you need to change the date, call us at {{creditor.phone}}.',
        'If you have already made the payment, thank you very much.',
      ],
      action: { label: 'Pay online', link: 'payment_link' },
      sms: 'Hi {{debtor.first_name}}, a reminder of your arranged payment of {{amount.total}} on {{due_date}} (account {{contract}}). Pay here: {{payment_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Thank you for arranging your payment of {{amount.total}} for account {{contract}} on {{due_date}}.\n\nYou can pay here: {{payment_link}}\nIf you need to change the date, call us at {{creditor.phone}}.\n\nIf you have already paid, thank you.',
    },
    agreement_sent: {
      subject: '{{creditor.name}}: your written payment agreement',
      paragraphs: [
        'Thank you for agreeing on a payment plan with {{creditor.name}}. Attached is your written agreement (PDF), with the documents covered ({{contract}}), the payment schedule and any discount granted.',
        'The agreed total is {{amount.total}} and your first payment is on {{due_date}}. While the agreement is kept, we suspend collection of these documents.',
        'Please keep this document. If you have any questions, call us at {{creditor.phone}}.',
      ],
      action: { label: 'View my agreement', link: 'portal_link', optional: true },
      sms: 'Hi {{debtor.first_name}}, your payment agreement for {{amount.total}} (documents {{contract}}) is in place; first payment on {{due_date}}. Download it: {{portal_link}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. Your payment agreement for {{amount.total}} covering documents {{contract}} is in place, with the first payment on {{due_date}}.\n\nYou can view and download the written agreement here: {{portal_link}}\n\nThank you for your trust.',
    },
    dispute_rejected: {
      subject: '{{creditor.name}}: our answer about document {{contract}}',
      paragraphs: [
        'We carefully reviewed the question you raised about document {{contract}} with {{creditor.name}}. After reviewing it, the charge is correct.',
        'Reason: {{resolution}}',
        'For this reason, collection of this document continues. If you have more information or any questions, we will gladly review them: call us at {{creditor.phone}}.',
      ],
      action: { label: 'View my account', link: 'portal_link', optional: true },
      sms: 'Hi {{debtor.first_name}}, we reviewed your question about document {{contract}}: the charge is correct ({{resolution}}). Questions: {{creditor.phone}}',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. We reviewed your question about document {{contract}} and the charge is correct.\n\nReason: {{resolution}}\n\nCollection of this document continues. If you have any questions, call us at {{creditor.phone}}.',
    },
    dispute_upheld: {
      subject: '{{creditor.name}}: our answer about document {{contract}}',
      paragraphs: [
        'We reviewed the question you raised about document {{contract}} with {{creditor.name}}, and you are right.',
        'The amount of the document has been adjusted to {{amount.total}}.{{#resolution}} Details: {{resolution}}{{/resolution}}',
        'Thank you for letting us know. If you have any questions, call us at {{creditor.phone}}.',
      ],
      action: { label: 'View my account', link: 'portal_link', optional: true },
      sms: 'Hi {{debtor.first_name}}, we reviewed your question about document {{contract}} and you are right: the amount is now {{amount.total}}. Thank you.',
      whatsapp:
        'Hello {{debtor.first_name}}, this is {{creditor.name}}. We reviewed your question about document {{contract}}, and you are right.\n\nThe amount of the document has been adjusted to {{amount.total}}.\n\nThank you for letting us know. If you have any questions, call us at {{creditor.phone}}.',
    },
  },
};

const COPY: Readonly<Record<TemplateLanguage, LanguageCopy>> = { 'es-MX': ES, en: EN };

/** Escapes the fixed text for HTML; placeholders (letters, dots, braces) pass through unchanged. */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const htmlLines = (s: string) => html(s).replace(/\n/g, '<br>\n');

const P = 'margin:0 0 16px 0;';
const BUTTON = 'display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;';
const SMALL = 'margin:0 0 8px 0;font-size:12px;color:#6b7280;';

/** `text`, inside a section of the action's link when the action is optional. */
function optionalSection(action: MessageCopy['action'], text: string): string {
  return action.optional ? `{{#${action.link}}}${text}{{/${action.link}}}` : text;
}

function email(key: DefaultTemplateKey, language: TemplateLanguage): EmailTemplate {
  const c = COPY[language];
  const m = c.messages[key];
  const htmlBody = [
    '<!DOCTYPE html>',
    `<html lang="${c.htmlLang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
    '<body style="margin:0;padding:0;background:#f9fafb;">',
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;">',
    `<p style="${P}">${html(c.greeting)}</p>`,
    `{{#agency.name}}<p style="${P}">${html(c.agency)}</p>{{/agency.name}}`,
    ...m.paragraphs.map((p) => `<p style="${P}">${html(p)}</p>`),
    optionalSection(m.action, `<p style="${P}"><a href="{{${m.action.link}}}" style="${BUTTON}">${html(m.action.label)}</a></p>`),
    `<p style="${P}">${htmlLines(c.closing)}</p>`,
    '<hr style="border:none;border-top:1px solid #e5e7eb;margin:24px 0 16px 0;">',
    `<p style="${SMALL}">${html(c.footer)}</p>`,
    `<p style="${SMALL}">{{optout_instructions}}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  const text = [
    c.greeting,
    `{{#agency.name}}${c.agency}\n\n{{/agency.name}}${m.paragraphs[0]}`,
    ...m.paragraphs.slice(1),
    optionalSection(m.action, `${m.action.label}: {{${m.action.link}}}`),
    c.closing,
    `--\n${c.footer}\n{{optout_instructions}}`,
  ].join('\n\n');
  return { key, channel: 'email', language, content: { subject: m.subject, html: htmlBody, text } };
}

function sms(key: DefaultTemplateKey, language: TemplateLanguage): SmsTemplate {
  const c = COPY[language];
  return { key, channel: 'sms', language, content: { body: `${c.smsSender}: ${c.messages[key].sms}\n{{optout_instructions}}` } };
}

function whatsapp(key: DefaultTemplateKey, language: TemplateLanguage): WhatsAppTemplate {
  const c = COPY[language];
  return {
    key,
    channel: 'whatsapp',
    language,
    content: {
      approved: { name: key, language: c.metaLanguage, category: 'utility' },
      body: `${c.messages[key].whatsapp}\n${c.whatsappOptOut}`,
    },
  };
}

function letter(key: DefaultTemplateKey, language: TemplateLanguage): LetterTemplate {
  const c = COPY[language];
  const m = c.messages[key];
  return {
    key,
    channel: 'letter',
    language,
    content: {
      title: c.letter.title,
      body: [c.letterGreeting, `{{#agency.name}}${c.agency}{{/agency.name}}`, ...m.paragraphs, c.letter.payOnline, `${c.closing}\n${c.footer}`],
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const LETTER_KEYS: readonly DefaultTemplateKey[] = ['final_notice_before_extrajudicial'];

/** Every default template, frozen: 12 keys × (email, SMS, WhatsApp) × 2 languages, plus the final-notice letters. */
export const DEFAULT_TEMPLATES: readonly Template[] = deepFreeze(
  DEFAULT_TEMPLATE_KEYS.flatMap((key) =>
    (['es-MX', 'en'] as const).flatMap((language): Template[] => [
      email(key, language),
      sms(key, language),
      whatsapp(key, language),
      ...(LETTER_KEYS.includes(key) ? [letter(key, language)] : []),
    ]),
  ),
);

/** The default template for a key, channel and language, if the product ships one. */
export function defaultTemplate(key: string, channel: TemplateChannel, language: TemplateLanguage): Template | undefined {
  return DEFAULT_TEMPLATES.find((t) => t.key === key && t.channel === channel && t.language === language);
}
