/**
 * Users for the demo company: an administrator with a generated password (shown once by `cobranza start`) and one
 * user of every other role with a known demo password, so a visitor can see what each role sees. The agency user's
 * agency gets the demo's extrajudicial accounts placed with it.
 */
import { eq, sql } from 'drizzle-orm';
import { accounts } from '../../db/schema.ts';
import { agencyPlacements, users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { createUser } from './create-user.ts';
import { ensureAgency } from './ensure-agency.ts';
import type { Role } from './permissions.ts';

/** The password of every demo user except the administrator. Documented in the README: demo data only. */
export const DEMO_PASSWORD = 'demo-cobranza-2026';

/** The demo users other than the administrator. */
/** The demo's collector, who gets a share of the demo portfolio to work. */
export const DEMO_COLLECTOR_EMAIL = 'gestor@demo.cobranza';
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Exclude<Role, 'admin'>; agency?: string }> = [
  { email: 'supervisora@demo.cobranza', name: 'Sofía Supervisora', role: 'supervisor' },
  { email: DEMO_COLLECTOR_EMAIL, name: 'Gabriel Gestor', role: 'collector' },
  { email: 'despacho@demo.cobranza', name: 'Diana Despacho', role: 'agency', agency: 'Despacho Jurídico Demo' },
  { email: 'auditor@demo.cobranza', name: 'Aurelio Auditor', role: 'auditor' },
  { email: 'consulta@demo.cobranza', name: 'Consuelo Consulta', role: 'viewer' },
];

export const DEMO_ADMIN_EMAIL = 'admin@demo.cobranza';

/**
 * Creates the demo users unless the company already has users. Returns the administrator's generated password, or
 * null when nothing was created.
 */
export async function seedDemoUsers(ctx: Ctx): Promise<{ email: string; password: string } | null> {
  const [existing] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.companyId, ctx.companyId));
  if ((existing?.n ?? 0) > 0) return null;
  const admin = await createUser(ctx, { email: DEMO_ADMIN_EMAIL, name: 'Administración Demo', role: 'admin' });
  for (const u of DEMO_USERS) await createUser(ctx, { ...u, password: DEMO_PASSWORD });
  const agencyName = DEMO_USERS.find((u) => u.agency)!.agency!;
  const agency = await ensureAgency(ctx, agencyName);
  // The extrajudicial phase is where accounts usually go to an agency.
  await ctx.database.db.execute(sql`
    INSERT INTO ${agencyPlacements} (company_id, debtor_id, agency_id, placed_at, placed_by, note)
    SELECT DISTINCT company_id, debtor_id, ${agency.id}::bigint, ${ctx.clock.now().toISOString()}::timestamptz, ${ctx.actor}, 'demo'
    FROM ${accounts} WHERE company_id = ${ctx.companyId} AND phase = 'extrajudicial'
    ON CONFLICT DO NOTHING`);
  return { email: admin.user.email, password: admin.generatedPassword! };
}
