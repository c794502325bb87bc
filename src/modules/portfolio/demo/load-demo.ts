/**
 * Loads the demo portfolio through the same import path a customer's files take, so the demo exercises (and shows)
 * exactly what a real load does: header matching, validation, upsert by external id, allocation of payments.
 */
import { AppError } from '../../shared/errors.ts';
import type { Ctx } from '../../shared/context.ts';
import { importFile } from '../import-file.ts';
import { csvStream } from './csv-text.ts';
import type { DemoOptions } from './generate-demo.ts';
import { say, t } from '../../../domain/text.ts';

/** Rows loaded per file. */
export interface DemoCounts {
  debtors: number;
  obligations: number;
  payments: number;
}

const ENTITIES = ['debtors', 'obligations', 'payments'] as const;

/**
 * Generates the demo for `options` and imports debtors, then obligations, then payments (each file all or nothing).
 * Loading the same options again changes nothing: every row is upserted by its DEMO- external id.
 */
export async function loadDemo(ctx: Ctx, options: DemoOptions): Promise<DemoCounts> {
  // Loaded on first use: the generator pulls in faker and its locales (~50 MB), which no other command needs.
  const { DEMO_COLUMNS, generateDemo } = await import('./generate-demo.ts');
  const demo = generateDemo(options);
  const counts: DemoCounts = { debtors: 0, obligations: 0, payments: 0 };
  for (const entity of ENTITIES) {
    const fileName = `demo-${entity}.csv`;
    const result = await importFile(ctx, { entity, stream: csvStream(DEMO_COLUMNS[entity], demo[entity]), fileName, format: 'csv' });
    if (result.errors.length > 0) {
      // The generator's own tests keep this from happening; if it does, the first errors say what drifted.
      const details = result.errorTexts.slice(0, 20).map((e) => ({ line: e.line, column: e.column, reason: e.reason }));
      const first = result.errors[0]!;
      throw new AppError('import_rejected', t(`the demo ${entity} were rejected by the import (${result.errorCount} errors, first: line ${first.line} ${first.column}: ${first.reason})`, `la importación rechazó los datos de demostración (${entity}) (${result.errorCount} errores; el primero: línea ${first.line} ${first.column}: ${say(details[0]!.reason, 'es')})`), details);
    }
    counts[entity] = result.rows;
  }
  return counts;
}
