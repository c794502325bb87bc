/** Test support for migrations that change existing data: a database migrated up to (not including) one migration. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { expect } from 'vitest';
import type { TestDatabase } from './database.ts';

/** Applies the migrations before `tag` only, from a copy of the folder whose journal stops there. */
export async function migrateBefore(db: TestDatabase, tag: string): Promise<void> {
  const source = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));
  const journal = JSON.parse(readFileSync(join(source, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag));
  expect(entries.length).toBeGreaterThan(0);
  const folder = mkdtempSync(join(tmpdir(), 'cobranza-migrations-'));
  try {
    mkdirSync(join(folder, 'meta'));
    for (const e of entries) copyFileSync(join(source, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
    if (db.backend.kind === 'pglite') await migratePglite(db.db as never, { migrationsFolder: folder });
    else await migratePg(drizzlePg({ client: db.backend.client }), { migrationsFolder: folder });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
