/**
 * What the demo needs to look local in each country: regions weighted by population (ISO 3166-2 subdivision codes,
 * the ones src/domain/geography.ts maps to time zones), a few cities each with a postal code and phone area code,
 * the currency and a rough price level, company suffixes and how people pay.
 */
import { WeightedTable } from './random.ts';

/** Countries the demo can generate. */
export type DemoCountry = 'MX' | 'CO' | 'PE' | 'CL' | 'AR';
export const DEMO_COUNTRIES: readonly DemoCountry[] = ['MX', 'CO', 'PE', 'CL', 'AR'];

export interface City {
  name: string;
  /** First postal code of the city; the demo adds a small offset within its range. */
  postal: number;
  /** Long-distance prefix for fixed-line style mobiles (MX, AR); unused where mobiles are not geographic. */
  areaCode?: string;
}

export interface Region {
  code: string;
  name: string;
  /** Population in thousands (2020–2023 censuses and projections, rounded): where debtors live. */
  population: number;
  cities: City[];
}

export interface CountryData {
  code: DemoCountry;
  currency: string;
  /** Which faker locale names people and companies. */
  fakerLocale: 'es_MX' | 'es';
  /** Digits of the postal code (leading zeros kept). */
  postalDigits: number;
  /** Local price level relative to MXN as a fraction, so amounts stay integers: local minor = MXN cents × num / den. */
  priceLevel: { num: number; den: number };
  companySuffixes: readonly string[];
  paymentMethods: readonly string[];
  emailDomains: readonly string[];
  regions: Region[];
}

const c = (name: string, postal: number, areaCode?: string): City => (areaCode === undefined ? { name, postal } : { name, postal, areaCode });

const MX: CountryData = {
  code: 'MX',
  currency: 'MXN',
  fakerLocale: 'es_MX',
  postalDigits: 5,
  priceLevel: { num: 1, den: 1 },
  companySuffixes: ['S.A. de C.V.', 'S. de R.L. de C.V.', 'S.A.P.I. de C.V.'],
  paymentMethods: ['SPEI', 'SPEI', 'SPEI', 'OXXO', 'tarjeta', 'domiciliación', 'efectivo'],
  emailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'hotmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.mx', 'prodigy.net.mx', 'icloud.com'],
  regions: [
    { code: 'MEX', name: 'Estado de México', population: 16992, cities: [c('Ecatepec de Morelos', 55000, '55'), c('Nezahualcóyotl', 57000, '55'), c('Naucalpan de Juárez', 53000, '55'), c('Toluca', 50000, '722'), c('Tlalnepantla de Baz', 54000, '55')] },
    { code: 'CMX', name: 'Ciudad de México', population: 9209, cities: [c('Iztapalapa', 9000, '55'), c('Gustavo A. Madero', 7000, '55'), c('Coyoacán', 4000, '55'), c('Benito Juárez', 3000, '55'), c('Cuauhtémoc', 6000, '55'), c('Álvaro Obregón', 1000, '55'), c('Tlalpan', 14000, '55')] },
    { code: 'JAL', name: 'Jalisco', population: 8348, cities: [c('Guadalajara', 44100, '33'), c('Zapopan', 45000, '33'), c('San Pedro Tlaquepaque', 45500, '33'), c('Puerto Vallarta', 48300, '322')] },
    { code: 'VER', name: 'Veracruz', population: 8062, cities: [c('Veracruz', 91700, '229'), c('Xalapa', 91000, '228'), c('Coatzacoalcos', 96400, '921')] },
    { code: 'PUE', name: 'Puebla', population: 6583, cities: [c('Puebla', 72000, '222'), c('Tehuacán', 75700, '238')] },
    { code: 'GUA', name: 'Guanajuato', population: 6166, cities: [c('León', 37000, '477'), c('Irapuato', 36500, '462'), c('Celaya', 38000, '461')] },
    { code: 'NLE', name: 'Nuevo León', population: 5784, cities: [c('Monterrey', 64000, '81'), c('Guadalupe', 67100, '81'), c('San Nicolás de los Garza', 66400, '81'), c('Apodaca', 66600, '81')] },
    { code: 'CHP', name: 'Chiapas', population: 5544, cities: [c('Tuxtla Gutiérrez', 29000, '961'), c('Tapachula', 30700, '962')] },
    { code: 'MIC', name: 'Michoacán', population: 4749, cities: [c('Morelia', 58000, '443'), c('Uruapan', 60000, '452')] },
    { code: 'OAX', name: 'Oaxaca', population: 4132, cities: [c('Oaxaca de Juárez', 68000, '951')] },
    { code: 'BCN', name: 'Baja California', population: 3769, cities: [c('Tijuana', 22000, '664'), c('Mexicali', 21000, '686'), c('Ensenada', 22800, '646')] },
    { code: 'CHH', name: 'Chihuahua', population: 3742, cities: [c('Chihuahua', 31000, '614'), c('Ciudad Juárez', 32000, '656')] },
    { code: 'GRO', name: 'Guerrero', population: 3541, cities: [c('Acapulco de Juárez', 39300, '744'), c('Chilpancingo', 39000, '747')] },
    { code: 'TAM', name: 'Tamaulipas', population: 3528, cities: [c('Reynosa', 88500, '899'), c('Matamoros', 87300, '868'), c('Tampico', 89000, '833'), c('Nuevo Laredo', 88000, '867')] },
    { code: 'COA', name: 'Coahuila', population: 3147, cities: [c('Saltillo', 25000, '844'), c('Torreón', 27000, '871')] },
    { code: 'HID', name: 'Hidalgo', population: 3083, cities: [c('Pachuca de Soto', 42000, '771')] },
    { code: 'SIN', name: 'Sinaloa', population: 3027, cities: [c('Culiacán', 80000, '667'), c('Mazatlán', 82000, '669')] },
    { code: 'SON', name: 'Sonora', population: 2945, cities: [c('Hermosillo', 83000, '662'), c('Ciudad Obregón', 85000, '644')] },
    { code: 'SLP', name: 'San Luis Potosí', population: 2822, cities: [c('San Luis Potosí', 78000, '444')] },
    { code: 'TAB', name: 'Tabasco', population: 2402, cities: [c('Villahermosa', 86000, '993')] },
    { code: 'QUE', name: 'Querétaro', population: 2368, cities: [c('Santiago de Querétaro', 76000, '442')] },
    { code: 'YUC', name: 'Yucatán', population: 2321, cities: [c('Mérida', 97000, '999')] },
    { code: 'MOR', name: 'Morelos', population: 1971, cities: [c('Cuernavaca', 62000, '777')] },
    { code: 'ROO', name: 'Quintana Roo', population: 1858, cities: [c('Cancún', 77500, '998'), c('Chetumal', 77000, '983'), c('Playa del Carmen', 77710, '984')] },
    { code: 'DUR', name: 'Durango', population: 1833, cities: [c('Durango', 34000, '618'), c('Gómez Palacio', 35000, '871')] },
    { code: 'ZAC', name: 'Zacatecas', population: 1622, cities: [c('Zacatecas', 98000, '492')] },
    { code: 'AGU', name: 'Aguascalientes', population: 1426, cities: [c('Aguascalientes', 20000, '449')] },
    { code: 'TLA', name: 'Tlaxcala', population: 1343, cities: [c('Tlaxcala', 90000, '246')] },
    { code: 'NAY', name: 'Nayarit', population: 1236, cities: [c('Tepic', 63000, '311')] },
    { code: 'CAM', name: 'Campeche', population: 928, cities: [c('San Francisco de Campeche', 24000, '981'), c('Ciudad del Carmen', 24100, '938')] },
    { code: 'BCS', name: 'Baja California Sur', population: 798, cities: [c('La Paz', 23000, '612'), c('San José del Cabo', 23400, '624')] },
    { code: 'COL', name: 'Colima', population: 731, cities: [c('Colima', 28000, '312'), c('Manzanillo', 28200, '314')] },
  ],
};

const CO: CountryData = {
  code: 'CO',
  currency: 'COP',
  fakerLocale: 'es',
  postalDigits: 6,
  priceLevel: { num: 215, den: 1 },
  companySuffixes: ['S.A.S.', 'S.A.S.', 'S.A.', 'Ltda.'],
  paymentMethods: ['PSE', 'PSE', 'Efecty', 'tarjeta', 'transferencia', 'Nequi'],
  emailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com', 'une.net.co'],
  regions: [
    { code: 'DC', name: 'Bogotá D.C.', population: 7900, cities: [c('Bogotá', 110111)] },
    { code: 'ANT', name: 'Antioquia', population: 6850, cities: [c('Medellín', 50001), c('Bello', 51050), c('Itagüí', 55410), c('Envigado', 55420)] },
    { code: 'VAC', name: 'Valle del Cauca', population: 4550, cities: [c('Cali', 760001), c('Palmira', 763531), c('Buenaventura', 764501)] },
    { code: 'CUN', name: 'Cundinamarca', population: 3400, cities: [c('Soacha', 250051), c('Zipaquirá', 250251), c('Chía', 250001), c('Facatativá', 253051)] },
    { code: 'ATL', name: 'Atlántico', population: 2800, cities: [c('Barranquilla', 80001), c('Soledad', 83001)] },
    { code: 'SAN', name: 'Santander', population: 2300, cities: [c('Bucaramanga', 680001), c('Floridablanca', 681001)] },
    { code: 'BOL', name: 'Bolívar', population: 2200, cities: [c('Cartagena de Indias', 130001)] },
    { code: 'COR', name: 'Córdoba', population: 1850, cities: [c('Montería', 230001)] },
    { code: 'NAR', name: 'Nariño', population: 1650, cities: [c('Pasto', 520001)] },
    { code: 'NSA', name: 'Norte de Santander', population: 1650, cities: [c('Cúcuta', 540001)] },
    { code: 'CAU', name: 'Cauca', population: 1520, cities: [c('Popayán', 190001)] },
    { code: 'MAG', name: 'Magdalena', population: 1450, cities: [c('Santa Marta', 470001)] },
    { code: 'TOL', name: 'Tolima', population: 1350, cities: [c('Ibagué', 730001)] },
    { code: 'CES', name: 'Cesar', population: 1350, cities: [c('Valledupar', 200001)] },
    { code: 'BOY', name: 'Boyacá', population: 1260, cities: [c('Tunja', 150001), c('Duitama', 150461)] },
    { code: 'HUI', name: 'Huila', population: 1130, cities: [c('Neiva', 410001)] },
    { code: 'MET', name: 'Meta', population: 1100, cities: [c('Villavicencio', 500001)] },
    { code: 'CAL', name: 'Caldas', population: 1030, cities: [c('Manizales', 170001)] },
    { code: 'RIS', name: 'Risaralda', population: 970, cities: [c('Pereira', 660001), c('Dosquebradas', 661001)] },
    { code: 'QUI', name: 'Quindío', population: 560, cities: [c('Armenia', 630001)] },
  ],
};

const PE: CountryData = {
  code: 'PE',
  currency: 'PEN',
  fakerLocale: 'es',
  postalDigits: 5,
  priceLevel: { num: 19, den: 100 },
  companySuffixes: ['S.A.C.', 'S.A.C.', 'S.A.', 'E.I.R.L.', 'S.R.L.'],
  paymentMethods: ['transferencia', 'transferencia', 'Yape', 'Yape', 'tarjeta', 'agente', 'PagoEfectivo'],
  emailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.es'],
  regions: [
    { code: 'LMA', name: 'Lima Metropolitana', population: 10000, cities: [c('San Juan de Lurigancho', 15401), c('Santiago de Surco', 15023), c('Los Olivos', 15304), c('Ate', 15022), c('Comas', 15311), c('Miraflores', 15074)] },
    { code: 'PIU', name: 'Piura', population: 2050, cities: [c('Piura', 20001), c('Sullana', 20101)] },
    { code: 'LAL', name: 'La Libertad', population: 2000, cities: [c('Trujillo', 13001)] },
    { code: 'ARE', name: 'Arequipa', population: 1500, cities: [c('Arequipa', 4001)] },
    { code: 'CAJ', name: 'Cajamarca', population: 1450, cities: [c('Cajamarca', 6001)] },
    { code: 'CUS', name: 'Cusco', population: 1370, cities: [c('Cusco', 8001)] },
    { code: 'JUN', name: 'Junín', population: 1370, cities: [c('Huancayo', 12001)] },
    { code: 'LAM', name: 'Lambayeque', population: 1350, cities: [c('Chiclayo', 14001)] },
    { code: 'PUN', name: 'Puno', population: 1240, cities: [c('Juliaca', 21101), c('Puno', 21001)] },
    { code: 'ANC', name: 'Áncash', population: 1180, cities: [c('Chimbote', 2801), c('Huaraz', 2001)] },
    { code: 'CAL', name: 'Callao', population: 1150, cities: [c('Callao', 7001)] },
    { code: 'LOR', name: 'Loreto', population: 1030, cities: [c('Iquitos', 16001)] },
    { code: 'LIM', name: 'Lima (región)', population: 1000, cities: [c('Huacho', 15101), c('Cañete', 15701)] },
    { code: 'ICA', name: 'Ica', population: 980, cities: [c('Ica', 11001)] },
  ],
};

const CL: CountryData = {
  code: 'CL',
  currency: 'CLP',
  fakerLocale: 'es',
  postalDigits: 7,
  priceLevel: { num: 52, den: 1 },
  companySuffixes: ['SpA', 'SpA', 'Ltda.', 'S.A.'],
  paymentMethods: ['transferencia', 'transferencia', 'Webpay', 'Servipag', 'Khipu', 'PAC'],
  emailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com', 'vtr.net'],
  regions: [
    { code: 'RM', name: 'Metropolitana de Santiago', population: 8400, cities: [c('Santiago', 8320000), c('Puente Alto', 8150000), c('Maipú', 9250000), c('La Florida', 8240000), c('Las Condes', 7550000)] },
    { code: 'VS', name: 'Valparaíso', population: 2000, cities: [c('Valparaíso', 2340000), c('Viña del Mar', 2520000)] },
    { code: 'BI', name: 'Biobío', population: 1680, cities: [c('Concepción', 4030000), c('Talcahuano', 4260000)] },
    { code: 'ML', name: 'Maule', population: 1130, cities: [c('Talca', 3460000)] },
    { code: 'AR', name: 'La Araucanía', population: 1010, cities: [c('Temuco', 4780000)] },
    { code: 'LI', name: "Libertador General Bernardo O'Higgins", population: 990, cities: [c('Rancagua', 2820000)] },
    { code: 'LL', name: 'Los Lagos', population: 890, cities: [c('Puerto Montt', 5480000), c('Osorno', 5290000)] },
    { code: 'CO', name: 'Coquimbo', population: 850, cities: [c('La Serena', 1700000), c('Coquimbo', 1780000)] },
    { code: 'AN', name: 'Antofagasta', population: 700, cities: [c('Antofagasta', 1240000), c('Calama', 1390000)] },
    { code: 'NB', name: 'Ñuble', population: 510, cities: [c('Chillán', 3780000)] },
    { code: 'LR', name: 'Los Ríos', population: 400, cities: [c('Valdivia', 5090000)] },
    { code: 'TA', name: 'Tarapacá', population: 380, cities: [c('Iquique', 1100000)] },
    { code: 'AT', name: 'Atacama', population: 320, cities: [c('Copiapó', 1530000)] },
    { code: 'AP', name: 'Arica y Parinacota', population: 250, cities: [c('Arica', 1000000)] },
    { code: 'MA', name: 'Magallanes', population: 170, cities: [c('Punta Arenas', 6200000)] },
    { code: 'AI', name: 'Aysén', population: 105, cities: [c('Coyhaique', 5950000)] },
  ],
};

const AR: CountryData = {
  code: 'AR',
  currency: 'ARS',
  fakerLocale: 'es',
  postalDigits: 4,
  priceLevel: { num: 70, den: 1 },
  companySuffixes: ['S.A.', 'S.R.L.', 'S.R.L.', 'S.A.S.'],
  paymentMethods: ['transferencia', 'transferencia', 'Mercado Pago', 'Rapipago', 'Pago Fácil', 'débito automático'],
  emailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'hotmail.com', 'yahoo.com.ar', 'outlook.com', 'fibertel.com.ar'],
  regions: [
    { code: 'B', name: 'Buenos Aires', population: 17500, cities: [c('La Plata', 1900, '221'), c('Mar del Plata', 7600, '223'), c('Quilmes', 1878, '11'), c('San Justo', 1754, '11'), c('Bahía Blanca', 8000, '291')] },
    { code: 'X', name: 'Córdoba', population: 3800, cities: [c('Córdoba', 5000, '351'), c('Río Cuarto', 5800, '358')] },
    { code: 'S', name: 'Santa Fe', population: 3550, cities: [c('Rosario', 2000, '341'), c('Santa Fe', 3000, '342')] },
    { code: 'C', name: 'Ciudad Autónoma de Buenos Aires', population: 3100, cities: [c('Ciudad Autónoma de Buenos Aires', 1000, '11')] },
    { code: 'M', name: 'Mendoza', population: 2050, cities: [c('Mendoza', 5500, '261')] },
    { code: 'T', name: 'Tucumán', population: 1730, cities: [c('San Miguel de Tucumán', 4000, '381')] },
    { code: 'A', name: 'Salta', population: 1440, cities: [c('Salta', 4400, '387')] },
    { code: 'E', name: 'Entre Ríos', population: 1420, cities: [c('Paraná', 3100, '343')] },
    { code: 'N', name: 'Misiones', population: 1280, cities: [c('Posadas', 3300, '376')] },
    { code: 'W', name: 'Corrientes', population: 1210, cities: [c('Corrientes', 3400, '379')] },
    { code: 'H', name: 'Chaco', population: 1130, cities: [c('Resistencia', 3500, '362')] },
    { code: 'G', name: 'Santiago del Estero', population: 1060, cities: [c('Santiago del Estero', 4200, '385')] },
    { code: 'J', name: 'San Juan', population: 820, cities: [c('San Juan', 5400, '264')] },
    { code: 'Q', name: 'Neuquén', population: 710, cities: [c('Neuquén', 8300, '299')] },
    { code: 'U', name: 'Chubut', population: 620, cities: [c('Comodoro Rivadavia', 9000, '297'), c('Trelew', 9100, '280')] },
  ],
};

/** Per-country demo data. */
export const COUNTRY_DATA: Readonly<Record<DemoCountry, CountryData>> = { MX, CO, PE, CL, AR };

/** Regions weighted by population, built once per country. */
const regionTables = new Map<DemoCountry, WeightedTable<Region>>();
export function regionTable(country: DemoCountry): WeightedTable<Region> {
  let table = regionTables.get(country);
  if (!table) {
    table = new WeightedTable(COUNTRY_DATA[country].regions.map((r) => [r, r.population] as const));
    regionTables.set(country, table);
  }
  return table;
}
