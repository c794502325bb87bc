import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../calendar.ts';
import { findAmounts, numberText } from './amounts.ts';
import { findDateAnswer, findDates, isoWeekdayOf, nextDayOfMonth } from './dates.ts';
import { understand, type Expectation } from './intents.ts';
import { normalizeText, wordsToNumber } from './text.ts';

// Tuesday 24 November 2026.
const today = '2026-11-24' as PlainDate;
const u = (text: string, expecting: Expectation = 'none', currency = 'MXN') => understand(text, { today, currency, expecting });
const dateOf = (text: string, on: PlainDate = today) => {
  const found = findDates(normalizeText(text), on);
  return found[0]?.kind === 'date' ? found[0].date : (found[0] ?? null);
};
const amountOf = (text: string, currency = 'MXN') => findAmounts(normalizeText(text), currency).map((a) => a.minor);

describe('normalisation', () => {
  it('ignores accents, case, punctuation and emoji', () => {
    expect(normalizeText('¡¡Ya PAGUÉ!! 😀')).toBe('ya pague');
    expect(normalizeText('¿Cuánto   debo?')).toBe('cuanto debo');
    expect(normalizeText('Mañana')).toBe('manana');
    expect(normalizeText('$1,250.50 el 15/12')).toBe('$1,250.50 el 15/12');
  });
  it('reads numbers written in words', () => {
    expect(wordsToNumber(['quinientos'])).toBe(500);
    expect(wordsToNumber(['mil', 'quinientos'])).toBe(1500);
    expect(wordsToNumber(['dos', 'mil', 'trescientos', 'cincuenta'])).toBe(2350);
    expect(wordsToNumber(['treinta', 'y', 'cinco'])).toBe(35);
    expect(wordsToNumber(['un', 'millon'])).toBe(1_000_000);
    expect(wordsToNumber(['y'])).toBeNull();
    expect(wordsToNumber(['hola'])).toBeNull();
  });
});

describe('dates as people write them', () => {
  it('today is a Tuesday (the fixture the rest relies on)', () => {
    expect(isoWeekdayOf(today)).toBe(2);
  });
  it('relative days', () => {
    expect(dateOf('hoy')).toBe('2026-11-24');
    expect(dateOf('mañana')).toBe('2026-11-25');
    expect(dateOf('manana te pago')).toBe('2026-11-25');
    expect(dateOf('pasado mañana')).toBe('2026-11-26');
    expect(dateOf('ayer')).toBe('2026-11-23');
    expect(dateOf('antier')).toBe('2026-11-22');
    expect(dateOf('en 3 días')).toBe('2026-11-27');
    expect(dateOf('dentro de dos semanas')).toBe('2026-12-08');
    expect(dateOf('en una semana')).toBe('2026-12-01');
  });
  it('"la mañana" is the morning, not tomorrow', () => {
    expect(dateOf('el viernes en la mañana')).toBe('2026-11-27');
    expect(findDates(normalizeText('por la mañana'), today)).toEqual([]);
  });
  it('weekdays: the next one strictly after today', () => {
    expect(dateOf('pago el viernes')).toBe('2026-11-27');
    expect(dateOf('el próximo viernes')).toBe('2026-11-27');
    expect(dateOf('este jueves')).toBe('2026-11-26');
    expect(dateOf('el martes')).toBe('2026-12-01'); // said on a Tuesday: a week later
    expect(dateOf('el lunes')).toBe('2026-11-30');
    expect(dateOf('el sábado')).toBe('2026-11-28');
    expect(dateOf('el miércoles')).toBe('2026-11-25');
    expect(dateOf('el viernes de la próxima semana')).toBe('2026-12-04');
    expect(dateOf('el otro viernes')).toBe('2026-12-04');
  });
  it('"el 15": the next 15th on or after today', () => {
    expect(dateOf('el 15 te pago')).toBe('2026-12-15');
    expect(dateOf('el 30')).toBe('2026-11-30');
    expect(dateOf('el día 24')).toBe('2026-11-24');
    expect(dateOf('el 31')).toBe('2026-12-31'); // November has no 31st
    expect(dateOf('el 15 del próximo mes')).toBe('2026-12-15');
    expect(nextDayOfMonth('2027-01-31' as PlainDate, 30)).toBe('2027-03-30'); // February has no 30th
  });
  it('day/month numbers and month names', () => {
    expect(dateOf('15/12')).toBe('2026-12-15');
    expect(dateOf('15-12-2026')).toBe('2026-12-15');
    expect(dateOf('5/1')).toBe('2027-01-05');
    expect(dateOf('10/11')).toBe('2027-11-10'); // already past this year
    expect(dateOf('15 de diciembre')).toBe('2026-12-15');
    expect(dateOf('el 3 de enero')).toBe('2027-01-03');
    expect(dateOf('primero de diciembre')).toBe('2026-12-01');
    expect(dateOf('15 dic')).toBe('2026-12-15');
    expect(dateOf('diciembre 15')).toBe('2026-12-15');
    expect(dateOf('31/02')).toBeNull();
  });
  it('paydays and month ends', () => {
    expect(dateOf('a fin de mes')).toBe('2026-11-30');
    expect(dateOf('en la quincena')).toBe('2026-11-30');
    expect(dateOf('la quincena', '2026-11-03' as PlainDate)).toBe('2026-11-15');
  });
  it('next week names no day: a range', () => {
    expect(dateOf('la próxima semana')).toMatchObject({ kind: 'range', from: '2026-11-30', to: '2026-12-06' });
    expect(dateOf('la semana que viene')).toMatchObject({ kind: 'range', from: '2026-11-30' });
  });
  it('falls back to chrono for other phrasings, in the debtor calendar', () => {
    expect(dateOf('el 2 de febrero de 2027')).toBe('2027-02-02');
    expect(dateOf('dentro de 10 dias')).toBe('2026-12-04');
  });
  it('an answer to "¿qué día?" may be a bare number', () => {
    expect(findDateAnswer('15', today)).toMatchObject({ date: '2026-12-15' });
    expect(findDateAnswer('hola', today)).toBeNull();
  });
});

describe('amounts as people write them', () => {
  it('signs, words and separators', () => {
    expect(amountOf('$500')).toEqual([50_000n]);
    expect(amountOf('500 pesos')).toEqual([50_000n]);
    expect(amountOf('$1,250.50')).toEqual([125_050n]);
    expect(amountOf('1.250,50 pesos')).toEqual([125_050n]);
    expect(amountOf('$1,250')).toEqual([125_000n]);
    expect(amountOf('$1.250')).toEqual([125_000n]);
    expect(amountOf('$10,000,000')).toEqual([1_000_000_000n]);
    expect(amountOf('$500,5')).toEqual([50_050n]);
    expect(amountOf('5 mil')).toEqual([500_000n]);
    expect(amountOf('5k')).toEqual([500_000n]);
    expect(amountOf('quinientos pesos')).toEqual([50_000n]);
    expect(amountOf('mil quinientos')).toEqual([150_000n]);
  });
  it('respects the currency: no cents in Chilean pesos', () => {
    expect(amountOf('$150.000', 'CLP')).toEqual([150_000n]);
    expect(amountOf('$10,5', 'CLP')).toEqual([]);
    expect(findAmounts('50 dolares', 'MXN')[0]).toMatchObject({ minor: 5000n, currency: 'USD' });
  });
  it('refuses malformed groupings', () => {
    expect(numberText('1,25,000')).toBeNull();
    expect(numberText('1.250,50')).toBe('1250.50');
    expect(numberText('1,250.50')).toBe('1250.50');
    expect(numberText('1250')).toBe('1250');
  });
  it('percentages and dates are not amounts', () => {
    expect(amountOf('50%')).toEqual([]);
    expect(findAmounts('15/12', 'MXN')).toEqual([]);
  });
});

describe('intents', () => {
  const cases: Array<[string, string]> = [
    ['saldo', 'balance'],
    ['Cuánto debo?', 'balance'],
    ['cuanto le debo', 'balance'],
    ['quiero saber mi saldo por favor', 'balance'],
    ['me puede dar mi estado de cuenta', 'balance'],
    ['quiero pagar', 'pay'],
    ['mándame el link de pago', 'pay'],
    ['me pasas la liga para pagar?', 'pay'],
    ['cómo pago?', 'pay'],
    ['donde puedo pagar', 'pay'],
    ['pago el viernes', 'promise'],
    ['el 15 te pago', 'promise'],
    ['mañana', 'promise'],
    ['la próxima semana', 'promise'],
    ['pago $500 el 30', 'promise'],
    ['le deposito el lunes', 'promise'],
    ['voy a pagar el 15 de diciembre', 'promise'],
    ['quiero pagar el viernes', 'promise'],
    ['ya pagué', 'already_paid'],
    ['ya pague', 'already_paid'],
    ['Ya hice el depósito', 'already_paid'],
    ['ya le deposité ayer', 'already_paid'],
    ['ya quedó pagado', 'already_paid'],
    ['pagué ayer en oxxo', 'already_paid'],
    ['no es mi deuda', 'not_my_debt'],
    ['No reconozco ese adeudo', 'not_my_debt'],
    ['yo no debo nada', 'not_my_debt'],
    ['nunca contraté eso', 'not_my_debt'],
    ['número equivocado', 'wrong_person'],
    ['no soy esa persona', 'wrong_person'],
    ['no puedo pagar', 'cant_pay'],
    ['no tengo dinero', 'cant_pay'],
    ['me quedé sin trabajo', 'cant_pay'],
    ['ahorita no me alcanza', 'cant_pay'],
    ['plan de pagos', 'plan'],
    ['quiero un convenio', 'plan'],
    ['puedo pagar en partes?', 'plan'],
    ['quiero pagar en parcialidades', 'plan'],
    ['no puedo pagar todo de una vez', 'plan'],
    ['quiero hablar con un asesor', 'agent'],
    ['hablar con alguien', 'agent'],
    ['asesor', 'agent'],
    ['no puedo pagar, quiero un asesor', 'agent'],
    ['BAJA', 'opt_out'],
    ['stop', 'opt_out'],
    ['Alto!', 'opt_out'],
    ['hola', 'menu'],
    ['buenas tardes', 'menu'],
    ['menú', 'menu'],
    ['gracias', 'thanks'],
    ['sí', 'yes'],
    ['si', 'yes'],
    ['Sí, confirmo', 'yes'],
    ['ok', 'yes'],
    ['va', 'yes'],
    ['no', 'no'],
    ['cancelar', 'no'],
    ['No gracias', 'no'],
    ['asdfgh', 'unknown'],
    ['el clima está bonito', 'unknown'],
  ];
  it.each(cases)('%s → %s', (text, intent) => {
    expect(u(text).intent).toBe(intent);
  });

  it('menu numbers 1–5, alone or as "opción 2"', () => {
    for (const [text, n] of [['1', 1], ['2.', 2], ['opción 3', 3], ['la 4', 4], ['5', 5]] as const) expect(u(text, 'menu')).toMatchObject({ intent: 'menu', choice: n });
    expect(u('7', 'menu').intent).toBe('unknown');
  });

  it('a bare number means what was asked for', () => {
    expect(u('15', 'date')).toMatchObject({ intent: 'promise', date: { date: '2026-12-15' } });
    expect(u('500', 'amount')).toMatchObject({ intent: 'promise', amount: { minor: 50_000n } });
    expect(u('2', 'plan_choice')).toMatchObject({ intent: 'menu', choice: 2 });
    expect(u('3', 'menu')).toMatchObject({ intent: 'menu', choice: 3 });
  });

  it('keeps the promise details it reads', () => {
    expect(u('pago $500 el 30')).toMatchObject({ intent: 'promise', amount: { minor: 50_000n, marked: true }, date: { date: '2026-11-30' } });
    expect(u('te pago 1,250.50 el viernes')).toMatchObject({ amount: { minor: 125_050n }, date: { date: '2026-11-27' } });
    expect(u('pago todo el 15')).toMatchObject({ intent: 'promise', wholeBalance: true, date: { date: '2026-12-15' } });
    expect(u('te pago quinientos pesos mañana')).toMatchObject({ amount: { minor: 50_000n }, date: { date: '2026-11-25' } });
    // "el 15" is a date, not an amount of $15.
    expect(u('el 15 te pago').amount).toBeUndefined();
  });

  it('says "ambiguous" when two different requests are made', () => {
    const r = u('ya pagué pero no es mi deuda');
    expect(r.intent).toBe('ambiguous');
    expect(r.candidates).toEqual(['already_paid', 'not_my_debt']);
    expect(u('no es mi deuda y quiero un plan de pagos')).toMatchObject({ intent: 'ambiguous', candidates: ['not_my_debt', 'plan'] });
  });

  it('"no" at the start of a longer sentence is not a refusal', () => {
    expect(u('no puedo pagar', 'confirmation').intent).toBe('cant_pay');
    expect(u('no es mi deuda', 'confirmation').intent).toBe('not_my_debt');
  });

  it('while waiting for payment details, any text is the details', () => {
    expect(u('el lunes en oxxo, folio 12345', 'payment_details').intent).toBe('already_paid');
  });
});
