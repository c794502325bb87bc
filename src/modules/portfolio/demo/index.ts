/** The demo portfolio: deterministic generated debtors, obligations and payments, and loading them. */
export { generateDemo, DEMO_COLUMNS, type Demo, type DemoOptions, type DemoRow } from './generate-demo.ts';
export { loadDemo, type DemoCounts } from './load-demo.ts';
export { csvChunks, csvStream } from './csv-text.ts';
export { DEMO_COUNTRIES, type DemoCountry } from './countries.ts';
export type { Profile } from './behaviour.ts';
