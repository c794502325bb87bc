/**
 * A deterministic demo portfolio in the canonical import columns: debtors, their obligations and their payments.
 * Same options (seed, today, size, country) → byte-identical rows, because nothing reads the clock and every random
 * draw comes from a seeded stream: faker (seeded once) for names in debtor order, our own PRNG per debtor for the rest.
 */
import { Faker, base, es, es_MX } from '@faker-js/faker';
import { parseDate, type PlainDate } from '../../../domain/calendar.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { DEFAULT_PROFILE_WEIGHTS, planDebtor, planHead, profileTable, STREAM_IDENTITY, type DebtorPlan, type PlanSettings, type Profile } from './behaviour.ts';
import { COUNTRY_DATA, regionTable, type DemoCountry } from './countries.ts';
import { mobileFor, personalEmail, slug, taxIdFor } from './identity.ts';
import { Random } from './random.ts';

export interface DemoOptions {
  /** Number of debtors (default 2000). */
  debtors?: number;
  /** Random seed (default 1). */
  seed?: number;
  /** Country whose names, tax ids, phones, regions and currency are used (default MX). */
  country?: DemoCountry;
  /** The as-of date the story is told against: due dates and payments are placed relative to it. */
  today: PlainDate;
  /**
   * Bench scale: every debtor gets exactly this many obligations in a single series instead of the realistic
   * 1–8 (plus a second product for some), so row counts are predictable.
   */
  obligationsPerDebtor?: number;
  /**
   * Share of debtors per payment behaviour (relative weights; missing profiles get none). The default is a lender's
   * book; a collections agency's book has far more `never` and `partial` debtors.
   */
  profileWeights?: Partial<Record<Profile, number>>;
}

/** One CSV row in the canonical import columns. */
export type DemoRow = Record<string, string>;

/** Columns of each demo file, in file order. */
export const DEMO_COLUMNS = {
  debtors: ['external_id', 'name', 'type', 'tax_id', 'email', 'phone', 'whatsapp', 'country', 'region', 'city', 'postal_code', 'tags', 'segmento_comercial', 'score'],
  obligations: ['external_id', 'debtor_external_id', 'kind', 'product', 'currency', 'amount', 'issued_on', 'due_on', 'portfolio'],
  payments: ['external_id', 'debtor_external_id', 'obligation_external_id', 'amount', 'currency', 'paid_on', 'method', 'reference'],
} as const;

/** The three row sets; each can be iterated any number of times and yields the same rows every time. */
export interface Demo {
  debtors: Iterable<DemoRow>;
  obligations: Iterable<DemoRow>;
  payments: Iterable<DemoRow>;
}

// The import splits tags on semicolons.
const TAG_SEPARATOR = ';';

const COMPANY_TLD: Record<DemoCountry, string> = { MX: 'com.mx', CO: 'com.co', PE: 'com.pe', CL: 'cl', AR: 'com.ar' };
const COMPANY_MAILBOXES = ['cobranza', 'facturacion', 'pagos', 'contabilidad', 'cuentasporpagar'];
const COMPANY_TRADES = ['Distribuidora', 'Comercializadora', 'Grupo', 'Transportes', 'Constructora', 'Servicios Industriales', 'Abarrotes', 'Ferretería', 'Farmacias', 'Agroindustrias', 'Logística', 'Textiles', 'Refacciones', 'Materiales'];

const SURNAME_PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y']);

/**
 * faker's es/es_MX last names come as "Paternal Maternal", "X de Y" or "de X Y": one clean surname is the first word
 * with the particles before it ("de Anda"), never a particle alone (which left names like "Laura Villareal de").
 */
function oneSurname(lastName: string): string {
  const words = lastName.split(' ');
  const first = words.findIndex((w) => !SURNAME_PARTICLES.has(w.toLowerCase()));
  return first < 0 ? lastName : words.slice(0, first + 1).join(' ');
}

/** Builds the demo for the options; nothing is generated until a row set is iterated. */
export function generateDemo(options: DemoOptions): Demo {
  const count = options.debtors ?? 2000;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`debtors must be a whole number ≥ 1, got ${count}`);
  const perDebtor = options.obligationsPerDebtor;
  if (perDebtor !== undefined && (!Number.isInteger(perDebtor) || perDebtor < 1)) throw new RangeError(`obligationsPerDebtor must be a whole number ≥ 1, got ${perDebtor}`);
  const settings: PlanSettings = {
    seed: options.seed ?? 1,
    country: options.country ?? 'MX',
    // Refuses a malformed date here rather than producing nonsense dates from it.
    today: parseDate(options.today),
    obligationsPerDebtor: perDebtor,
    profiles: profileTable(options.profileWeights ?? DEFAULT_PROFILE_WEIGHTS),
    idWidth: Math.max(6, String(count).length),
  };
  if (!COUNTRY_DATA[settings.country]) throw new RangeError(`unsupported demo country "${String(settings.country)}"`);

  const plans = function* (): Generator<DebtorPlan> {
    for (let i = 0; i < count; i++) yield planDebtor(settings, i);
  };
  return {
    debtors: { [Symbol.iterator]: () => debtorRows(settings, count) },
    obligations: {
      *[Symbol.iterator]() {
        for (const plan of plans()) {
          for (const o of plan.obligations) {
            yield {
              external_id: o.externalId,
              debtor_external_id: plan.externalId,
              kind: o.kind,
              product: o.product,
              currency: o.currency,
              amount: formatDecimal(o.amount, o.currency),
              issued_on: o.issuedOn,
              due_on: o.dueOn,
              portfolio: o.portfolio,
            };
          }
        }
      },
    },
    payments: {
      *[Symbol.iterator]() {
        for (const plan of plans()) {
          for (const p of plan.payments) {
            yield {
              external_id: p.externalId,
              debtor_external_id: plan.externalId,
              obligation_external_id: p.obligationExternalId ?? '',
              amount: formatDecimal(p.amount, p.currency),
              currency: p.currency,
              paid_on: p.paidOn,
              method: p.method,
              reference: p.reference,
            };
          }
        }
      },
    },
  };
}

function* debtorRows(settings: PlanSettings, count: number): Generator<DemoRow> {
  const data = COUNTRY_DATA[settings.country];
  // A fresh instance, not faker's shared singleton: two demos generated side by side must not disturb each other.
  const faker = new Faker({ locale: data.fakerLocale === 'es_MX' ? [es_MX, es, base] : [es, base] });
  faker.seed(settings.seed);
  const regions = regionTable(settings.country);
  const twoSurnames = settings.country !== 'AR';

  for (let i = 0; i < count; i++) {
    const head = planHead(settings, i);
    const random = new Random(settings.seed, i, STREAM_IDENTITY);
    const region = regions.draw(random);
    const city = random.pick(region.cities);
    const postal = String(city.postal + random.int(0, 40)).padStart(data.postalDigits, '0');

    let name: string;
    let taxId: string;
    let email = '';
    const tags: string[] = [];
    if (head.type === 'company') {
      const trade = random.pick(COMPANY_TRADES);
      const style = random.int(0, 9);
      const brand =
        style < 6 ? `${trade} ${oneSurname(faker.person.lastName())}`
        // "Materiales de Puebla": a state's name takes no article.
        : style < 7 ? `${trade} de ${region.name}`
        : style < 9 ? `${oneSurname(faker.person.lastName())} Hermanos`
        : `${oneSurname(faker.person.lastName())} e Hijos`;
      name = `${brand} ${random.pick(data.companySuffixes)}`;
      taxId = taxIdFor(settings.country, random, { type: 'company', name });
      if (random.chance(0.95)) email = `${random.pick(COMPANY_MAILBOXES)}@${slug(brand).slice(0, 24)}.${COMPANY_TLD[settings.country]}`;
      if (random.chance(0.1)) tags.push('proveedor-clave');
    } else {
      const sex = random.chance(0.5) ? 'female' : 'male';
      const first = faker.person.firstName(sex);
      // Compound given names are common ("Ana Luisa"); faker yields some, this adds a few more.
      const given = !first.includes(' ') && random.chance(0.15) ? `${first} ${faker.person.firstName(sex)}` : first;
      const paternal = oneSurname(faker.person.lastName());
      // Argentines usually go by one surname; the other demo countries use both.
      const maternal = twoSurnames ? oneSurname(faker.person.lastName()) : '';
      name = [given, paternal, maternal].filter(Boolean).join(' ');
      taxId = taxIdFor(settings.country, random, { type: 'person', given, paternal, maternal, sex });
      if (random.chance(0.85)) email = personalEmail(random, given, paternal, random.pick(data.emailDomains));
      if (head.segment === 'Nómina') tags.push('nómina');
      if (head.segment === 'Preferente' && head.score >= 750) tags.push('vip');
      if (random.chance(0.4)) tags.push('digital');
    }
    const phone = random.chance(head.type === 'company' ? 0.9 : 0.95) ? mobileFor(settings.country, city, random) : '';
    const whatsapp = phone && random.chance(head.type === 'company' ? 0.3 : 0.75) ? phone : '';

    yield {
      external_id: head.externalId,
      name,
      type: head.type,
      tax_id: taxId,
      email,
      phone,
      whatsapp,
      country: settings.country,
      region: region.code,
      city: city.name,
      postal_code: postal,
      tags: tags.join(TAG_SEPARATOR),
      segmento_comercial: head.segment,
      score: String(head.score),
    };
  }
}
