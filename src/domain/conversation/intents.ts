/**
 * What a debtor's message means, in Spanish as it is written on WhatsApp. Understanding is deliberately literal:
 * keyword phrases on normalised text (accents, case and punctuation ignored), dates and amounts found by their own
 * parsers, and what the conversation last asked for (`expecting`) to read a bare "15" as a day, an amount, a plan or a
 * menu option. When two requests that lead to different actions are both present, the answer is `ambiguous` and the
 * conversation asks again; it never guesses its way into recording something.
 */
import type { PlainDate } from '../calendar.ts';
import { findAmounts, type AmountMention } from './amounts.ts';
import { findDateAnswer, findDates, type DateMention } from './dates.ts';
import { normalizeText } from './text.ts';

export const INTENTS = [
  'balance',
  'pay',
  'promise',
  'already_paid',
  'not_my_debt',
  'wrong_person',
  'cant_pay',
  'plan',
  'agent',
  'opt_out',
  'menu',
  'yes',
  'no',
  'thanks',
  'unknown',
  'ambiguous',
] as const;
export type Intent = (typeof INTENTS)[number];

/** What the last question asked for; it decides how a bare number or a bare date is read. */
export type Expectation = 'menu' | 'confirmation' | 'date' | 'amount' | 'plan_choice' | 'payment_details' | 'none';

export interface UnderstandContext {
  /** The debtor's local calendar date. */
  today: PlainDate;
  /** The conversation's currency, for amounts written without one. */
  currency: string;
  expecting: Expectation;
}

export interface Understanding {
  intent: Intent;
  /** For `ambiguous`: the requests found. */
  candidates: Intent[];
  /** A menu option 1–5, or the number of a listed plan when one was expected. */
  choice?: number;
  /** The first amount that counts (marked, or bare when an amount was expected). */
  amount?: AmountMention;
  /** "todo", "el total", "lo que debo": the whole amount. */
  wholeBalance?: boolean;
  /** The first date mentioned. */
  date?: DateMention;
  /** The normalised text, for notes. */
  normal: string;
}

type Matcher = RegExp;

/** Phrase lists per intent, on normalised text. Word boundaries keep "baja" from matching "bajar". */
const PHRASES: Record<'balance' | 'pay' | 'promise' | 'already_paid' | 'not_my_debt' | 'wrong_person' | 'cant_pay' | 'plan' | 'agent', Matcher[]> = {
  balance: [
    /\bsaldos?\b/,
    /\bcuanto\s+(?:le\s+|te\s+|les\s+)?(?:debo|adeudo|es\s+(?:lo\s+que\s+debo|mi\s+deuda|el\s+total)|tengo\s+que\s+pagar|hay\s+que\s+pagar|seria|sale|es)\b/,
    /\bcuanto\s+debo\b/,
    /\bestado\s+de\s+cuenta\b/,
    /\b(?:mi|el)\s+adeudo\b/,
    /\b(?:cual|que)\s+es\s+(?:mi|el)\s+(?:deuda|adeudo|saldo|monto)\b/,
    /\bconsultar?\b/,
    /\bque\s+debo\b/,
  ],
  pay: [
    /\b(?:link|liga|enlace|url)\b/,
    /\bquiero\s+pagar\b(?!\s+en\s+(?:partes|parcialidades|cuotas|abonos|mensualidades|pagos))/,
    /\b(?:como|donde|por\s+donde)\s+(?:le\s+)?(?:puedo\s+|hago\s+(?:para\s+)?|)?pag(?:o|ar|ue)\b/,
    /\bpagar\s+(?:ahora|ya|hoy\s+mismo|en\s+linea|con\s+tarjeta|online)\b/,
    /\b(?:datos|cuenta|clabe|referencia)\s+(?:para|de)\s+(?:pagar|pago|deposito|transferencia)\b/,
    /\b(?:clabe|oxxo|spei)\b/,
    /^pagar$/,
  ],
  promise: [
    /\b(?:te|le|les)\s+(?:pago|deposito|transfiero|abono|liquido|cubro)\b/,
    /\bpagare\b/,
    /\b(?:voy|vamos)\s+a\s+(?:pagar|depositar|abonar|liquidar|transferir)\b/,
    /(?<!\b(?:donde|como|cuando)\s)\b(?:puedo|podria|podre)\s+(?:pagar|depositar|abonar|liquidar)\b/,
    /\b(?:pago|deposito|abono|liquido)\s+(?:el|este|esta|la|en|hasta|para|mañana|manana|pasado|hoy|\$|\d)/,
    /\bprometer\b|\bpromesa\b/,
    /\b(?:me\s+)?(?:das|da|dan|puedes\s+dar|pueden\s+dar)\s+(?:chance|oportunidad|tiempo|hasta)\b/,
  ],
  already_paid: [
    /\bya\s+(?:le\s+|te\s+|les\s+|lo\s+)?(?:pague|pagamos|deposite|transferi|abone|liquide|cubri|salde|realice\s+el\s+pago|hice\s+(?:el|un|la|mi)\s+(?:pago|deposito|transferencia|abono))\b/,
    /\bya\s+(?:esta|quedo|estoy|quede)\s+(?:pagad[oa]|liquidad[oa]|al\s+corriente|cubiert[oa])\b/,
    /\bya\s+(?:hice|realice|mande|envie)\s+(?:el\s+|la\s+|un\s+|una\s+|mi\s+)?(?:pago|deposito|transferencia|abono|comprobante)\b/,
    /\b(?:pague|deposite|transferi)\s+(?:ayer|antier|anteayer|el\s+\w+\s+pasado|la\s+semana\s+pasada|hace)\b/,
    /\bya\s+no\s+debo\b/,
  ],
  not_my_debt: [
    /\bno\s+(?:es|son)\s+(?:mi|mia|mio|mias|mios)\b(?:\s+(?:deuda|cuenta|adeudo|credito|prestamo))?/,
    /\bno\s+(?:la|lo|las|los)?\s*reconozco\b/,
    /\bdesconozco\b/,
    /\bno\s+(?:le\s+|les\s+|te\s+)?debo\s+nada\b/,
    /\byo\s+no\s+(?:le\s+|les\s+|te\s+)?debo\b/,
    /\bno\s+tengo\s+(?:ninguna|ningun)\s+(?:deuda|adeudo|credito|prestamo)\b/,
    /\bnunca\s+(?:contrate|pedi|saque|solicite|firme)\b/,
    /\b(?:fraude|robo\s+de\s+identidad|suplantacion|no\s+hice\s+esa\s+compra)\b/,
    /\bcobro\s+(?:indebido|equivocado|erroneo)\b/,
    /\bmal\s+cobrado\b|\bno\s+me\s+corresponde\b/,
  ],
  wrong_person: [
    /\bnumero\s+equivocado\b/,
    /\bse\s+equivoc(?:o|aron)\s+de\s+(?:numero|persona)\b/,
    /\bno\s+soy\s+(?:yo|esa\s+persona|el|ella|(?:el|la)\s+(?:titular|deudor|cliente))\b/,
    /\bno\s+conozco\s+a\b/,
    /\baqui\s+no\s+vive\b/,
  ],
  cant_pay: [
    /\bno\s+(?:puedo|podre|podemos|voy\s+a\s+poder|tengo\s+(?:como|con\s+que))\s+pagar\b/,
    /\bno\s+tengo\s+(?:dinero|lana|feria|trabajo|empleo|ingresos|para\s+pagar|con\s+que)\b/,
    /\bsin\s+(?:dinero|trabajo|empleo|ingresos)\b/,
    /\b(?:me\s+quede|estoy|quede)\s+(?:sin\s+(?:trabajo|empleo|dinero)|desempleado|desempleada)\b/,
    /\bno\s+me\s+alcanza\b/,
    /\b(?:estoy|ando)\s+(?:enfermo|enferma|hospitalizado|hospitalizada|quebrado|quebrada)\b/,
    /\bno\s+cuento\s+con\s+(?:el\s+)?(?:dinero|recursos)\b/,
  ],
  plan: [
    /\bplan(?:es)?\s+de\s+pagos?\b/,
    /\bconvenio\b/,
    /\b(?:pagar|pago|pagarlo|liquidar)\s+(?:en|a|por)\s+(?:partes|parcialidades|cuotas|abonos|mensualidades|plazos|pagos|meses|pagos\s+chiquitos)\b/,
    /\b(?:parcialidades|mensualidades|plazos)\b/,
    /\b(?:a|en)\s+(?:cuotas|abonos|meses)\b/,
    /\b(?:reestructura|refinanciar|refinanciamiento|negociar|arreglo|acuerdo\s+de\s+pago|descuento|quita)\b/,
    /\bno\s+puedo\s+pagar\s+(?:todo|todo\s+junto|completo|de\s+una\s+vez|de\s+contado|el\s+total|la\s+totalidad)\b/,
  ],
  agent: [
    /\b(?:asesor|asesora|agente|ejecutivo|ejecutiva|operador|operadora|gestor|gestora|humano|persona\s+real)\b/,
    /\bhablar\s+con\s+(?:alguien|una\s+persona|un[a]?\s+\w+|ustedes)\b/,
    /\b(?:llamenme|marquenme|me\s+pueden\s+llamar|quiero\s+que\s+me\s+llamen|me\s+llaman|llamada)\b/,
  ],
};

const YES = /^(?:si|sip|sii+|simon|ok|okay|okey|oki|va|vale|dale|claro|de\s+acuerdo|correcto|confirmo|acepto|afirmativo|esta\s+bien|perfecto|listo|por\s+supuesto|exacto|yes|asi\s+es|sale)(?:\s+(?:si|claro|confirmo|acepto|gracias|por\s+favor|esta\s+bien|de\s+acuerdo|correcto|adelante))*$/;
const NO = /^(?:no|nop|nel|nope|cancelar|cancela|cancelo|negativo|mejor\s+no|no\s+gracias|no\s+acepto|no\s+confirmo|ninguno|ninguna|no\s+quiero|todavia\s+no|aun\s+no|olvidalo)(?:\s+(?:gracias|por\s+favor|mejor\s+no))*$/;
const MENU = /^(?:hola|buenas|buenos\s+dias|buenas\s+tardes|buenas\s+noches|hey|menu|inicio|opciones|ayuda|info|informacion|empezar|volver|regresar)(?:\s+\S+){0,3}$/;
const THANKS = /^(?:(?:ok|va|listo|perfecto|muy\s+bien)\s+)?(?:gracias|muchas\s+gracias|mil\s+gracias|grax|thx|ok\s+gracias|enterado|entendido)(?:\s+\S+){0,3}$/;
const OPT_OUT = /^(?:baja|stop|alto|stopall|unsubscribe|cancelar\s+suscripcion|darme\s+de\s+baja|dar\s+de\s+baja)$/;
/** "2", "2.", "opción 2", "la 2", "#2": a menu option. "el 2" is left to the date parser (the 2nd of the month). */
const MENU_CHOICE = /^(?:(?:la\s+)?opcion\s+|la\s+|numero\s+|#\s?)?([1-5])(?:\s*[.)-])?$/;
/** The number of a listed plan: "2", "el 2", "la opción 2", "plan 2". */
const PLAN_CHOICE = /^(?:(?:la\s+|el\s+)?opcion\s+|el\s+|la\s+|plan\s+|numero\s+|#\s?)?(\d{1,2})(?:\s*[.)-])?$/;
const WHOLE = /\b(?:todo|el\s+total|la\s+totalidad|completo|lo\s+que\s+debo|todo\s+el\s+saldo|el\s+saldo\s+completo|de\s+contado)\b/;

/** Reads one message. */
export function understand(text: string, context: UnderstandContext): Understanding {
  const normal = normalizeText(text);
  const base = { candidates: [] as Intent[], normal };
  if (!normal) return { ...base, intent: 'unknown' };
  if (OPT_OUT.test(normal)) return { ...base, intent: 'opt_out' };

  if (context.expecting === 'plan_choice') {
    const pick = PLAN_CHOICE.exec(normal);
    if (pick) return { ...base, intent: 'menu', choice: Number(pick[1]) };
  }
  if (context.expecting === 'date' && /^(?:el\s+|dia\s+|el\s+dia\s+)?\d{1,2}$/.test(normal)) {
    const date = findDateAnswer(normal, context.today);
    if (date) return { ...base, intent: 'promise', date };
  }
  if (context.expecting === 'amount' && /^\$?\s?[\d.,]+$/.test(normal)) {
    const amount = findAmounts(normal, context.currency)[0];
    if (amount) return { ...base, intent: 'promise', amount };
  }
  const menu = MENU_CHOICE.exec(normal);
  if (menu) return { ...base, intent: 'menu', choice: Number(menu[1]) };

  const bare = normal.replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
  if (YES.test(bare)) return { ...base, intent: 'yes' };
  if (NO.test(bare)) return { ...base, intent: 'no' };

  const dates = context.expecting === 'date' ? [findDateAnswer(normal, context.today)].filter((d): d is DateMention => d !== null) : findDates(normal, context.today);
  const amounts = findAmounts(normal, context.currency, dates);
  const amount = amounts.find((a) => a.marked) ?? (context.expecting === 'amount' || context.expecting === 'date' ? amounts[0] : undefined) ?? (amounts.length === 1 && dates.length > 0 ? amounts[0] : undefined);
  const wholeBalance = WHOLE.test(normal) && !/\bno\s+puedo\s+pagar\s+(?:todo|completo|el\s+total|la\s+totalidad|de\s+contado)\b/.test(normal);
  const date = dates[0];
  const extras = { ...(amount ? { amount } : {}), ...(date ? { date } : {}), ...(wholeBalance ? { wholeBalance } : {}) };

  const hits = new Set<Intent>();
  for (const [intent, patterns] of Object.entries(PHRASES) as Array<[keyof typeof PHRASES, Matcher[]]>) {
    if (patterns.some((p) => p.test(normal))) hits.add(intent);
  }
  resolveOverlaps(hits, normal, Boolean(date));
  // Details of a payment already made ("el lunes en OXXO, folio 123") mention dates and payment words; only a
  // different request (a dispute, a plan, a person) changes the subject.
  if (context.expecting === 'payment_details' && ![...hits].some((h) => h !== 'pay' && h !== 'promise' && h !== 'balance' && h !== 'already_paid')) {
    return { ...base, intent: 'already_paid', ...extras };
  }

  if (hits.size === 0) {
    // An answer to "¿qué día?" or "¿cuánto?", or a bare date/amount, continues a promise.
    if (date || amount || wholeBalance) return { ...base, intent: 'promise', ...extras };
    if (THANKS.test(bare)) return { ...base, intent: 'thanks' };
    if (MENU.test(bare)) return { ...base, intent: 'menu' };
    return { ...base, intent: 'unknown' };
  }
  if (hits.size === 1) return { ...base, intent: [...hits][0]!, ...extras };
  return { ...base, intent: 'ambiguous', candidates: INTENTS.filter((i) => hits.has(i)), ...extras };
}

/**
 * Several phrase lists can match one message for a single request; these rules keep the request the debtor made.
 * Invariant: after this, two intents remain only when the message really asks for two different things.
 */
function resolveOverlaps(hits: Set<Intent>, normal: string, hasDate: boolean): void {
  // "no es mi deuda" also contains "mi deuda" (a balance phrase) — the denial wins.
  if (hits.has('not_my_debt')) hits.delete('balance');
  if (hits.has('wrong_person')) hits.delete('not_my_debt');
  // "ya pagué" is not a promise, a payment request nor a balance question.
  if (hits.has('already_paid')) {
    hits.delete('promise');
    hits.delete('pay');
    hits.delete('balance');
  }
  // "no puedo pagar todo, ¿puedo pagar en partes?" is a plan request; "no puedo pagar" alone is hardship.
  if (hits.has('plan') && hits.has('cant_pay')) {
    if (/\bno\s+puedo\s+pagar\s+(?:todo|todo\s+junto|completo|de\s+una\s+vez|de\s+contado|el\s+total|la\s+totalidad)\b/.test(normal)) hits.delete('cant_pay');
    else hits.delete('plan');
  }
  // "no puedo pagar" contains "puedo pagar" (a promise phrase) and "pagar" (a payment word).
  if (hits.has('cant_pay')) {
    hits.delete('promise');
    hits.delete('pay');
  }
  if (hits.has('plan')) {
    hits.delete('promise');
    hits.delete('pay');
  }
  // "quiero pagar el viernes" is a promise: a payment with a date is a date to pay.
  if (hits.has('pay') && (hits.has('promise') || hasDate)) {
    hits.delete('pay');
    hits.add('promise');
  }
  // "¿cuánto debo? lo pago el viernes": the promise carries the action; the balance is shown with its confirmation.
  if (hits.has('balance') && hits.has('promise')) hits.delete('balance');
  // "¿cuánto debo y cómo pago?": a payment link shows the amount too.
  if (hits.has('balance') && hits.has('pay')) hits.delete('balance');
  // "asesor" together with anything else: a person was asked for, and a person can do the rest.
  if (hits.has('agent')) for (const h of [...hits]) if (h !== 'agent') hits.delete(h);
}
