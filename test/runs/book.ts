/** Rows the daily run tests set up directly, with only what a run reads. */
import type { Database } from '../../src/db/connection.ts';
import { debtors } from '../../src/db/schema.ts';

/** A Mexican debtor of the company; returns its id. */
export async function insertDebtor(database: Database, companyId: number, externalId: string): Promise<number> {
  const [row] = await database.db
    .insert(debtors)
    .values({ companyId, externalId, name: `Deudor ${externalId}`, country: 'MX', timeZone: 'America/Mexico_City' })
    .returning({ id: debtors.id });
  return row!.id;
}
