import { eq } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { companies, portfolios } from '../../db/schema.ts';
import { COUNTRIES } from '../../domain/geography.ts';
import { AppError } from '../shared/errors.ts';
import { t } from '../../domain/text.ts';

export interface CompanyRow {
  id: number;
  slug: string;
  name: string;
  country: string;
  timeZone: string;
  defaultCurrency: string;
  locale: string;
}

/** Returns the company with this slug, creating it (and its default portfolio) on first use. */
export async function ensureCompany(options: { database: Database; slug: string; name?: string; country: string }): Promise<{ company: CompanyRow; created: boolean }> {
  const { db } = options.database;
  const [existing] = await db.select().from(companies).where(eq(companies.slug, options.slug));
  if (existing) return { company: existing, created: false };
  const country = COUNTRIES[options.country as keyof typeof COUNTRIES];
  if (!country) throw new AppError('validation_failed', t(`unsupported company country "${options.country}"`, `país de la empresa no admitido "${options.country}"`));
  const inserted = await db
    .insert(companies)
    .values({
      slug: options.slug,
      name: options.name ?? 'Mi Empresa',
      country: options.country,
      timeZone: country.timeZone,
      defaultCurrency: country.currency,
      locale: country.locale,
    })
    .onConflictDoNothing()
    .returning();
  const company = inserted[0] ?? (await db.select().from(companies).where(eq(companies.slug, options.slug)))[0];
  if (!company) throw new Error(`company ${options.slug} could not be created`);
  await db.insert(portfolios).values({ companyId: company.id, name: 'default' }).onConflictDoNothing();
  return { company, created: inserted.length > 0 };
}
