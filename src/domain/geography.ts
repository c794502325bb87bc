/**
 * Countries and their first-level subdivisions: defaults for a company of each country, region codes and names, the
 * IANA time zone in which a debtor's days begin and end, and the postal code formats we check.
 *
 * Region codes are ISO 3166-2 subdivision codes without the country prefix ("JAL" for MX-JAL).
 */
import { t, type Text } from './text.ts';

/** Countries with defaults; the first seven are the ones the product is built for. */
export type CountryCode =
  | 'MX'
  | 'CO'
  | 'PE'
  | 'CL'
  | 'AR'
  | 'BR'
  | 'US'
  | 'EC'
  | 'GT'
  | 'UY'
  | 'PY'
  | 'BO'
  | 'CR'
  | 'PA'
  | 'DO'
  | 'SV'
  | 'HN'
  | 'NI';

/** Defaults for a company (or debtor) of one country. */
export interface CountryInfo {
  code: CountryCode;
  /** Name in the country's own language. */
  name: string;
  /** Time zone of the capital, or of most of the population where that differs. */
  timeZone: string;
  currency: string;
  locale: string;
  /** What the tax identifier is called on forms and reports. */
  taxIdLabel: string;
}

function country(code: CountryCode, name: string, timeZone: string, currency: string, locale: string, taxIdLabel: string): CountryInfo {
  return { code, name, timeZone, currency, locale, taxIdLabel };
}

/** Defaults per country. */
export const COUNTRIES: Readonly<Record<CountryCode, CountryInfo>> = {
  MX: country('MX', 'México', 'America/Mexico_City', 'MXN', 'es-MX', 'RFC'),
  CO: country('CO', 'Colombia', 'America/Bogota', 'COP', 'es-CO', 'NIT'),
  PE: country('PE', 'Perú', 'America/Lima', 'PEN', 'es-PE', 'RUC'),
  CL: country('CL', 'Chile', 'America/Santiago', 'CLP', 'es-CL', 'RUT'),
  AR: country('AR', 'Argentina', 'America/Argentina/Buenos_Aires', 'ARS', 'es-AR', 'CUIT'),
  BR: country('BR', 'Brasil', 'America/Sao_Paulo', 'BRL', 'pt-BR', 'CPF/CNPJ'),
  // Eastern time holds the largest share of the US population.
  US: country('US', 'United States', 'America/New_York', 'USD', 'en-US', 'EIN'),
  EC: country('EC', 'Ecuador', 'America/Guayaquil', 'USD', 'es-EC', 'RUC'),
  GT: country('GT', 'Guatemala', 'America/Guatemala', 'GTQ', 'es-GT', 'NIT'),
  UY: country('UY', 'Uruguay', 'America/Montevideo', 'UYU', 'es-UY', 'RUT'),
  PY: country('PY', 'Paraguay', 'America/Asuncion', 'PYG', 'es-PY', 'RUC'),
  BO: country('BO', 'Bolivia', 'America/La_Paz', 'BOB', 'es-BO', 'NIT'),
  CR: country('CR', 'Costa Rica', 'America/Costa_Rica', 'CRC', 'es-CR', 'Cédula jurídica'),
  // The balboa exists only as coins at par; prices and debts are in US dollars.
  PA: country('PA', 'Panamá', 'America/Panama', 'USD', 'es-PA', 'RUC'),
  DO: country('DO', 'República Dominicana', 'America/Santo_Domingo', 'DOP', 'es-DO', 'RNC'),
  SV: country('SV', 'El Salvador', 'America/El_Salvador', 'USD', 'es-SV', 'NIT'),
  HN: country('HN', 'Honduras', 'America/Tegucigalpa', 'HNL', 'es-HN', 'RTN'),
  NI: country('NI', 'Nicaragua', 'America/Managua', 'NIO', 'es-NI', 'RUC'),
};

/** Whether `code` (exact, upper case) is a country with defaults. */
export function isCountryCode(code: string): code is CountryCode {
  return Object.hasOwn(COUNTRIES, code);
}

/** Defaults of a country given in any case, or null when we have none. */
export function countryInfo(code: string): CountryInfo | null {
  const upper = code.trim().toUpperCase();
  return isCountryCode(upper) ? COUNTRIES[upper] : null;
}

/** A first-level subdivision: state, department, region or province. */
export interface Region {
  /** ISO 3166-2 code without the country prefix. */
  code: string;
  /** Official name in the country's language, in its common short form. */
  name: string;
  timeZone: string;
  /** Other names and abbreviations people write for it; accents and case do not matter. */
  aliases: readonly string[];
}

/** A Mexican state, with its weight for drawing states in proportion to population. */
export interface MexicanState extends Region {
  /** Population at the 2020 census, in thousands, rounded: only the proportions matter. */
  populationWeight: number;
}

const MEXICO_CITY = 'America/Mexico_City';
const MAZATLAN = 'America/Mazatlan';

function mxState(code: string, name: string, timeZone: string, populationWeight: number, aliases: readonly string[] = []): MexicanState {
  return { code, name, timeZone, aliases, populationWeight };
}

/**
 * Mexico's 32 states. Time zones follow the 2022 Ley de los Husos Horarios (no daylight saving time except along the
 * US border) at state level. Simplified away: the border municipalities that keep US daylight saving time (Ciudad
 * Juárez, America/Ciudad_Juarez; Ojinaga and the Coahuila, Nuevo León and Tamaulipas border strip, America/Matamoros
 * and America/Ojinaga) and Bahía de Banderas in Nayarit, which keeps central time (America/Bahia_Banderas). Chihuahua
 * is on central time since 2022; Sonora has kept mountain standard time all year since 1999.
 */
export const MX_STATES: readonly MexicanState[] = [
  mxState('AGU', 'Aguascalientes', MEXICO_CITY, 1426, ['Ags']),
  mxState('BCN', 'Baja California', 'America/Tijuana', 3769, ['BC', 'Baja California Norte']),
  mxState('BCS', 'Baja California Sur', MAZATLAN, 798),
  mxState('CAM', 'Campeche', MEXICO_CITY, 928, ['Camp']),
  mxState('CHP', 'Chiapas', MEXICO_CITY, 5544, ['Chis']),
  mxState('CHH', 'Chihuahua', 'America/Chihuahua', 3742, ['Chih']),
  mxState('CMX', 'Ciudad de México', MEXICO_CITY, 9210, ['CDMX', 'Mexico City', 'Distrito Federal', 'DF', 'DIF']),
  mxState('COA', 'Coahuila', MEXICO_CITY, 3147, ['Coahuila de Zaragoza', 'Coah']),
  mxState('COL', 'Colima', MEXICO_CITY, 731),
  mxState('DUR', 'Durango', MEXICO_CITY, 1833, ['Dgo']),
  mxState('GUA', 'Guanajuato', MEXICO_CITY, 6167, ['Gto']),
  mxState('GRO', 'Guerrero', MEXICO_CITY, 3541),
  mxState('HID', 'Hidalgo', MEXICO_CITY, 3083, ['Hgo']),
  mxState('JAL', 'Jalisco', MEXICO_CITY, 8348),
  mxState('MEX', 'Estado de México', MEXICO_CITY, 16992, ['México', 'Edomex', 'Edo Mex', 'Edo de México', 'State of Mexico']),
  mxState('MIC', 'Michoacán', MEXICO_CITY, 4749, ['Michoacán de Ocampo', 'Mich']),
  mxState('MOR', 'Morelos', MEXICO_CITY, 1972),
  mxState('NAY', 'Nayarit', MAZATLAN, 1235),
  mxState('NLE', 'Nuevo León', MEXICO_CITY, 5784, ['NL']),
  mxState('OAX', 'Oaxaca', MEXICO_CITY, 4132),
  mxState('PUE', 'Puebla', MEXICO_CITY, 6583),
  mxState('QUE', 'Querétaro', MEXICO_CITY, 2368, ['Querétaro de Arteaga', 'Qro']),
  mxState('ROO', 'Quintana Roo', 'America/Cancun', 1858, ['QR', 'Q Roo', 'QRoo']),
  mxState('SLP', 'San Luis Potosí', MEXICO_CITY, 2822),
  mxState('SIN', 'Sinaloa', MAZATLAN, 3027),
  mxState('SON', 'Sonora', 'America/Hermosillo', 2945),
  mxState('TAB', 'Tabasco', MEXICO_CITY, 2403),
  mxState('TAM', 'Tamaulipas', MEXICO_CITY, 3528, ['Tamps']),
  mxState('TLA', 'Tlaxcala', MEXICO_CITY, 1343, ['Tlax']),
  mxState('VER', 'Veracruz', MEXICO_CITY, 8063, ['Veracruz de Ignacio de la Llave']),
  mxState('YUC', 'Yucatán', MEXICO_CITY, 2321),
  mxState('ZAC', 'Zacatecas', MEXICO_CITY, 1622),
];

function region(code: string, name: string, timeZone: string, aliases: readonly string[] = []): Region {
  return { code, name, timeZone, aliases };
}

function regionsIn(timeZone: string, rows: ReadonlyArray<readonly [code: string, name: string, aliases?: readonly string[]]>): Region[] {
  return rows.map(([code, name, aliases]) => region(code, name, timeZone, aliases));
}

/** Colombia's 32 departments and the capital district; one time zone. */
export const CO_DEPARTMENTS: readonly Region[] = regionsIn('America/Bogota', [
  ['AMA', 'Amazonas'],
  ['ANT', 'Antioquia'],
  ['ARA', 'Arauca'],
  ['ATL', 'Atlántico'],
  ['BOL', 'Bolívar'],
  ['BOY', 'Boyacá'],
  ['CAL', 'Caldas'],
  ['CAQ', 'Caquetá'],
  ['CAS', 'Casanare'],
  ['CAU', 'Cauca'],
  ['CES', 'Cesar'],
  ['CHO', 'Chocó'],
  ['COR', 'Córdoba'],
  ['CUN', 'Cundinamarca'],
  ['DC', 'Bogotá', ['Bogotá D.C.', 'Distrito Capital', 'Distrito Capital de Bogotá', 'Santa Fe de Bogotá']],
  ['GUA', 'Guainía'],
  ['GUV', 'Guaviare'],
  ['HUI', 'Huila'],
  ['LAG', 'La Guajira', ['Guajira']],
  ['MAG', 'Magdalena'],
  ['MET', 'Meta'],
  ['NAR', 'Nariño'],
  ['NSA', 'Norte de Santander'],
  ['PUT', 'Putumayo'],
  ['QUI', 'Quindío'],
  ['RIS', 'Risaralda'],
  ['SAN', 'Santander'],
  ['SAP', 'San Andrés y Providencia', ['San Andrés', 'San Andrés, Providencia y Santa Catalina', 'Archipiélago de San Andrés, Providencia y Santa Catalina']],
  ['SUC', 'Sucre'],
  ['TOL', 'Tolima'],
  ['VAC', 'Valle del Cauca', ['Valle']],
  ['VAU', 'Vaupés'],
  ['VID', 'Vichada'],
]);

/**
 * Peru's 24 departments, the Callao and Lima Metropolitana; one time zone. "Lima" alone is the department (LIM), as in
 * ISO 3166-2; Lima Metropolitana is LMA.
 */
export const PE_REGIONS: readonly Region[] = regionsIn('America/Lima', [
  ['AMA', 'Amazonas'],
  ['ANC', 'Áncash'],
  ['APU', 'Apurímac'],
  ['ARE', 'Arequipa'],
  ['AYA', 'Ayacucho'],
  ['CAJ', 'Cajamarca'],
  ['CAL', 'Callao', ['El Callao', 'Provincia Constitucional del Callao']],
  ['CUS', 'Cusco', ['Cuzco']],
  ['HUV', 'Huancavelica'],
  ['HUC', 'Huánuco'],
  ['ICA', 'Ica'],
  ['JUN', 'Junín'],
  ['LAL', 'La Libertad'],
  ['LAM', 'Lambayeque'],
  ['LIM', 'Lima', ['Lima Provincias']],
  ['LMA', 'Lima Metropolitana', ['Municipalidad Metropolitana de Lima']],
  ['LOR', 'Loreto'],
  ['MDD', 'Madre de Dios'],
  ['MOQ', 'Moquegua'],
  ['PAS', 'Pasco'],
  ['PIU', 'Piura'],
  ['PUN', 'Puno'],
  ['SAM', 'San Martín'],
  ['TAC', 'Tacna'],
  ['TUM', 'Tumbes'],
  ['UCA', 'Ucayali'],
]);

/**
 * Chile's 16 regions, also known by their Roman numerals. Magallanes (since 2017) and Aysén (since 2025) stay on
 * UTC−3 all year; the rest follows Santiago. Easter Island (Pacific/Easter, part of Valparaíso) is not distinguished.
 */
export const CL_REGIONS: readonly Region[] = [
  ...regionsIn('America/Santiago', [
    ['AP', 'Arica y Parinacota', ['Arica', 'XV']],
    ['TA', 'Tarapacá', ['I']],
    ['AN', 'Antofagasta', ['II']],
    ['AT', 'Atacama', ['III']],
    ['CO', 'Coquimbo', ['IV']],
    ['VS', 'Valparaíso', ['V']],
    ['RM', 'Metropolitana', ['Región Metropolitana de Santiago', 'Metropolitana de Santiago', 'Santiago', 'XIII']],
    ['LI', "O'Higgins", ["Libertador General Bernardo O'Higgins", "Libertador Bernardo O'Higgins", 'VI']],
    ['ML', 'Maule', ['VII']],
    ['NB', 'Ñuble', ['XVI']],
    ['BI', 'Biobío', ['Bío Bío', 'VIII']],
    ['AR', 'La Araucanía', ['Araucanía', 'IX']],
    ['LR', 'Los Ríos', ['XIV']],
    ['LL', 'Los Lagos', ['X']],
  ]),
  ...regionsIn('America/Coyhaique', [['AI', 'Aysén', ['Aisén', 'Aysén del General Carlos Ibáñez del Campo', 'XI']]]),
  ...regionsIn('America/Punta_Arenas', [['MA', 'Magallanes', ['Magallanes y de la Antártica Chilena', 'Magallanes y la Antártica Chilena', 'XII']]]),
];

/**
 * Argentina's 23 provinces and the autonomous city. The whole country keeps UTC−3, so one zone serves all. "Buenos
 * Aires" alone is the province (B), as in ISO 3166-2; the city is C (CABA).
 */
export const AR_PROVINCES: readonly Region[] = regionsIn('America/Argentina/Buenos_Aires', [
  ['A', 'Salta'],
  ['B', 'Buenos Aires', ['Provincia de Buenos Aires', 'PBA', 'Bs As']],
  ['C', 'Ciudad Autónoma de Buenos Aires', ['CABA', 'Capital Federal', 'Ciudad de Buenos Aires']],
  ['D', 'San Luis'],
  ['E', 'Entre Ríos'],
  ['F', 'La Rioja'],
  ['G', 'Santiago del Estero'],
  ['H', 'Chaco'],
  ['J', 'San Juan'],
  ['K', 'Catamarca'],
  ['L', 'La Pampa'],
  ['M', 'Mendoza'],
  ['N', 'Misiones'],
  ['P', 'Formosa'],
  ['Q', 'Neuquén'],
  ['R', 'Río Negro'],
  ['S', 'Santa Fe'],
  ['T', 'Tucumán'],
  ['U', 'Chubut'],
  ['V', 'Tierra del Fuego', ['Tierra del Fuego, Antártida e Islas del Atlántico Sur']],
  ['W', 'Corrientes'],
  ['X', 'Córdoba'],
  ['Y', 'Jujuy'],
  ['Z', 'Santa Cruz'],
]);

/**
 * Brazil's 26 states and the federal district. Brazil has had no daylight saving time since 2019, so the zones differ
 * only by offset: UTC−3 (most), UTC−4 (AM, MT, MS, RO, RR), UTC−5 (AC). Western Amazonas (UTC−5) and Fernando de
 * Noronha (UTC−2) are not distinguished.
 */
export const BR_STATES: readonly Region[] = [
  region('AC', 'Acre', 'America/Rio_Branco'),
  region('AL', 'Alagoas', 'America/Maceio'),
  region('AP', 'Amapá', 'America/Belem'),
  region('AM', 'Amazonas', 'America/Manaus'),
  region('BA', 'Bahia', 'America/Bahia'),
  region('CE', 'Ceará', 'America/Fortaleza'),
  region('DF', 'Distrito Federal', 'America/Sao_Paulo', ['Brasília']),
  region('ES', 'Espírito Santo', 'America/Sao_Paulo'),
  region('GO', 'Goiás', 'America/Sao_Paulo'),
  region('MA', 'Maranhão', 'America/Fortaleza'),
  region('MT', 'Mato Grosso', 'America/Cuiaba'),
  region('MS', 'Mato Grosso do Sul', 'America/Campo_Grande'),
  region('MG', 'Minas Gerais', 'America/Sao_Paulo'),
  region('PA', 'Pará', 'America/Belem'),
  region('PB', 'Paraíba', 'America/Fortaleza'),
  region('PR', 'Paraná', 'America/Sao_Paulo'),
  region('PE', 'Pernambuco', 'America/Recife'),
  region('PI', 'Piauí', 'America/Fortaleza'),
  region('RJ', 'Rio de Janeiro', 'America/Sao_Paulo'),
  region('RN', 'Rio Grande do Norte', 'America/Fortaleza'),
  region('RS', 'Rio Grande do Sul', 'America/Sao_Paulo'),
  region('RO', 'Rondônia', 'America/Porto_Velho'),
  region('RR', 'Roraima', 'America/Boa_Vista'),
  region('SC', 'Santa Catarina', 'America/Sao_Paulo'),
  region('SP', 'São Paulo', 'America/Sao_Paulo'),
  region('SE', 'Sergipe', 'America/Maceio'),
  region('TO', 'Tocantins', 'America/Araguaina'),
];

/**
 * The United States' 50 states and the District of Columbia (many Latin-American portfolios hold debtors who live
 * there), with Spanish names as aliases. A state that spans two zones gets the one most of its people live in (Florida
 * and Michigan Eastern, Tennessee and the Dakotas Central, Idaho Mountain, Kentucky and Indiana their main cities'
 * zones); a debtor's own time_zone column says otherwise where it matters.
 */
export const US_STATES: readonly Region[] = [
  region('AL', 'Alabama', 'America/Chicago'),
  region('AK', 'Alaska', 'America/Anchorage'),
  region('AZ', 'Arizona', 'America/Phoenix'),
  region('AR', 'Arkansas', 'America/Chicago'),
  region('CA', 'California', 'America/Los_Angeles'),
  region('CO', 'Colorado', 'America/Denver'),
  region('CT', 'Connecticut', 'America/New_York'),
  region('DE', 'Delaware', 'America/New_York'),
  region('DC', 'District of Columbia', 'America/New_York', ['Washington DC', 'Washington D.C.', 'Distrito de Columbia']),
  region('FL', 'Florida', 'America/New_York'),
  region('GA', 'Georgia', 'America/New_York'),
  region('HI', 'Hawaii', 'Pacific/Honolulu', ['Hawái']),
  region('ID', 'Idaho', 'America/Boise'),
  region('IL', 'Illinois', 'America/Chicago'),
  region('IN', 'Indiana', 'America/Indiana/Indianapolis'),
  region('IA', 'Iowa', 'America/Chicago'),
  region('KS', 'Kansas', 'America/Chicago'),
  region('KY', 'Kentucky', 'America/Kentucky/Louisville'),
  region('LA', 'Louisiana', 'America/Chicago', ['Luisiana']),
  region('ME', 'Maine', 'America/New_York'),
  region('MD', 'Maryland', 'America/New_York'),
  region('MA', 'Massachusetts', 'America/New_York'),
  region('MI', 'Michigan', 'America/Detroit'),
  region('MN', 'Minnesota', 'America/Chicago'),
  region('MS', 'Mississippi', 'America/Chicago', ['Misisipi']),
  region('MO', 'Missouri', 'America/Chicago', ['Misuri']),
  region('MT', 'Montana', 'America/Denver'),
  region('NE', 'Nebraska', 'America/Chicago'),
  region('NV', 'Nevada', 'America/Los_Angeles'),
  region('NH', 'New Hampshire', 'America/New_York', ['Nuevo Hampshire']),
  region('NJ', 'New Jersey', 'America/New_York', ['Nueva Jersey']),
  region('NM', 'New Mexico', 'America/Denver', ['Nuevo México']),
  region('NY', 'New York', 'America/New_York', ['Nueva York']),
  region('NC', 'North Carolina', 'America/New_York', ['Carolina del Norte']),
  region('ND', 'North Dakota', 'America/Chicago', ['Dakota del Norte']),
  region('OH', 'Ohio', 'America/New_York'),
  region('OK', 'Oklahoma', 'America/Chicago'),
  region('OR', 'Oregon', 'America/Los_Angeles', ['Oregón']),
  region('PA', 'Pennsylvania', 'America/New_York', ['Pensilvania']),
  region('RI', 'Rhode Island', 'America/New_York'),
  region('SC', 'South Carolina', 'America/New_York', ['Carolina del Sur']),
  region('SD', 'South Dakota', 'America/Chicago', ['Dakota del Sur']),
  region('TN', 'Tennessee', 'America/Chicago'),
  region('TX', 'Texas', 'America/Chicago'),
  region('UT', 'Utah', 'America/Denver'),
  region('VT', 'Vermont', 'America/New_York'),
  region('VA', 'Virginia', 'America/New_York'),
  region('WA', 'Washington', 'America/Los_Angeles'),
  region('WV', 'West Virginia', 'America/New_York', ['Virginia Occidental']),
  region('WI', 'Wisconsin', 'America/Chicago'),
  region('WY', 'Wyoming', 'America/Denver'),
];

const REGIONS: Partial<Record<CountryCode, readonly Region[]>> = {
  MX: MX_STATES,
  CO: CO_DEPARTMENTS,
  PE: PE_REGIONS,
  CL: CL_REGIONS,
  AR: AR_PROVINCES,
  BR: BR_STATES,
  US: US_STATES,
};

/** The subdivisions we know for a country (any case); empty when we keep none. */
export function regionsOf(country: string): readonly Region[] {
  const upper = country.trim().toUpperCase();
  return isCountryCode(upper) ? (REGIONS[upper] ?? []) : [];
}

/** Lower case, no accents, apostrophes dropped ("O'Higgins" = "OHiggins"), other punctuation as single spaces. */
function key(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// Words people put around a region's name ("Región de Valparaíso", "Provincia de Córdoba", "V Región").
const FRAMING = /^(?:(?:region|provincia|departamento|estado|state) (?:(?:de la|del|de|of) )?)|(?: region)$/;

function buildIndex(regions: readonly Region[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const region of regions) {
    for (const name of [region.code, region.name, ...region.aliases]) index.set(key(name), region.code);
  }
  return index;
}

const indexes = new Map<string, Map<string, string>>();

function indexOf(country: string): Map<string, string> {
  let index = indexes.get(country);
  if (!index) {
    index = buildIndex(regionsOf(country));
    indexes.set(country, index);
  }
  return index;
}

/**
 * The canonical region code for a code ("JAL", "mx-jal") or a name in any case, with or without accents ("Jalisco",
 * "nuevo leon", "Región de Valparaíso"); null when it names no region of that country.
 */
export function resolveRegion(country: string, input: string): string | null {
  const upper = country.trim().toUpperCase();
  const index = indexOf(upper);
  const trimmed = input.trim();
  const wanted = key(trimmed.toUpperCase().startsWith(`${upper}-`) ? trimmed.slice(upper.length + 1) : trimmed);
  if (wanted === '') return null;
  return index.get(wanted) ?? index.get(wanted.replace(FRAMING, '')) ?? null;
}

/**
 * What a region written in a segment rule or a list filter means for a debtor of each country whose regions we know
 * and where the text names one by another spelling, read exactly as an import reads a debtor's region: "CDMX" →
 * { MX: 'CMX' }, "Amazonas" → { CO: 'AMA', PE: 'AMA', BR: 'AM' }, "JAL" → {}. For a debtor of any other country the
 * text stands as written, which is also how an import stores the regions of a country we keep no list for.
 */
export function regionCodesFor(text: string): Partial<Record<CountryCode, string>> {
  const codes: Partial<Record<CountryCode, string>> = {};
  for (const country of Object.keys(REGIONS) as CountryCode[]) {
    const code = resolveRegion(country, text);
    if (code !== null && code !== text) codes[country] = code;
  }
  return codes;
}

/**
 * The IANA time zone for a country and optional region (code or name): the region's zone when we know the region,
 * else the country's default, else UTC for a country we keep nothing for.
 */
export function timeZoneFor(country: string, region?: string | null): string {
  const upper = country.trim().toUpperCase();
  if (region) {
    const code = resolveRegion(upper, region);
    const found = code === null ? undefined : regionsOf(upper).find((r) => r.code === code);
    if (found) return found.timeZone;
  }
  return countryInfo(upper)?.timeZone ?? 'UTC';
}

/**
 * Postal code formats we check, per country; any other country's postal code is kept as written. Mexico's código
 * postal (SEPOMEX) is always five digits, and a leading zero is part of it (01000 is Álvaro Obregón, in Mexico City):
 * it is text, never a number.
 */
const POSTAL_CODES: Partial<Record<CountryCode, { pattern: RegExp; digits: number; example: string }>> = {
  MX: { pattern: /^[0-9]{5}$/, digits: 5, example: '01000' },
};

/**
 * Why `code` (already trimmed) is not a postal code of `country`, or null when it is one, or when we check no format
 * for that country.
 */
export function postalCodeProblem(country: string, code: string): Text | null {
  const upper = country.trim().toUpperCase();
  const format = isCountryCode(upper) ? POSTAL_CODES[upper] : undefined;
  if (format === undefined || format.pattern.test(code)) return null;
  const rule = t(
    `"${code}" is not a postal code of ${upper}: it must be ${format.digits} digits, e.g. ${format.example}`,
    `"${code}" no es un código postal de ${upper}: debe tener ${format.digits} dígitos, p. ej. ${format.example}`,
  );
  // Fewer digits than the format: most likely a spreadsheet that read the code as a number and dropped its zeros.
  if (/^[0-9]+$/.test(code) && code.length < format.digits) {
    return t(
      `${rule.en} (if a spreadsheet dropped its leading zeros, format the column as text)`,
      `${rule.es} (si una hoja de cálculo le quitó los ceros iniciales, dé a la columna formato de texto)`,
    );
  }
  return rule;
}
