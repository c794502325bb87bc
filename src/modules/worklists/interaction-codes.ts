/**
 * The vocabulary of interactions (gestiones): channels a person works on and the outcome codes, with how each outcome
 * counts for the contact KPIs (DOMAIN.md §4) and for the compliance gate's contact history.
 */

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

/** Spanish labels, for summaries and exports. */
export const OUTCOME_ES: Record<InteractionOutcome, string> = {
  contacted_debtor: 'contacto con el deudor',
  contacted_third_party: 'contacto con un tercero',
  no_answer: 'no contesta',
  wrong_number: 'número equivocado',
  promise: 'promesa de pago',
  refusal: 'se niega a pagar',
  dispute: 'disputa',
  callback: 'volver a llamar',
};

export const CHANNEL_ES: Record<InteractionChannel, string> = {
  call: 'llamada',
  visit: 'visita',
  whatsapp: 'WhatsApp',
  email: 'correo',
  sms: 'SMS',
  letter: 'carta',
  note: 'nota',
};
