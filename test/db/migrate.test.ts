/** `migrate` says whether it applied anything: a count of migrations applied, or that the database was up to date. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { localSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateDatabase } from '../../src/db/connection.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import { createTestDatabase } from '../support/database.ts';
import { migrateBefore } from '../support/migrations.ts';

const journal = JSON.parse(await readFile(new URL('../../src/db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: Array<{ tag: string }> };
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('applying migrations', () => {
  it('counts what it applied, and nothing the second time', async () => {
    const db = await createTestDatabase({ migrate: false });
    try {
      const last = journal.entries.at(-1)!.tag;
      await migrateBefore(db, last);
      expect(await migrateDatabase(db)).toBe(1);
      expect(await migrateDatabase(db)).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('`cobranza migrate` tells a first migration from an up-to-date database, in either language', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cobranza-migrate-'));
    dirs.push(dir);
    const migrate = async (language: 'en' | 'es') => {
      const io = bufferIO(dir, language);
      const session = localSession(loadConfig({ COBRANZA_DATA_DIR: join(dir, 'data') }), fixedClock('2026-03-31T18:00:00Z'));
      try {
        expect(await runCli(['migrate'], io, session)).toBe(0);
      } finally {
        await session.close();
      }
      return io.out();
    };
    expect(await migrate('en')).toBe(`applied ${journal.entries.length} migrations; database is up to date\n`);
    expect(await migrate('en')).toBe('database was already up to date\n');
    expect(await migrate('es')).toBe('la base de datos ya estaba al día\n');
  }, 60_000);
});
