import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { queryPrepared } from '../../db/prepared.ts';
import { apiKeys } from '../../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { isRole } from './permissions.ts';
import { recordAudit } from './audit.ts';
import { heldApiKey, rememberApiKey, shouldTouchApiKey } from './credential-cache.ts';
import { t } from '../../domain/text.ts';

const PREFIX = 'cbz_';

/** Keys are 32 random bytes; only their SHA-256 is stored (a key has full entropy, so no slow hash is needed). */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Creates an API key with a role (default admin) and returns its plain text, which is shown once and never stored.
 * The creation is audited under `actor` (default "cli").
 */
export async function createApiKey(options: { database: Database; companyId: number; name: string; role?: string; actor?: string; clock?: Clock }): Promise<{ id: number; key: string; name: string }> {
  const name = options.name.trim();
  if (!name) throw new AppError('validation_failed', t('an API key needs a name', 'una clave de API necesita un nombre'));
  const role = options.role ?? 'admin';
  if (!isRole(role)) throw new AppError('validation_failed', t(`unknown role "${role}"; use admin, supervisor, collector, agency, auditor or viewer`, `rol desconocido "${role}"; use admin, supervisor, collector, agency, auditor o viewer`), [{ path: 'role', reason: t('unknown role', 'rol desconocido') }]);
  const key = PREFIX + randomBytes(32).toString('base64url');
  const ctx = { database: options.database, clock: options.clock ?? systemClock, companyId: options.companyId, actor: options.actor ?? 'cli' };
  return options.database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ companyId: options.companyId, name, prefix: key.slice(0, 10), keyHash: hashKey(key), role })
      .returning({ id: apiKeys.id });
    await recordAudit(ctx, { action: 'api_key.create', entity: 'api_key', entityId: row!.id, after: { name, role, prefix: key.slice(0, 10) } }, tx);
    return { id: row!.id, key, name };
  });
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
