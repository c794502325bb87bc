import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../calendar.ts';
import { initialState, MAX_MISUNDERSTOOD, step, type ConversationEffect, type ConversationFacts, type ConversationState, type EffectOutcome, type PlanOffer, type StepResult } from './machine.ts';

const facts: ConversationFacts = {
  today: '2026-11-24' as PlainDate, // a Tuesday
  locale: 'es-MX',
  debtorName: 'Juan Pérez López',
  creditorName: 'Acme Crédito',
  currency: 'MXN',
  balances: [{ currency: 'MXN', total: 500_000n, overdue: 300_000n, daysPastDue: 45 }],
};

const offers: PlanOffer[] = [
  { id: 'p3', kind: 'plan', discount: '0', currency: 'MXN', total: '300000', downPayment: '60000', installments: 3, installmentAmount: '80000', frequency: 'monthly', firstDueOn: '2026-12-01' as PlainDate },
  { id: 'p6', kind: 'plan', discount: '0', currency: 'MXN', total: '300000', downPayment: '0', installments: 6, installmentAmount: '50000', frequency: 'biweekly', firstDueOn: '2026-11-30' as PlainDate },
  { id: 's1', kind: 'settlement', discount: '60000', currency: 'MXN', total: '240000', downPayment: '0', installments: 1, installmentAmount: '240000', frequency: 'monthly', firstDueOn: '2026-12-07' as PlainDate },
];

/** One turn: the message, then every effect answered by `answer` until none is left. Returns all the results. */
function turn(state: ConversationState, text: string, answer: (e: ConversationEffect) => EffectOutcome = okOutcome, f = facts) {
  const results: StepResult[] = [step(state, { kind: 'message', text }, f)];
  const effects: ConversationEffect[] = [];
  for (let r = results[0]!; r.effect; ) {
    effects.push(r.effect);
    r = step(r.state, { kind: 'outcome', outcome: answer(r.effect) }, f);
    results.push(r);
  }
  const last = results[results.length - 1]!;
  return { state: last.state, replies: results.flatMap((r) => r.replies), effects, handled: results.every((r) => r.handled), intent: results[0]!.intent };
}

function okOutcome(e: ConversationEffect): EffectOutcome {
  switch (e.kind) {
    case 'check_promise':
    case 'record_promise':
    case 'open_dispute':
      return { kind: e.kind, ok: true };
    case 'list_plans':
      return { kind: 'list_plans', ok: true, offers };
    case 'create_plan':
      return { kind: 'create_plan', ok: true, reference: 'CV-7' };
    case 'flag_hardship':
    case 'create_task':
      return { kind: e.kind, ok: true };
    case 'payment_link':
      return { kind: 'payment_link', ok: true, url: 'https://pagos.example/l/abc', amount: e.amount ?? '300000', currency: e.currency };
  }
}

/** Plays a whole conversation, returning each turn. */
function play(texts: string[], answer?: (e: ConversationEffect) => EffectOutcome, f = facts) {
  let state = initialState();
  return texts.map((t) => {
    const r = turn(state, t, answer, f);
    state = r.state;
    return r;
  });
}

describe('menu', () => {
  it('greets with the menu and answers each option', () => {
    const [hello, balance, pay] = play(['Hola', '1', '2']);
    expect(hello!.replies[0]).toContain('Hola, Juan. Soy el asistente virtual de Acme Crédito.');
    expect(hello!.replies[0]).toContain('1. Consultar mi saldo\n2. Pagar en línea\n3. Prometer una fecha de pago\n4. Plan de pagos\n5. Hablar con un asesor');
    expect(balance!.replies[0]).toContain('Su saldo con Acme Crédito al 24 de noviembre de 2026:\n• $5,000.00 MXN, de los cuales $3,000.00 MXN están vencidos (45 días de atraso)');
    expect(pay!.effects).toEqual([{ kind: 'payment_link', currency: 'MXN', amount: null }]);
    expect(pay!.replies).toEqual(['Puede pagar $3,000.00 MXN en línea aquí: https://pagos.example/l/abc\nSu pago se aplica a su cuenta en cuanto se confirma.']);
    expect(pay!.handled).toBe(true);
  });

  it('a payment link for an amount the debtor names', () => {
    const [r] = play(['quiero pagar $1,000 en línea']);
    expect(r!.effects).toEqual([{ kind: 'payment_link', currency: 'MXN', amount: '100000' }]);
  });

  it('says so when nothing is owed', () => {
    const paidUp = { ...facts, balances: [] };
    for (const text of ['2', 'pago el viernes', '4', 'no puedo pagar', 'saldo']) {
      const [r] = play([text], undefined, paidUp);
      expect(r!.effects).toEqual([]);
      expect(r!.replies).toEqual(['No tiene saldo pendiente con Acme Crédito. ¡Gracias!']);
    }
  });
});

describe('promises', () => {
  it('asks what is missing, checks the policy, and records only after SÍ', () => {
    const [first, second, third] = play(['pago el viernes', '500', 'sí']);
    expect(first!.replies).toEqual(['¿Cuánto va a pagar? Escriba el monto, o TODO para pagar $3,000.00 MXN.']);
    expect(first!.effects).toEqual([]);
    expect(second!.effects).toEqual([{ kind: 'check_promise', amount: '50000', currency: 'MXN', date: '2026-11-27' }]);
    expect(second!.replies).toEqual(['¿Confirma su promesa de pago de $500.00 MXN para el viernes 27 de noviembre? Responda SÍ o NO']);
    expect(third!.effects).toEqual([{ kind: 'record_promise', amount: '50000', currency: 'MXN', date: '2026-11-27' }]);
    expect(third!.replies[0]).toMatch(/^¡Listo! Registramos su promesa de pago de \$500\.00 MXN para el viernes 27 de noviembre\./);
  });

  it('everything in one message: "pago $500 el 30"', () => {
    const [r] = play(['pago $500 el 30']);
    expect(r!.effects).toEqual([{ kind: 'check_promise', amount: '50000', currency: 'MXN', date: '2026-11-30' }]);
    expect(r!.state.step).toEqual({ name: 'promise_confirm', amount: '50000', currency: 'MXN', date: '2026-11-30' });
  });

  it('menu 3 asks for the date, then the amount; TODO is the overdue balance', () => {
    const turns = play(['3', 'el 15', 'todo']);
    expect(turns[0]!.replies[0]).toContain('¿Qué día va a pagar?');
    expect(turns[1]!.replies[0]).toContain('¿Cuánto va a pagar?');
    expect(turns[2]!.effects[0]).toEqual({ kind: 'check_promise', amount: '300000', currency: 'MXN', date: '2026-12-15' });
  });

  it('NO cancels and records nothing', () => {
    const turns = play(['el 15 te pago 500', 'no']);
    expect(turns[1]!.effects).toEqual([]);
    expect(turns[1]!.replies[0]).toMatch(/^De acuerdo, no registramos nada\./);
    expect(turns[1]!.state.step.name).toBe('menu');
  });

  it('a new date while confirming is checked again, keeping the amount', () => {
    const turns = play(['pago $500 el viernes', 'mejor el lunes']);
    expect(turns[1]!.effects).toEqual([{ kind: 'check_promise', amount: '50000', currency: 'MXN', date: '2026-11-30' }]);
    expect(turns[1]!.replies[0]).toContain('para el lunes 30 de noviembre?');
  });

  it('asks again when the confirmation is not a yes or a no', () => {
    const turns = play(['pago $500 el viernes', 'mmm']);
    expect(turns[1]!.effects).toEqual([]);
    expect(turns[1]!.replies[0]).toContain('responda SÍ');
    expect(turns[1]!.state.step.name).toBe('promise_confirm');
  });

  it('explains a refusal with the policy reason and its alternatives, and lets the debtor try again', () => {
    const refuse = (e: ConversationEffect): EffectOutcome =>
      e.kind === 'check_promise' && e.date > '2026-12-09'
        ? { kind: 'check_promise', ok: false, reason: 'la fecha supera el plazo permitido de 15 días.', field: 'date', latestDate: '2026-12-09' as PlainDate }
        : okOutcome(e);
    const turns = play(['pago $500 el 15 de diciembre', 'el 9'], refuse);
    expect(turns[0]!.replies[0]).toBe(
      'No podemos registrar esa promesa: la fecha supera el plazo permitido de 15 días. Con su cuenta puede prometer un pago hasta el miércoles 9 de diciembre. Escriba otra fecha, responda 4 para ver los planes de pago o 5 para hablar con un asesor.',
    );
    expect(turns[0]!.state.step).toEqual({ name: 'promise_date', amount: '50000', currency: 'MXN' });
    expect(turns[1]!.effects[0]).toEqual({ kind: 'check_promise', amount: '50000', currency: 'MXN', date: '2026-12-09' });
    expect(turns[1]!.state.step.name).toBe('promise_confirm');
  });

  it('a refused amount asks for another amount, keeping the date', () => {
    const refuse = (e: ConversationEffect): EffectOutcome =>
      e.kind === 'check_promise' && BigInt(e.amount) < 100_000n ? { kind: 'check_promise', ok: false, reason: 'el monto es menor al mínimo.', field: 'amount', minAmount: '100000' } : okOutcome(e);
    const turns = play(['pago $500 el viernes', '1000'], refuse);
    expect(turns[0]!.replies[0]).toContain('el monto mínimo es $1,000.00 MXN');
    expect(turns[0]!.state.step).toEqual({ name: 'promise_amount', date: '2026-11-27', currency: 'MXN' });
    expect(turns[1]!.effects[0]).toEqual({ kind: 'check_promise', amount: '100000', currency: 'MXN', date: '2026-11-27' });
  });

  it('a date in the past is refused before asking anyone', () => {
    const [r] = play(['pago $500 el 20/11/2026']);
    expect(r!.effects).toEqual([]);
    expect(r!.replies[0]).toBe('El viernes 20 de noviembre ya pasó. ¿Qué día va a pagar? Escriba la fecha, por ejemplo: "el viernes", "el 15" o "15/12".');
    // Without a year, "20/11" is the next 20 November: a year away, for the policy to judge.
    expect(play(['pago $500 el 20/11'])[0]!.effects[0]).toMatchObject({ date: '2027-11-20' });
  });

  it('"la próxima semana" asks which day', () => {
    const turns = play(['pago la próxima semana', 'el miércoles', '$800', 'si']);
    expect(turns[0]!.replies[0]).toContain('¿Qué día de la próxima semana va a pagar?');
    expect(turns[1]!.replies[0]).toContain('¿Cuánto va a pagar?');
    expect(turns[2]!.effects[0]).toMatchObject({ kind: 'check_promise', date: '2026-11-25', amount: '80000' });
    expect(turns[3]!.effects[0]).toMatchObject({ kind: 'record_promise' });
  });

  it('a failure to record is told, not hidden', () => {
    const fail = (e: ConversationEffect): EffectOutcome => (e.kind === 'record_promise' ? { kind: 'record_promise', ok: false, reason: 'ya tiene una promesa vigente.' } : okOutcome(e));
    const turns = play(['pago $500 el viernes', 'sí'], fail);
    expect(turns[1]!.replies[0]).toBe('No pudimos registrar su promesa: ya tiene una promesa vigente. Si prefiere, responda 5 para hablar con un asesor.');
  });
});

describe('plans and hardship', () => {
  it('menu 4 offers the plans the policy allows; the debtor picks one and confirms', () => {
    const turns = play(['4', '2', 'sí']);
    expect(turns[0]!.effects).toEqual([{ kind: 'list_plans', hardship: false }]);
    expect(turns[0]!.replies[0]).toBe(
      [
        'Estos son los planes de pago disponibles para su cuenta:',
        '1. Enganche de $600.00 MXN y 3 pagos mensuales de $800.00 MXN desde el martes 1 de diciembre (total $3,000.00 MXN)',
        '2. 6 pagos quincenales de $500.00 MXN desde el lunes 30 de noviembre (total $3,000.00 MXN)',
        '3. Pago único de $2,400.00 MXN a más tardar el lunes 7 de diciembre con descuento de $600.00 MXN',
        '',
        'Responda con el número del plan que prefiera.',
      ].join('\n'),
    );
    expect(turns[1]!.replies[0]).toMatch(/^¿Confirma el plan 2: 6 pagos quincenales/);
    expect(turns[1]!.effects).toEqual([]);
    expect(turns[2]!.effects).toEqual([{ kind: 'create_plan', offer: offers[1] }]);
    expect(turns[2]!.replies[0]).toContain('Folio: CV-7.');
  });

  it('a number that is not a plan asks again', () => {
    const turns = play(['plan de pagos', '7']);
    expect(turns[1]!.replies[0]).toMatch(/^No hay un plan con el número 7\./);
    expect(turns[1]!.state.step.name).toBe('plan_choice');
  });

  it('"no puedo pagar" flags hardship and offers the plans', () => {
    const [r] = play(['no puedo pagar, me quedé sin trabajo']);
    expect(r!.effects.map((e) => e.kind)).toEqual(['flag_hardship', 'list_plans']);
    expect(r!.effects[1]).toEqual({ kind: 'list_plans', hardship: true });
    expect(r!.replies[0]).toContain('Entendemos su situación');
    expect(r!.state.step.name).toBe('plan_choice');
  });

  it('with no plan allowed, offers an advisor', () => {
    const none = (e: ConversationEffect): EffectOutcome => (e.kind === 'list_plans' ? { kind: 'list_plans', ok: true, offers: [], reason: 'su cuenta no admite planes de pago en su fase actual.' } : okOutcome(e));
    const turns = play(['4', 'si'], none);
    expect(turns[0]!.replies[0]).toBe('Su cuenta no admite planes de pago en su fase actual. ¿Quiere que un asesor revise su caso y le contacte? Responda SÍ o NO.');
    expect(turns[1]!.effects).toEqual([{ kind: 'create_task', purpose: 'advisor', note: 'El deudor pidió hablar con un asesor por WhatsApp.' }]);
    expect(turns[1]!.handled).toBe(false);
  });
});

describe('disputes, payments already made, advisors', () => {
  it('"no es mi deuda" opens a dispute only after SÍ', () => {
    const turns = play(['No reconozco esa deuda', 'si']);
    expect(turns[0]!.effects).toEqual([]);
    expect(turns[0]!.replies[0]).toContain('¿Quiere abrir una aclaración');
    expect(turns[1]!.effects).toEqual([{ kind: 'open_dispute', note: 'El deudor escribió por WhatsApp: "no reconozco esa deuda"' }]);
    expect(play(['no es mi deuda', 'no'])[1]!.effects).toEqual([]);
  });

  it('"ya pagué" asks for the details and gives them to a collector to verify', () => {
    const turns = play(['ya pagué', 'el lunes $1,500 en OXXO folio 88123']);
    expect(turns[0]!.effects).toEqual([]);
    expect(turns[0]!.replies[0]).toContain('escríbanos la fecha, el monto');
    expect(turns[0]!.state.step.name).toBe('payment_details');
    expect(turns[1]!.effects).toEqual([{ kind: 'create_task', purpose: 'verify_payment', note: 'El deudor dice que ya pagó. Datos que envió: "el lunes $1,500 en oxxo folio 88123". Verificar el pago.' }]);
    expect(turns[1]!.handled).toBe(true);
  });

  it('option 5 creates a task, leaves the message unhandled, and keeps quiet until MENÚ', () => {
    const turns = play(['5', '¿a qué hora me llaman?', 'menú']);
    expect(turns[0]!.effects).toEqual([{ kind: 'create_task', purpose: 'advisor', note: 'El deudor pidió hablar con un asesor por WhatsApp.' }]);
    expect(turns[0]!.handled).toBe(false);
    expect(turns[0]!.state.step.name).toBe('with_advisor');
    expect(turns[1]!).toMatchObject({ replies: [], effects: [], handled: false });
    expect(turns[2]!.handled).toBe(true);
    expect(turns[2]!.replies[0]).toContain('1. Consultar mi saldo');
  });

  it('a wrong number makes a task and discloses nothing', () => {
    const [r] = play(['número equivocado']);
    expect(r!.effects[0]).toMatchObject({ kind: 'create_task', purpose: 'wrong_person' });
    expect(r!.replies).toEqual(['Disculpe la molestia. Revisaremos nuestros datos de contacto.']);
    expect(r!.replies.join(' ')).not.toContain('$');
  });

  it('BAJA ends the conversation quietly (the opt-out is confirmed where it is recorded)', () => {
    const [r] = play(['BAJA']);
    expect(r!).toMatchObject({ replies: [], effects: [], intent: 'opt_out' });
    expect(r!.state.step.name).toBe('closed');
  });
});

describe('input it cannot read', () => {
  it('asks again, then offers an advisor after too many', () => {
    const texts = Array.from({ length: MAX_MISUNDERSTOOD }, (_, i) => `xyz ${i}`);
    const turns = play(texts);
    for (const t of turns.slice(0, -1)) expect(t.replies[0]).toMatch(/^Disculpe, no entendí su mensaje\./);
    expect(turns.at(-1)!.replies[0]).toBe('Disculpe, no logro entender su mensaje. ¿Quiere que un asesor de Acme Crédito le contacte? Responda SÍ o NO.');
    expect(turns.at(-1)!.state.step.name).toBe('advisor_offer');
    for (const t of turns) expect(t.effects).toEqual([]);
  });

  it('understanding something resets the count', () => {
    const turns = play(['xyz', 'xyz', 'saldo', 'xyz']);
    expect(turns[3]!.state.misunderstood).toBe(1);
  });

  it('two different requests at once are asked again, nothing done', () => {
    const [r] = play(['ya pagué pero no es mi deuda']);
    expect(r!.effects).toEqual([]);
    expect(r!.replies[0]).toBe('Entendí que quiere avisarnos de un pago que ya hizo y aclarar un adeudo que no reconoce. ¿Qué hacemos primero? Escríbalo de nuevo, una cosa a la vez, o escriba MENÚ para ver las opciones.');
  });

  it('an outcome nobody asked for records nothing', () => {
    const r = step(initialState(), { kind: 'outcome', outcome: { kind: 'record_promise', ok: true } }, facts);
    expect(r.replies[0]).toMatch(/no registramos nada/);
    expect(r.effect).toBeNull();
  });

  it('the state is plain JSON', () => {
    const [, r] = play(['4', '1']);
    expect(JSON.parse(JSON.stringify(r!.state))).toEqual(r!.state);
  });
});
