/** Runs `cobranza` commands through the real program in this process (runCli), as company acme (MX), output captured. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/connection.ts';
import type { Language } from '../../src/domain/text.ts';
import { fixedClock, type Clock } from '../../src/modules/shared/clock.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from './database.ts';

export interface InProcessResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `argv` in `cwd` on `database`, the CLI's language being `language`. */
export async function runInProcess(database: Database, clock: Clock, cwd: string, language: Language, argv: string[]): Promise<InProcessResult> {
  const io = bufferIO(cwd, language);
  const session = serverSession({ ...loadConfig({}), company: 'acme', country: 'MX' }, clock, database);
  const code = await runCli(argv, io, session);
  return { code, out: io.out(), err: io.err() };
}

/** A fresh database with company acme (MX), a working directory, and `run` for commands in either language. */
export interface CliBench {
  dir: string;
  database: TestDatabase;
  run(language: Language, ...argv: string[]): Promise<InProcessResult>;
  close(): Promise<void>;
}

/** Sets up a {@link CliBench}; the clock stands at `now`. */
export async function cliBench(name: string, now = '2026-03-31T18:00:00Z'): Promise<CliBench> {
  const database = await createTestDatabase();
  await createTestCompany(database, 'acme', 'MX');
  const dir = await mkdtemp(join(tmpdir(), `cobranza-${name}-`));
  const clock = fixedClock(now);
  return {
    dir,
    database,
    run: (language, ...argv) => runInProcess(database, clock, dir, language, argv),
    async close() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
