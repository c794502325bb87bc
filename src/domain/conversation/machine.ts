/**
 * The WhatsApp self-service conversation as a pure state machine.
 *
 * `step(state, input, facts)` takes either a debtor's message or the outcome of an effect the previous step asked
 * for, and returns the next state, the replies to send (Spanish), at most one effect to run next, and whether the
 * debtor's message counts as handled. The caller runs the effect (a promise, a plan, a payment link, a task…) and
 * feeds its outcome back in, until no effect is left. Keeping the machine free of I/O makes every path testable and
 * keeps the rules in one place.
 *
 * Invariants:
 * - nothing is recorded (promise, plan, dispute) without the debtor's explicit "sí" to a question that states exactly
 *   what will be recorded; "no" cancels and records nothing;
 * - a promise is checked against the negotiation policy before the question is asked, and a refusal is explained with
 *   the policy's reason and the alternatives it allows;
 * - input the machine cannot read is asked again; after MAX_MISUNDERSTOOD in a row the debtor is offered an advisor;
 * - asking for an advisor leaves the message unhandled (so the debtor's automation stays paused) and creates a task.
 */
import { compareDates, type PlainDate } from '../calendar.ts';
import { formatAmount, formatDay, formatLongDate } from './format.ts';
import { understand, type Expectation, type Intent, type Understanding } from './intents.ts';

/** Minor units as a decimal string, so states and effects are plain JSON. */
export type Minor = string;

/** A payment plan the policy allows, as offered to the debtor. */
export interface PlanOffer {
  /** What the negotiation module needs to create this plan. */
  id: string;
  /** Installments, or a settlement: one payment with a discount. */
  kind: 'plan' | 'settlement';
  currency: string;
  /** Taken off the balance (settlements, or plans with a discount). */
  discount: Minor;
  total: Minor;
  downPayment: Minor;
  installments: number;
  installmentAmount: Minor;
  frequency: 'weekly' | 'biweekly' | 'monthly';
  firstDueOn: PlainDate;
  /** E.g. discount granted, interest; shown after the schedule. */
  note?: string;
}

/** What is owed in one currency. */
export interface BalanceLine {
  currency: string;
  total: bigint;
  overdue: bigint;
  daysPastDue: number | null;
}

/** What the machine knows about the debtor at this turn. */
export interface ConversationFacts {
  /** The debtor's local calendar date. */
  today: PlainDate;
  locale: string;
  debtorName: string;
  creditorName: string;
  /** The currency amounts are read in when the debtor writes none. */
  currency: string;
  balances: BalanceLine[];
}

export type ConversationStep =
  | { name: 'start' }
  | { name: 'menu' }
  | { name: 'promise_date'; amount: Minor | null; currency: string }
  | { name: 'promise_amount'; date: PlainDate; currency: string }
  | { name: 'promise_confirm'; amount: Minor; currency: string; date: PlainDate }
  | { name: 'plan_choice'; offers: PlanOffer[] }
  | { name: 'plan_confirm'; offer: PlanOffer; offers: PlanOffer[] }
  | { name: 'dispute_confirm'; note: string }
  | { name: 'payment_details' }
  | { name: 'advisor_offer' }
  | { name: 'with_advisor' }
  | { name: 'closed' };

export type StepName = ConversationStep['name'];

export interface ConversationState {
  version: 1;
  step: ConversationStep;
  /** Messages not understood in a row. */
  misunderstood: number;
  /** The effect under way, whose outcome the next input brings (null between messages). */
  pending: ConversationEffect | null;
}

export type ConversationEffect =
  | { kind: 'check_promise'; amount: Minor; currency: string; date: PlainDate }
  | { kind: 'record_promise'; amount: Minor; currency: string; date: PlainDate }
  | { kind: 'list_plans'; hardship: boolean }
  | { kind: 'create_plan'; offer: PlanOffer }
  | { kind: 'flag_hardship'; note: string }
  | { kind: 'open_dispute'; note: string }
  | { kind: 'payment_link'; currency: string; amount: Minor | null }
  | { kind: 'create_task'; purpose: TaskPurpose; note: string };

/** Why a person gets a task: the debtor asked for one, says they paid, or says the number is not theirs. */
export type TaskPurpose = 'advisor' | 'verify_payment' | 'wrong_person';

/** What running an effect gave. `ok: false` carries a reason a debtor can read (Spanish). */
export type EffectOutcome =
  | { kind: 'check_promise'; ok: true }
  | { kind: 'check_promise'; ok: false; reason: string; field?: 'date' | 'amount'; latestDate?: PlainDate; minAmount?: Minor }
  | { kind: 'record_promise'; ok: true }
  | { kind: 'record_promise'; ok: false; reason: string }
  | { kind: 'list_plans'; ok: true; offers: PlanOffer[]; reason?: string }
  | { kind: 'list_plans'; ok: false; reason: string }
  | { kind: 'create_plan'; ok: true; reference?: string }
  | { kind: 'create_plan'; ok: false; reason: string }
  | { kind: 'flag_hardship'; ok: boolean; reason?: string }
  | { kind: 'open_dispute'; ok: true }
  | { kind: 'open_dispute'; ok: false; reason: string }
  | { kind: 'payment_link'; ok: true; url: string; amount: Minor; currency: string }
  | { kind: 'payment_link'; ok: false; reason: string }
  | { kind: 'create_task'; ok: boolean; reason?: string };

export type ConversationInput = { kind: 'message'; text: string } | { kind: 'outcome'; outcome: EffectOutcome };

export interface StepResult {
  state: ConversationState;
  replies: string[];
  effect: ConversationEffect | null;
  /** False leaves the debtor's message for a person (their automation stays paused). */
  handled: boolean;
  /** What the message was understood as (messages only). */
  intent: Intent | null;
}

/** Messages not understood in a row before an advisor is offered. */
export const MAX_MISUNDERSTOOD = 3;

export function initialState(): ConversationState {
  return { version: 1, step: { name: 'start' }, misunderstood: 0, pending: null };
}

/** What the machine expects in this step, for reading bare numbers and dates. */
export function expectationOf(step: ConversationStep): Expectation {
  switch (step.name) {
    case 'promise_date':
      return 'date';
    case 'promise_amount':
      return 'amount';
    case 'plan_choice':
      return 'plan_choice';
    case 'promise_confirm':
    case 'plan_confirm':
    case 'dispute_confirm':
    case 'advisor_offer':
      return 'confirmation';
    case 'payment_details':
      return 'payment_details';
    case 'start':
    case 'menu':
    case 'with_advisor':
    case 'closed':
      return 'menu';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Texts

const MENU_LINES = ['1. Consultar mi saldo', '2. Pagar en línea', '3. Prometer una fecha de pago', '4. Plan de pagos', '5. Hablar con un asesor'];
const MENU_HINT = 'Escriba MENÚ para ver las opciones.';
const YES_NO = 'Responda SÍ o NO.';

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

function menuText(f: ConversationFacts, greeting: boolean): string {
  const head = greeting
    ? `Hola${firstName(f.debtorName) ? `, ${firstName(f.debtorName)}` : ''}. Soy el asistente virtual de ${f.creditorName}. Responda con el número de lo que necesita:`
    : 'Responda con el número de lo que necesita:';
  return [head, ...MENU_LINES, '', 'También puede escribirlo, por ejemplo: "pago el viernes". Escriba BAJA si no quiere recibir más mensajes por WhatsApp.'].join('\n');
}

const amountText = (minor: Minor | bigint, currency: string, f: ConversationFacts) => formatAmount(BigInt(minor), currency, f.locale);

function balanceLine(f: ConversationFacts): BalanceLine | undefined {
  return f.balances.find((b) => b.currency === f.currency) ?? f.balances[0];
}

/** The amount "todo" stands for: the overdue balance, or the whole balance when nothing is overdue yet. */
function wholeAmount(f: ConversationFacts, currency: string): bigint | null {
  const b = f.balances.find((x) => x.currency === currency);
  if (!b) return null;
  return b.overdue > 0n ? b.overdue : b.total;
}

function balanceText(f: ConversationFacts): string {
  const lines = f.balances.map((b) => {
    const total = amountText(b.total, b.currency, f);
    if (b.overdue <= 0n) return `• ${total} (sin atraso)`;
    const late = b.daysPastDue !== null && b.daysPastDue > 0 ? ` (${b.daysPastDue} ${b.daysPastDue === 1 ? 'día' : 'días'} de atraso)` : '';
    return b.overdue === b.total ? `• ${total}, vencido${late}` : `• ${total}, de los cuales ${amountText(b.overdue, b.currency, f)} están vencidos${late}`;
  });
  return [`Su saldo con ${f.creditorName} al ${formatLongDate(f.today)}:`, ...lines, '', 'Para pagar en línea responda 2, para prometer una fecha 3, para un plan de pagos 4, o 5 para hablar con un asesor.'].join('\n');
}

const nothingOwed = (f: ConversationFacts) => `No tiene saldo pendiente con ${f.creditorName}. ¡Gracias!`;

function frequencyText(o: PlanOffer): string {
  const word = o.frequency === 'weekly' ? ['semanal', 'semanales'] : o.frequency === 'biweekly' ? ['quincenal', 'quincenales'] : ['mensual', 'mensuales'];
  return o.installments === 1 ? `1 pago ${word[0]}` : `${o.installments} pagos ${word[1]}`;
}

/** "Enganche de $1,000.00 MXN y 3 pagos mensuales de $1,500.00 MXN desde el lunes 1 de diciembre (total $5,500.00 MXN)". */
export function describePlan(o: PlanOffer, f: ConversationFacts): string {
  const discount = BigInt(o.discount) > 0n ? ` con descuento de ${amountText(o.discount, o.currency, f)}` : '';
  if (o.kind === 'settlement') return `Pago único de ${amountText(o.total, o.currency, f)} a más tardar el ${formatDay(o.firstDueOn, f.today)}${discount}` + (o.note ? `. ${o.note}` : '');
  const parts: string[] = [];
  if (BigInt(o.downPayment) > 0n) parts.push(`Enganche de ${amountText(o.downPayment, o.currency, f)} y ${frequencyText(o)} de ${amountText(o.installmentAmount, o.currency, f)}`);
  else parts.push(`${frequencyText(o).replace(/^\d+ pagos?/, (m) => m.charAt(0).toUpperCase() + m.slice(1))} de ${amountText(o.installmentAmount, o.currency, f)}`);
  parts.push(` desde el ${formatDay(o.firstDueOn, f.today)} (total ${amountText(o.total, o.currency, f)}${discount})`);
  return parts.join('') + (o.note ? `. ${o.note}` : '');
}

const INTENT_LABELS: Partial<Record<Intent, string>> = {
  balance: 'consultar su saldo',
  pay: 'pagar en línea',
  promise: 'prometer una fecha de pago',
  already_paid: 'avisarnos de un pago que ya hizo',
  not_my_debt: 'aclarar un adeudo que no reconoce',
  wrong_person: 'avisarnos que no es la persona que buscamos',
  cant_pay: 'decirnos que no puede pagar',
  plan: 'pedir un plan de pagos',
  agent: 'hablar con un asesor',
};

// ---------------------------------------------------------------------------------------------------------------
// The machine

interface Out {
  step: ConversationStep;
  replies: string[];
  effect?: ConversationEffect;
  handled?: boolean;
  misunderstood?: number;
}

/** One transition. Pure: the same state, input and facts always give the same result. */
export function step(state: ConversationState, input: ConversationInput, facts: ConversationFacts): StepResult {
  if (input.kind === 'outcome') return finish(state, onOutcome(state, input.outcome, facts), null);
  const understood = understand(input.text, { today: facts.today, currency: facts.currency, expecting: expectationOf(state.step) });
  return finish(state, onMessage(state, understood, facts), understood.intent);
}

function finish(state: ConversationState, out: Out, intent: Intent | null): StepResult {
  return {
    state: { version: 1, step: out.step, misunderstood: out.misunderstood ?? (intent === null ? state.misunderstood : 0), pending: out.effect ?? null },
    replies: out.replies,
    effect: out.effect ?? null,
    handled: out.handled ?? true,
    intent,
  };
}

/** A message that could not be read: ask again, and after too many offer an advisor. */
function notUnderstood(state: ConversationState, question: string, f: ConversationFacts, keep: ConversationStep): Out {
  const misunderstood = state.misunderstood + 1;
  if (misunderstood >= MAX_MISUNDERSTOOD) {
    return {
      step: { name: 'advisor_offer' },
      replies: [`Disculpe, no logro entender su mensaje. ¿Quiere que un asesor de ${f.creditorName} le contacte? ${YES_NO}`],
      misunderstood,
    };
  }
  return { step: keep, replies: [question], misunderstood };
}

function onMessage(state: ConversationState, u: Understanding, f: ConversationFacts): Out {
  const s = state.step;
  // Opting out is handled where the message is received (consent, one confirmation); the conversation ends quietly.
  if (u.intent === 'opt_out') return { step: { name: 'closed' }, replies: [] };

  switch (s.name) {
    case 'with_advisor':
      // A person is on it: only "menú" brings the assistant back; everything else waits for them.
      if (/^(?:menu|inicio|opciones)$/.test(u.normal)) return { step: { name: 'menu' }, replies: [menuText(f, false)] };
      return { step: s, replies: [], handled: false, misunderstood: state.misunderstood };

    case 'promise_confirm':
      if (u.intent === 'yes') return { step: s, replies: [], effect: { kind: 'record_promise', amount: s.amount, currency: s.currency, date: s.date } };
      if (u.intent === 'no') return cancelled();
      if (u.intent === 'promise' && (u.date || u.amount || u.wholeBalance)) {
        // "mejor el lunes": the same promise with what changed.
        return promise(state, u, f, { amount: s.amount, currency: s.currency, date: s.date });
      }
      if (u.intent === 'unknown' || u.intent === 'thanks' || u.intent === 'menu') return notUnderstood(state, `Para registrar su promesa de pago de ${amountText(s.amount, s.currency, f)} para el ${formatDay(s.date, f.today)}, responda SÍ. Para cancelarla, responda NO.`, f, s);
      return open(state, u, f);

    case 'plan_confirm':
      if (u.intent === 'yes') return { step: s, replies: [], effect: { kind: 'create_plan', offer: s.offer } };
      if (u.intent === 'no') return { step: { name: 'plan_choice', offers: s.offers }, replies: [`De acuerdo, no registramos ese plan. ${plansQuestion(s.offers, f)}`] };
      if (u.intent === 'unknown' || u.intent === 'thanks' || u.intent === 'menu') return notUnderstood(state, `Para aceptar el plan (${describePlan(s.offer, f)}), responda SÍ. Para elegir otro, responda NO.`, f, s);
      return open(state, u, f);

    case 'dispute_confirm':
      if (u.intent === 'yes') return { step: s, replies: [], effect: { kind: 'open_dispute', note: s.note } };
      if (u.intent === 'no') return cancelled();
      if (u.intent === 'unknown' || u.intent === 'thanks' || u.intent === 'menu') return notUnderstood(state, `Para abrir la aclaración, responda SÍ. Si no, responda NO. ${MENU_HINT}`, f, s);
      return open(state, u, f);

    case 'advisor_offer':
      if (u.intent === 'yes') return { step: s, replies: [], effect: advisorTask() };
      if (u.intent === 'no') return { step: { name: 'menu' }, replies: [`De acuerdo. ${menuText(f, false)}`] };
      if (u.intent === 'unknown') {
        // Offered once already: a person will look at it rather than looping.
        return { step: { name: 'advisor_offer' }, replies: [`Un asesor puede ayudarle. ¿Quiere que le contacte? ${YES_NO}`], misunderstood: state.misunderstood + 1 };
      }
      return open(state, u, f);

    case 'plan_choice':
      if (u.choice !== undefined) {
        const offer = s.offers[u.choice - 1];
        if (!offer) return notUnderstood(state, `No hay un plan con el número ${u.choice}. ${plansQuestion(s.offers, f)}`, f, s);
        return { step: { name: 'plan_confirm', offer, offers: s.offers }, replies: [`¿Confirma el plan ${u.choice}: ${describePlan(offer, f)}? ${YES_NO}`] };
      }
      if (u.intent === 'no') return cancelled();
      if (u.intent === 'unknown' || u.intent === 'yes' || u.intent === 'thanks') return notUnderstood(state, plansQuestion(s.offers, f), f, s);
      return open(state, u, f);

    case 'promise_date':
      if (u.intent === 'no') return cancelled();
      if (u.intent === 'promise' || u.date) return promise(state, u, f, { amount: s.amount, currency: s.currency, date: null });
      if (u.intent === 'unknown' || u.intent === 'yes' || u.intent === 'thanks') return notUnderstood(state, dateQuestion(), f, s);
      return open(state, u, f);

    case 'promise_amount':
      if (u.intent === 'no') return cancelled();
      if (u.intent === 'promise' || u.amount || u.wholeBalance) return promise(state, u, f, { amount: null, currency: s.currency, date: s.date });
      if (u.intent === 'unknown' || u.intent === 'yes' || u.intent === 'thanks') return notUnderstood(state, amountQuestion(f, s.currency), f, s);
      return open(state, u, f);

    case 'payment_details':
      if (u.intent === 'already_paid' || u.intent === 'unknown' || u.intent === 'promise' || u.intent === 'pay') {
        return { step: { name: 'menu' }, replies: [], effect: { kind: 'create_task', purpose: 'verify_payment', note: `El deudor dice que ya pagó. Datos que envió: "${u.normal}". Verificar el pago.` } };
      }
      return open(state, u, f);

    case 'start':
    case 'menu':
    case 'closed':
      return open(state, u, f);
  }
}

function cancelled(): Out {
  return { step: { name: 'menu' }, replies: [`De acuerdo, no registramos nada. ${MENU_HINT}`] };
}

const dateQuestion = () => '¿Qué día va a pagar? Escriba la fecha, por ejemplo: "el viernes", "el 15" o "15/12".';

function amountQuestion(f: ConversationFacts, currency: string): string {
  const whole = wholeAmount(f, currency);
  const hint = whole && whole > 0n ? ` Escriba el monto, o TODO para pagar ${amountText(whole, currency, f)}.` : ' Escriba el monto, por ejemplo: $500.';
  return `¿Cuánto va a pagar?${hint}`;
}

function plansQuestion(offers: PlanOffer[], f: ConversationFacts): string {
  return ['Estos son los planes de pago disponibles para su cuenta:', ...offers.map((o, i) => `${i + 1}. ${describePlan(o, f)}`), '', 'Responda con el número del plan que prefiera.'].join('\n');
}

/** Anything said outside a question, or a change of subject in the middle of one. */
function open(state: ConversationState, u: Understanding, f: ConversationFacts): Out {
  const choice = u.intent === 'menu' ? u.choice : undefined;
  const intent: Intent = choice === 1 ? 'balance' : choice === 2 ? 'pay' : choice === 3 ? 'promise' : choice === 4 ? 'plan' : choice === 5 ? 'agent' : u.intent;
  const owes = f.balances.some((b) => b.total > 0n);
  switch (intent) {
    case 'menu':
      return { step: { name: 'menu' }, replies: [menuText(f, state.step.name === 'start' || state.step.name === 'closed')] };
    case 'balance':
      return { step: { name: 'menu' }, replies: [owes ? balanceText(f) : nothingOwed(f)] };
    case 'pay': {
      if (!owes) return { step: { name: 'menu' }, replies: [nothingOwed(f)] };
      const currency = u.amount?.currency ?? balanceLine(f)!.currency;
      return { step: { name: 'menu' }, replies: [], effect: { kind: 'payment_link', currency, amount: u.amount ? u.amount.minor.toString() : null } };
    }
    case 'promise':
      if (!owes) return { step: { name: 'menu' }, replies: [nothingOwed(f)] };
      return promise(state, u, f, { amount: null, currency: u.amount?.currency ?? balanceLine(f)!.currency, date: null });
    case 'plan':
      if (!owes) return { step: { name: 'menu' }, replies: [nothingOwed(f)] };
      return { step: { name: 'menu' }, replies: [], effect: { kind: 'list_plans', hardship: false } };
    case 'cant_pay':
      if (!owes) return { step: { name: 'menu' }, replies: [nothingOwed(f)] };
      return { step: { name: 'menu' }, replies: [], effect: { kind: 'flag_hardship', note: `El deudor escribió por WhatsApp: "${u.normal}"` } };
    case 'agent':
      return { step: { name: 'menu' }, replies: [], effect: advisorTask() };
    case 'already_paid':
      if (u.amount && u.date) {
        return { step: { name: 'menu' }, replies: [], effect: { kind: 'create_task', purpose: 'verify_payment', note: `El deudor dice que ya pagó: "${u.normal}". Verificar el pago.` } };
      }
      return {
        step: { name: 'payment_details' },
        replies: ['¡Gracias por avisarnos! Para verificarlo, escríbanos la fecha, el monto y dónde pagó (banco, tienda o en línea), y el folio o número de referencia del comprobante si lo tiene.'],
      };
    case 'not_my_debt':
      return {
        step: { name: 'dispute_confirm', note: `El deudor escribió por WhatsApp: "${u.normal}"` },
        replies: [`Entendido. ¿Quiere abrir una aclaración porque no reconoce este adeudo con ${f.creditorName}? Mientras la revisamos, detenemos la cobranza de lo que aclare. ${YES_NO}`],
      };
    case 'wrong_person':
      return {
        step: { name: 'closed' },
        replies: [],
        effect: { kind: 'create_task', purpose: 'wrong_person', note: `Quien escribió dice no ser el titular o que el número es equivocado: "${u.normal}". Revisar los datos de contacto.` },
      };
    case 'thanks':
      return { step: { name: 'menu' }, replies: [`¡Con gusto! Si necesita algo más, ${MENU_HINT.charAt(0).toLowerCase()}${MENU_HINT.slice(1)}`] };
    case 'yes':
    case 'no':
      return { step: { name: 'menu' }, replies: [menuText(f, false)] };
    case 'ambiguous': {
      const labels = u.candidates.map((c) => INTENT_LABELS[c]).filter((x): x is string => x !== undefined);
      return notUnderstood(state, `Entendí que quiere ${labels.join(' y ')}. ¿Qué hacemos primero? Escríbalo de nuevo, una cosa a la vez, o ${MENU_HINT.charAt(0).toLowerCase()}${MENU_HINT.slice(1)}`, f, { name: 'menu' });
    }
    case 'opt_out':
      return { step: { name: 'closed' }, replies: [] };
    case 'unknown':
      return notUnderstood(state, `Disculpe, no entendí su mensaje. ${menuText(f, false)}`, f, { name: 'menu' });
  }
}

/** Gathers a promise's date and amount, asking for what is missing, then asks the policy. */
function promise(state: ConversationState, u: Understanding, f: ConversationFacts, known: { amount: Minor | null; currency: string; date: PlainDate | null }): Out {
  const currency = u.amount?.currency ?? known.currency;
  let amount = u.amount ? u.amount.minor.toString() : known.amount;
  if (!u.amount && u.wholeBalance) {
    const whole = wholeAmount(f, currency);
    if (whole !== null && whole > 0n) amount = whole.toString();
  }
  let date = known.date;
  if (u.date?.kind === 'date') date = u.date.date;
  if (u.date?.kind === 'range') {
    return {
      step: { name: 'promise_date', amount, currency },
      replies: [`¿Qué día de ${u.date.label} va a pagar? Por ejemplo: "el ${u.date.label === 'esta semana' ? 'viernes' : 'lunes'}" o "${Number(u.date.from.slice(8, 10))}/${Number(u.date.from.slice(5, 7))}".`],
    };
  }
  if (!f.balances.some((b) => b.currency === currency)) {
    return { step: { name: 'menu' }, replies: [`No tiene saldo en ${currency}. Escriba el monto en ${balanceLine(f)?.currency ?? f.currency}. ${MENU_HINT}`] };
  }
  if (date && compareDates(date, f.today) < 0) {
    return { step: { name: 'promise_date', amount, currency }, replies: [`El ${formatDay(date, f.today)} ya pasó. ${dateQuestion()}`] };
  }
  if (!date) return { step: { name: 'promise_date', amount, currency }, replies: [dateQuestion()] };
  if (!amount) return { step: { name: 'promise_amount', date, currency }, replies: [amountQuestion(f, currency)] };
  return { step: { name: 'promise_date', amount, currency }, replies: [], effect: { kind: 'check_promise', amount, currency, date } };
}

function advisorTask(): ConversationEffect {
  return { kind: 'create_task', purpose: 'advisor', note: 'El deudor pidió hablar con un asesor por WhatsApp.' };
}

function onOutcome(state: ConversationState, o: EffectOutcome, f: ConversationFacts): Out {
  const advisor = 'Si prefiere, responda 5 para hablar con un asesor.';
  const p = state.pending;
  if (!p || p.kind !== o.kind) {
    // An outcome nobody asked for (a programming error upstream): say nothing was done rather than guess.
    return { step: { name: 'menu' }, replies: [`Algo salió mal; no registramos nada. ${MENU_HINT}`] };
  }
  switch (o.kind) {
    case 'check_promise': {
      const { amount, currency, date } = p as Extract<ConversationEffect, { kind: 'check_promise' }>;
      if (!o.ok) {
        const alternatives: string[] = [];
        if (o.latestDate) alternatives.push(`puede prometer un pago hasta el ${formatDay(o.latestDate, f.today)}`);
        if (o.minAmount) alternatives.push(`el monto mínimo es ${amountText(o.minAmount, currency, f)}`);
        const alt = alternatives.length ? ` Con su cuenta ${alternatives.join(' y ')}.` : '';
        const byAmount = o.field === 'amount';
        const next: ConversationStep = byAmount ? { name: 'promise_amount', date, currency } : { name: 'promise_date', amount, currency };
        return { step: next, replies: [`No podemos registrar esa promesa: ${o.reason}${alt} ${byAmount ? 'Escriba otro monto' : 'Escriba otra fecha'}, responda 4 para ver los planes de pago o 5 para hablar con un asesor.`] };
      }
      return { step: { name: 'promise_confirm', amount, currency, date }, replies: [`¿Confirma su promesa de pago de ${amountText(amount, currency, f)} para el ${formatDay(date, f.today)}? Responda SÍ o NO`] };
    }
    case 'record_promise': {
      const { amount, currency, date } = p as Extract<ConversationEffect, { kind: 'record_promise' }>;
      if (!o.ok) return { step: { name: 'menu' }, replies: [`No pudimos registrar su promesa: ${o.reason} ${advisor}`] };
      return {
        step: { name: 'menu' },
        replies: [`¡Listo! Registramos su promesa de pago de ${amountText(amount, currency, f)} para el ${formatDay(date, f.today)}. Mientras esté vigente no le enviaremos recordatorios de cobranza. Para pagar en línea responda 2.`],
      };
    }
    case 'list_plans': {
      if (!o.ok || o.offers.length === 0) {
        const why = !o.ok ? o.reason : (o.reason ?? 'por ahora no hay planes de pago disponibles para su cuenta.');
        return { step: { name: 'advisor_offer' }, replies: [`${capitalize(why)} ¿Quiere que un asesor revise su caso y le contacte? ${YES_NO}`] };
      }
      return { step: { name: 'plan_choice', offers: o.offers }, replies: [plansQuestion(o.offers, f)] };
    }
    case 'create_plan': {
      const { offer } = p as Extract<ConversationEffect, { kind: 'create_plan' }>;
      if (!o.ok) return { step: { name: 'menu' }, replies: [`No pudimos registrar el plan: ${o.reason} ${advisor}`] };
      return {
        step: { name: 'menu' },
        replies: [`¡Listo! Registramos su plan de pagos: ${describePlan(offer, f)}. Le enviaremos el convenio y un recordatorio antes de cada pago.${o.reference ? ` Folio: ${o.reference}.` : ''}`],
      };
    }
    case 'flag_hardship':
      // Whatever the flag gave, the debtor is offered the plans the policy allows.
      return {
        step: { name: 'menu' },
        replies: ['Entendemos su situación. Un asesor revisará su caso; mientras tanto, le mostramos las opciones que tenemos.'],
        effect: { kind: 'list_plans', hardship: true },
      };
    case 'open_dispute':
      if (!o.ok) return { step: { name: 'menu' }, replies: [`No pudimos abrir la aclaración: ${o.reason} ${advisor}`] };
      return { step: { name: 'menu' }, replies: ['Abrimos su aclaración. Un asesor la revisará y le contactará; mientras tanto detenemos la cobranza de lo que aclara.'] };
    case 'payment_link':
      if (!o.ok) return { step: { name: 'menu' }, replies: [`No pudimos generar su enlace de pago: ${o.reason} ${advisor}`] };
      return { step: { name: 'menu' }, replies: [`Puede pagar ${amountText(o.amount, o.currency, f)} en línea aquí: ${o.url}\nSu pago se aplica a su cuenta en cuanto se confirma.`] };
    case 'create_task': {
      const { purpose } = p as Extract<ConversationEffect, { kind: 'create_task' }>;
      if (!o.ok) return { step: { name: 'menu' }, replies: [`No pudimos avisar a un asesor en este momento. Intente de nuevo más tarde o ${MENU_HINT.charAt(0).toLowerCase()}${MENU_HINT.slice(1)}`], handled: false };
      if (purpose === 'wrong_person') return { step: { name: 'closed' }, replies: ['Disculpe la molestia. Revisaremos nuestros datos de contacto.'] };
      if (purpose === 'advisor') {
        return {
          step: { name: 'with_advisor' },
          replies: [`Un asesor de ${f.creditorName} le contactará pronto por este medio, en horario de atención. Si quiere volver al menú, escriba MENÚ.`],
          handled: false,
        };
      }
      return { step: { name: 'menu' }, replies: [`Gracias. Un asesor verificará su pago y le avisaremos. Guarde su comprobante por si se lo pedimos. ${MENU_HINT}`] };
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
