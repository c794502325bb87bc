/**
 * The vocabulary of interactions (gestiones): channels a person works on and the outcome codes, with how each outcome
 * counts for the contact KPIs (DOMAIN.md §4) and for the compliance gate's contact history.
 */
import { t, type Text } from '../../domain/text.ts';

export const INTERACTION_CHANNELS = ['call', 'visit', 'whatsapp', 'email', 'sms', 'letter', 'note'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

export const INTERACTION_OUTCOMES = ['contacted_debtor', 'contacted_third_party', 'no_answer', 'wrong_number', 'promise', 'refusal', 'dispute', 'callback'] as const;
export type InteractionOutcome = (typeof INTERACTION_OUTCOMES)[number];

/** Someone answered (the attempt reached a person). */
export const ANSWERED_OUTCOMES: readonly InteractionOutcome[] = ['contacted_debtor', 'contacted_third_party', 'promise', 'refusal', 'dispute', 'callback'];

/**
 * Right-party contact: the debtor (or co-obligor/guarantor, recorded as the debtor) was reached. A callback request
 * may come from whoever picked up, so it is answered but not a right-party contact.
 */
export const RIGHT_PARTY_OUTCOMES: readonly InteractionOutcome[] = ['contacted_debtor', 'promise', 'refusal', 'dispute'];

/** A note is not a contact attempt; every other channel is. */
export function isAttempt(channel: string): boolean {
  return channel !== 'note';
}

/** What each outcome and channel is called, for summaries (a debtor's timeline). */
export const OUTCOME_LABELS: Record<InteractionOutcome, Text> = {
  contacted_debtor: t('reached the debtor', 'contacto con el deudor'),
  contacted_third_party: t('reached a third party', 'contacto con un tercero'),
  no_answer: t('no answer', 'no contesta'),
  wrong_number: t('wrong number', 'número equivocado'),
  promise: t('promise to pay', 'promesa de pago'),
  refusal: t('refuses to pay', 'se niega a pagar'),
  dispute: t('dispute', 'disputa'),
  callback: t('call back', 'volver a llamar'),
};

export const CHANNEL_LABELS: Record<InteractionChannel, Text> = {
  call: t('call', 'llamada'),
  visit: t('visit', 'visita'),
  whatsapp: t('WhatsApp', 'WhatsApp'),
  email: t('email', 'correo'),
  sms: t('SMS', 'SMS'),
  letter: t('letter', 'carta'),
  note: t('note', 'nota'),
};
