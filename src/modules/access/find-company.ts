import { eq } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { companies } from '../../db/schema.ts';
import type { CompanyRow } from './ensure-company.ts';

/** The company with this slug, or null; never creates one (webhooks name their company in the URL). */
export async function findCompanyBySlug(database: Database, slug: string): Promise<CompanyRow | null> {
  const [row] = await database.db.select().from(companies).where(eq(companies.slug, slug));
  return row ?? null;
}
