/**
 * How each demo debtor behaves: what it owes (monthly invoices, statements or instalments) and how it pays. Each
 * debtor's plan is a pure function of its index and the settings (seed, country, today…), drawn from its own random
 * stream, so the obligations and payments files can be generated separately and still describe the same story.
 *
 * Profiles are chosen so that, as of `today`, every phase and aging bucket is populated: punctual and early payers
 * land in preventive or settled, late payers in administrative and extrajudicial, partial payers and those who
 * never pay spread across extrajudicial and judicial up to 181+ days.
 */
import { addDays, addMonths, type PlainDate } from '../../../domain/calendar.ts';
import { exponentOf } from '../../../domain/money.ts';
import { COUNTRY_DATA, type DemoCountry } from './countries.ts';
import { Random, WeightedTable } from './random.ts';

/** Payment behaviour of a debtor. */
export type Profile = 'punctual' | 'early' | 'overpayer' | 'late' | 'partial' | 'never';

export interface ObligationPlan {
  externalId: string;
  kind: 'invoice' | 'installment' | 'statement';
  product: string;
  portfolio: string;
  currency: string;
  /** Minor units of `currency`. */
  amount: bigint;
  issuedOn: PlainDate;
  dueOn: PlainDate;
}

export interface PaymentPlan {
  externalId: string;
  /** The obligation the payer named; null when the payer gave no reference (allocation then goes oldest first). */
  obligationExternalId: string | null;
  currency: string;
  amount: bigint;
  paidOn: PlainDate;
  method: string;
  reference: string;
}

export interface DebtorPlan {
  index: number;
  externalId: string;
  type: 'person' | 'company';
  profile: Profile;
  segment: string;
  score: number;
  obligations: ObligationPlan[];
  payments: PaymentPlan[];
}

export interface PlanSettings {
  seed: number;
  country: DemoCountry;
  today: PlainDate;
  /**
   * When set, every debtor gets exactly this many obligations in one series (bench scale; invoices whose issue date
   * would fall after today are issued today instead of left out); else 1–8 plus a second product for some.
   */
  obligationsPerDebtor?: number | undefined;
  profiles: WeightedTable<Profile>;
  /** Digits of the zero-padded debtor number in external ids. */
  idWidth: number;
}

// Stream tags keep each debtor's draws for behaviour and for identity independent of each other.
export const STREAM_PLAN = 1;
export const STREAM_IDENTITY = 2;

/** Share of debtors per profile in the demo: a lender's book with most customers paying and a delinquent tail. */
export const DEFAULT_PROFILE_WEIGHTS: Readonly<Record<Profile, number>> = {
  punctual: 36,
  early: 6,
  overpayer: 3,
  late: 24,
  partial: 15,
  never: 16,
};

/** A weighted table of profiles; weights left out count as zero. */
export function profileTable(weights: Partial<Record<Profile, number>>): WeightedTable<Profile> {
  const entries = (Object.entries(weights) as Array<[Profile, number]>).filter(([, w]) => w > 0);
  return new WeightedTable(entries);
}

interface Product {
  name: string;
  kind: ObligationPlan['kind'];
  portfolio: string;
  /** Range of one obligation's amount in MXN cents (scaled by the country's price level). */
  min: number;
  max: number;
  /** Same amount every month (instalments, phone plans) or varying (statements, commercial invoices). */
  fixed: boolean;
  /** Days between issue and due date; instalments are all issued when the loan starts (null). */
  issueLead: number | null;
}

const PERSONAL: Product = { name: 'Crédito personal', kind: 'installment', portfolio: 'Consumo', min: 85_000, max: 650_000, fixed: true, issueLead: null };
const CARD: Product = { name: 'Tarjeta', kind: 'statement', portfolio: 'Consumo', min: 35_000, max: 1_800_000, fixed: false, issueLead: 20 };
const MOBILE: Product = { name: 'Plan móvil', kind: 'invoice', portfolio: 'Telecom', min: 19_900, max: 89_900, fixed: true, issueLead: 15 };
const AUTO: Product = { name: 'Crédito automotriz', kind: 'installment', portfolio: 'Consumo', min: 450_000, max: 1_600_000, fixed: true, issueLead: null };
const COMMERCIAL: Product = { name: 'Factura comercial', kind: 'invoice', portfolio: 'Comercial', min: 450_000, max: 28_000_000, fixed: false, issueLead: 30 };

const PERSON_PRODUCTS = new WeightedTable<Product>([
  [PERSONAL, 30],
  [CARD, 25],
  [MOBILE, 35],
  [AUTO, 10],
]);
const SERIES_LENGTH = new WeightedTable<number>([
  [1, 10],
  [2, 12],
  [3, 18],
  [4, 22],
  [5, 15],
  [6, 11],
  [7, 7],
  [8, 5],
]);
// Oldest unpaid due date of partial and never payers, in days before today: spread across every overdue bucket,
// within the year of history the demo covers.
const HISTORY_DAYS = 360;
const OVERDUE_SPREAD = new WeightedTable<readonly [number, number]>([
  [[1, 30], 12],
  [[31, 60], 14],
  [[61, 90], 14],
  [[91, 120], 14],
  [[121, 180], 20],
  [[181, HISTORY_DAYS], 26],
]);

const PERSON_SEGMENTS = new WeightedTable<string>([
  ['Masivo', 70],
  ['Preferente', 20],
  ['Nómina', 10],
]);
const COMPANY_SEGMENTS = new WeightedTable<string>([
  ['PyME', 70],
  ['Empresarial', 25],
  ['Corporativo', 5],
]);
const SCORE_RANGE: Record<Profile, readonly [number, number]> = {
  punctual: [680, 850],
  early: [700, 850],
  overpayer: [650, 820],
  late: [560, 700],
  partial: [480, 640],
  never: [300, 580],
};

// Mexican and Peruvian companies often invoice in US dollars; the other demo countries stay in local currency.
const DOLLAR_INVOICES: Partial<Record<DemoCountry, number>> = { MX: 0.15, PE: 0.2 };

/** Zero-padded debtor number used inside every external id of that debtor. */
export function debtorNumber(index: number, width: number): string {
  return String(index + 1).padStart(width, '0');
}

/** Converts an MXN-cents amount to minor units of the country's currency (or to USD cents at a rough 18 MXN). */
function localAmount(mxnCents: number, country: DemoCountry, currency: string): bigint {
  if (currency === 'USD') return BigInt(Math.max(1, Math.round(mxnCents / 18)));
  const { num, den } = COUNTRY_DATA[country].priceLevel;
  const cents = Math.round((mxnCents * num) / den);
  // CLP has no minor unit: amounts are whole pesos, rounded to tens as Chilean bills are.
  return currency === 'CLP' ? BigInt(Math.max(10, Math.round(cents / 1000) * 10)) : BigInt(cents);
}

/** Who the debtor is commercially (type, profile, segment, score): the first draws of its plan stream. */
export function planHead(settings: PlanSettings, index: number, random = new Random(settings.seed, index, STREAM_PLAN)): DebtorPlan {
  const type = random.chance(0.1) ? 'company' : 'person';
  const profile = settings.profiles.draw(random);
  const segment = (type === 'company' ? COMPANY_SEGMENTS : PERSON_SEGMENTS).draw(random);
  const [lo, hi] = SCORE_RANGE[profile];
  return {
    index,
    externalId: `DEMO-C${debtorNumber(index, settings.idWidth)}`,
    type,
    profile,
    segment,
    score: random.int(lo, hi),
    obligations: [],
    payments: [],
  };
}

/** The full plan (identity aside) for debtor `index`: its head, then what it owes and pays. */
export function planDebtor(settings: PlanSettings, index: number): DebtorPlan {
  const random = new Random(settings.seed, index, STREAM_PLAN);
  const plan = planHead(settings, index, random);
  const { type } = plan;
  const no = debtorNumber(index, settings.idWidth);

  const series: Array<{ product: Product; length: number }> = [];
  if (settings.obligationsPerDebtor !== undefined) {
    series.push({ product: type === 'company' ? COMMERCIAL : PERSON_PRODUCTS.draw(random), length: settings.obligationsPerDebtor });
  } else if (type === 'company') {
    series.push({ product: COMMERCIAL, length: SERIES_LENGTH.draw(random) });
  } else {
    series.push({ product: PERSON_PRODUCTS.draw(random), length: SERIES_LENGTH.draw(random) });
    if (random.chance(0.15)) series.push({ product: random.chance(0.5) ? CARD : MOBILE, length: random.int(1, 3) });
  }
  for (const s of series) addSeries(plan, settings, random, s.product, s.length, series.length === 1);
  // Payments are listed per debtor in date order, as a bank statement would list them, and numbered in that order.
  plan.payments.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
  plan.payments.forEach((p, i) => (p.externalId = `DEMO-P${no}-${String(i + 1).padStart(2, '0')}`));
  return plan;
}

function addSeries(plan: DebtorPlan, settings: PlanSettings, random: Random, product: Product, length: number, allowUnnamed: boolean): void {
  const { today, country } = settings;
  const data = COUNTRY_DATA[country];
  const dollarShare = product === COMMERCIAL ? (DOLLAR_INVOICES[country] ?? 0) : 0;
  const currency = random.chance(dollarShare) ? 'USD' : data.currency;
  const baseMxn = random.int(product.min, product.max);

  // Where the series sits in time follows from the profile: see the module comment.
  let firstDue: PlainDate;
  let firstTrouble = length; // index of the first obligation a partial payer pays only in part
  switch (plan.profile) {
    case 'punctual':
    case 'early':
    case 'overpayer': {
      // Overpayers must owe nothing afterwards, or their excess would simply pay the next instalment.
      const upcoming = plan.profile !== 'overpayer' && random.chance(0.7);
      const lastDue = addDays(today, upcoming ? random.int(1, 14) : -random.int(1, 120));
      firstDue = addMonths(lastDue, -(length - 1));
      break;
    }
    case 'late':
      firstDue = addMonths(addDays(today, random.int(-15, 14)), -(length - 1));
      break;
    case 'partial': {
      const [lo, hi] = OVERDUE_SPREAD.draw(random);
      const troubleDays = random.int(lo, hi);
      // The instalments paid in full before the trouble started also fall within the year of history.
      firstTrouble = random.int(0, Math.min(length - 1, Math.floor((HISTORY_DAYS - troubleDays) / 31)));
      firstDue = addMonths(addDays(today, -troubleDays), -firstTrouble);
      break;
    }
    case 'never': {
      const [lo, hi] = OVERDUE_SPREAD.draw(random);
      firstDue = addDays(today, -random.int(lo, hi));
      break;
    }
  }

  const lateness = random.int(10, 60);
  const fraction = random.int(30, 80);
  const loanStart = addMonths(firstDue, -1);
  for (let k = 0; k < length; k++) {
    const dueOn = addMonths(firstDue, k);
    let issuedOn = product.issueLead === null ? loanStart : addDays(dueOn, -product.issueLead);
    if (issuedOn > today) {
      // An invoice not yet issued does not exist in anyone's ledger; bench scale keeps it to keep counts exact.
      if (settings.obligationsPerDebtor === undefined) break;
      issuedOn = today;
    }
    const mxn = product.fixed ? baseMxn : Math.round(baseMxn * (0.6 + random.next() * 0.8));
    const obligation: ObligationPlan = {
      externalId: `DEMO-O${debtorNumber(plan.index, settings.idWidth)}-${String(plan.obligations.length + 1).padStart(2, '0')}`,
      kind: product.kind,
      product: product.name,
      portfolio: product.portfolio,
      currency,
      amount: localAmount(mxn, country, currency),
      issuedOn,
      dueOn,
    };
    plan.obligations.push(obligation);

    const pay = paymentFor(plan.profile, random, obligation, { lateness, fraction, partial: k >= firstTrouble, last: k === length - 1 });
    if (!pay) continue;
    // Nobody pays in the future or before the bill exists.
    const paidOn = pay.paidOn < issuedOn ? issuedOn : pay.paidOn;
    if (paidOn > today) continue;
    plan.payments.push({
      externalId: '',
      // Payers of a single series who settle in order sometimes give no reference: allocation, oldest due first,
      // then reaches the same obligation. With two series or partial payments it would not, so they always name it.
      obligationExternalId: allowUnnamed && plan.profile !== 'partial' && random.chance(0.15) ? null : obligation.externalId,
      currency,
      amount: pay.amount,
      paidOn,
      ...methodAndReference(random, settings.country, paidOn),
    });
  }
}

function paymentFor(
  profile: Profile,
  random: Random,
  o: ObligationPlan,
  how: { lateness: number; fraction: number; partial: boolean; last: boolean },
): { amount: bigint; paidOn: PlainDate } | null {
  switch (profile) {
    case 'punctual':
      // Mostly on the due date or a few days before; now and then well ahead.
      return { amount: o.amount, paidOn: addDays(o.dueOn, random.chance(0.15) ? -random.int(5, 15) : -random.int(0, 3)) };
    case 'early':
      return { amount: o.amount, paidOn: addDays(o.dueOn, -random.int(3, 20)) };
    case 'overpayer': {
      if (!how.last) return { amount: o.amount, paidOn: addDays(o.dueOn, -random.int(0, 3)) };
      // Pays the next round hundred above what is owed: the excess stays as unapplied credit on the debtor.
      const hundred = 100n * unitOf(o.currency);
      return { amount: (o.amount / hundred + 1n) * hundred, paidOn: addDays(o.dueOn, -random.int(0, 3)) };
    }
    case 'late':
      return { amount: o.amount, paidOn: addDays(o.dueOn, Math.max(10, how.lateness + random.int(-4, 4))) };
    case 'partial': {
      if (!how.partial) return { amount: o.amount, paidOn: addDays(o.dueOn, -random.int(0, 2)) };
      // People paying part of a bill pay whole currency units.
      const unit = unitOf(o.currency);
      const part = ((o.amount * BigInt(how.fraction)) / 100n / unit) * unit;
      return { amount: part > 0n ? part : unit, paidOn: addDays(o.dueOn, random.int(0, 12)) };
    }
    case 'never':
      return null;
  }
}

/** One whole unit of the currency in minor units (100 for MXN, 1 for CLP). */
function unitOf(currency: string): bigint {
  return 10n ** BigInt(exponentOf(currency));
}

function methodAndReference(random: Random, country: DemoCountry, paidOn: PlainDate): { method: string; reference: string } {
  const method = random.pick(COUNTRY_DATA[country].paymentMethods);
  const day = paidOn.replaceAll('-', '');
  let reference = '';
  for (let i = 0; i < 8; i++) reference += String(random.int(0, 9));
  // SPEI transfers carry a tracking key; convenience stores a barcode-like number; the rest a bank reference.
  if (method === 'SPEI') return { method, reference: `MBAN${day}${reference}` };
  if (method === 'OXXO') return { method, reference: `9${day}${reference}` };
  return { method, reference: `${day.slice(2)}-${reference}` };
}
