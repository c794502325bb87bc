import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { queryPrepared } from '../../db/prepared.ts';
import { apiKeys } from '../../db/schema.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { API_KEY_ROLES, parseRole, type RoleChoices } from './permissions.ts';
import { recordAudit } from './audit.ts';
import { forgetCredential, heldApiKey, rememberApiKey, shouldTouchApiKey } from './credential-cache.ts';
import type { Ctx } from '../shared/context.ts';
import { t } from '../../domain/text.ts';

const PREFIX = 'cbz_';

/** Keys are 32 random bytes; only their SHA-256 is stored (a key has full entropy, so no slow hash is needed). */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The role a key gets when none is given: keys are how an operator first drives a new installation. */
export const DEFAULT_API_KEY_ROLE = 'admin';

/** A key as it is listed: never its secret nor its hash. */
export interface ApiKeyView {
  id: number;
  name: string;
  role: string;
  /** The key's first characters (`cbz_` and 6 more), to tell keys apart; not enough to use it. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function apiKeyView(row: typeof apiKeys.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

/** The one role outside API_KEY_ROLES: an agency sees only the accounts placed with it, and a key belongs to no agency. */
function agencyKeyRefused(role: string, choices: RoleChoices): AppError {
  return new AppError(
    'validation_failed',
    t(
      `an API key cannot have the ${role} role: an agency sees only the accounts placed with it, and a key belongs to no agency; use ${choices.en}, or give the agency a user of its own`,
      `una clave de API no puede tener el rol ${role}: un despacho solo ve las cuentas asignadas a él, y una clave no pertenece a ningún despacho; use ${choices.es}, o cree un usuario propio para el despacho`,
    ),
    [{ path: 'role', reason: t('not a role for an API key', 'no es un rol para una clave de API') }],
  );
}

/**
 * Creates an API key with a role (default {@link DEFAULT_API_KEY_ROLE}) and returns its plain text, which is shown
 * once and never stored. A name is held by one active key at a time (a second "erp" is refused: revoke the first).
 * The creation is audited under `actor` (default "cli").
 */
export async function createApiKey(options: { database: Database; companyId: number; name: string; role?: string; actor?: string; clock?: Clock }): Promise<{ id: number; key: string; name: string; role: string; view: ApiKeyView }> {
  const name = options.name.trim();
  if (!name) throw new AppError('validation_failed', t('an API key needs a name', 'una clave de API necesita un nombre'));
  const role = parseRole(options.role ?? DEFAULT_API_KEY_ROLE, API_KEY_ROLES, agencyKeyRefused);
  const key = PREFIX + randomBytes(32).toString('base64url');
  const ctx = { database: options.database, clock: options.clock ?? systemClock, companyId: options.companyId, actor: options.actor ?? 'cli' };
  return options.database.db.transaction(async (tx) => {
    // One creation per company at a time, so two concurrent creations of the same name cannot both pass the check.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7261006, ${options.companyId}::int)`);
    const [taken] = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.companyId, options.companyId), eq(apiKeys.name, name), isNull(apiKeys.revokedAt)));
    if (taken) {
      throw new AppError(
        'conflict',
        t(
          `an active API key is already named "${name}" (id ${taken.id}); revoke it first (cobranza apikey revoke ${taken.id}) or choose another name`,
          `ya hay una clave de API activa llamada "${name}" (id ${taken.id}); revóquela primero (cobranza apikey revoke ${taken.id}) o elija otro nombre`,
        ),
        [{ path: 'name', reason: t('already used by an active key', 'ya la usa una clave activa') }],
      );
    }
    const [row] = await tx
      .insert(apiKeys)
      .values({ companyId: options.companyId, name, prefix: key.slice(0, 10), keyHash: hashKey(key), role })
      .returning();
    await recordAudit(ctx, { action: 'api_key.create', entity: 'api_key', entityId: row!.id, after: { name, role, prefix: key.slice(0, 10) } }, tx);
    return { id: row!.id, key, name, role, view: apiKeyView(row!) };
  });
}

/** The company's API keys, active and revoked, oldest first. A company has a handful: no paging. */
export async function listApiKeys(ctx: Ctx): Promise<ApiKeyView[]> {
  const rows = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.companyId, ctx.companyId)).orderBy(asc(apiKeys.id));
  return rows.map(apiKeyView);
}

/**
 * Revokes a key, named by its id (a number) or by the name of its active key; from then on it is refused (401), in
 * this process at once. Audited. Revoking a revoked key is refused (409) with when it happened.
 */
export async function revokeApiKey(ctx: Ctx, ref: { id: number } | { name: string }): Promise<ApiKeyView> {
  const revoked = await ctx.database.db.transaction(async (tx) => {
    let row: typeof apiKeys.$inferSelect | undefined;
    if ('id' in ref) {
      [row] = await tx.select().from(apiKeys).where(and(eq(apiKeys.companyId, ctx.companyId), eq(apiKeys.id, ref.id))).for('update');
      if (!row) throw notFound('API key', ref.id);
    } else {
      const active = await tx.select().from(apiKeys).where(and(eq(apiKeys.companyId, ctx.companyId), eq(apiKeys.name, ref.name), isNull(apiKeys.revokedAt))).for('update');
      if (active.length > 1) {
        const ids = active.map((k) => k.id).join(', ');
        throw new AppError('conflict', t(`${active.length} active API keys are named "${ref.name}" (ids ${ids}); revoke each by its id`, `${active.length} claves de API activas se llaman "${ref.name}" (ids ${ids}); revoque cada una por su id`));
      }
      row = active[0];
      if (!row) throw new AppError('not_found', t(`no active API key is named "${ref.name}" (cobranza apikey list shows them)`, `ninguna clave de API activa se llama "${ref.name}" (cobranza apikey list las muestra)`));
    }
    if (row.revokedAt) {
      const at = row.revokedAt.toISOString();
      throw new AppError('conflict', t(`API key ${row.id} ("${row.name}") was already revoked at ${at}`, `la clave de API ${row.id} ("${row.name}") ya se revocó el ${at}`));
    }
    const [updated] = await tx.update(apiKeys).set({ revokedAt: ctx.clock.now() }).where(eq(apiKeys.id, row.id)).returning();
    await recordAudit(ctx, { action: 'api_key.revoke', entity: 'api_key', entityId: row.id, before: { name: row.name, role: row.role, revoked_at: null }, after: { name: row.name, role: row.role, revoked_at: updated!.revokedAt!.toISOString() } }, tx);
    return updated!;
  });
  // A key remembered while a job held the embedded database must not outlive its revocation.
  forgetCredential(ctx.database, `api-key:${revoked.keyHash}`);
  return apiKeyView(revoked);
}

export interface Principal {
  companyId: number;
  keyId: number;
  name: string;
  role: string;
}

/** A key's last use is written at most this often, so reads do not each cost a write (and a lock on the key's row). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves a bearer key to its company, or throws `unauthorized`. The key is read on every request, so a key revoked
 * in the database stops working at once; only the write of its last use is spaced out (credential-cache.ts). While a
 * job of this process holds the embedded database, what was verified before answers (credential-cache.ts).
 */
export async function authenticateApiKey(options: { database: Database; key: string; clock: Clock }): Promise<Principal> {
  if (!options.key.startsWith(PREFIX)) throw new AppError('unauthorized', t('invalid API key', 'clave de API no válida'));
  const digest = hashKey(options.key);
  const cacheKey = `api-key:${digest}`;
  const held = heldApiKey<Principal>(options.database, cacheKey);
  if (held) return held;
  // Every authenticated API request runs this: a prepared statement, planned once per connection.
  const [row] = await queryPrepared<{ id: string | number; company_id: string | number; name: string; role: string; key_hash: string }>(
    options.database,
    sql`SELECT id, company_id, name, role, key_hash FROM api_keys WHERE key_hash = ${digest} AND revoked_at IS NULL`,
  );
  if (!row || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(digest))) throw new AppError('unauthorized', t('invalid or revoked API key', 'clave de API no válida o revocada'));
  const id = Number(row.id);
  if (shouldTouchApiKey(options.database, id, TOUCH_EVERY_MS)) {
    await options.database.db.update(apiKeys).set({ lastUsedAt: options.clock.now() }).where(eq(apiKeys.id, id));
  }
  const principal: Principal = { companyId: Number(row.company_id), keyId: id, name: row.name, role: row.role };
  rememberApiKey(options.database, cacheKey, principal);
  return principal;
}
