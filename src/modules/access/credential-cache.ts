/**
 * Verified sessions, remembered for a few seconds per open database, so a busy user's requests do not each read the
 * session, the user and the company again. What ends a session or changes a user in this process (sign-out, a role
 * change, deactivation, a password set or reset) forgets that user's sessions at once; a change made by another
 * process against the same PostgreSQL server (the command line run with DATABASE_URL) takes effect within
 * CREDENTIAL_CACHE_MS. A session's end and idle time are still judged on every request against the injected clock;
 * the cache only saves the reads. API keys are read on every request (a key revoked in the database stops at once);
 * only the write of their last use is spaced out here. Lifetimes are real (monotonic) time: they bound staleness, not
 * business dates.
 *
 * While a job of this process holds the embedded database (shared/job-liveness.ts: on PGlite an import's or a daily
 * run's transaction keeps the one connection until it ends), reading a credential would wait for the job, and so would
 * every request behind it, the job's own progress first. Nothing can change the stored credentials meanwhile, and what
 * this process changed before forgot them here, so what is remembered is then trusted past its lifetime; on PGlite API
 * keys are remembered too, for that use only. The writes of a last use wait for a request after the job.
 */
import type { Database } from '../../db/connection.ts';
import { holdsEmbeddedDatabase } from '../shared/job-liveness.ts';

/** How long a verified session is trusted without reading it again. */
export const CREDENTIAL_CACHE_MS = 5_000;

/** Entries kept per database at most; past it the oldest are dropped (a flood of distinct tokens cannot grow memory). */
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  /** Monotonic instant after which the entry is read again. */
  until: number;
  /** The user behind the session; null for an API key. */
  userId: number | null;
}

interface Cache {
  entries: Map<string, Entry<unknown>>;
  /** When each API key's last use was last written (monotonic ms), so the write happens at most once a minute. */
  keyTouched: Map<number, number>;
}

const caches = new WeakMap<Database, Cache>();

function cacheOf(database: Database): Cache {
  let cache = caches.get(database);
  if (!cache) {
    cache = { entries: new Map(), keyTouched: new Map() };
    caches.set(database, cache);
  }
  return cache;
}

/** The remembered value under `key`, or undefined when none is fresh. */
export function cachedCredential<T>(database: Database, key: string): T | undefined {
  const entries = cacheOf(database).entries;
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.until <= performance.now() && !holdsEmbeddedDatabase(database)) {
    entries.delete(key);
    return undefined;
  }
  return entry.value as T;
}

/** Remembers a verified session of `userId` (so changes to the user forget it), or an API key (`userId` null). */
export function rememberCredential<T>(database: Database, key: string, value: T, userId: number | null): void {
  const entries = cacheOf(database).entries;
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.delete(key);
  entries.set(key, { value, until: performance.now() + CREDENTIAL_CACHE_MS, userId });
}

/** Forgets one credential (a session signed out). */
export function forgetCredential(database: Database, key: string): void {
  cacheOf(database).entries.delete(key);
}

/** Forgets every session of a user (its role, agency, activity or password changed). */
export function forgetUserCredentials(database: Database, userId: number): void {
  const entries = cacheOf(database).entries;
  for (const [key, entry] of entries) if (entry.userId === userId) entries.delete(key);
}

/** Remembers a verified API key where a job can hold the database (PGlite), for {@link heldApiKey}. */
export function rememberApiKey<T>(database: Database, key: string, verified: T): void {
  if (database.backend.kind === 'pglite') rememberCredential(database, key, verified, null);
}

/** The remembered API key while a job of this process holds the embedded database; otherwise undefined (read it). */
export function heldApiKey<T>(database: Database, key: string): T | undefined {
  return holdsEmbeddedDatabase(database) ? cachedCredential<T>(database, key) : undefined;
}

/** True when the API key's last use should be written now (at most once per `everyMs`); records the write. */
export function shouldTouchApiKey(database: Database, keyId: number, everyMs: number): boolean {
  if (holdsEmbeddedDatabase(database)) return false;
  const touched = cacheOf(database).keyTouched;
  const now = performance.now();
  const last = touched.get(keyId);
  if (last !== undefined && now - last < everyMs) return false;
  touched.set(keyId, now);
  return true;
}
