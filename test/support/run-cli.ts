/** Runs `cobranza` commands through the real program in this process (runCli), as company acme (MX), output captured. */
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/connection.ts';
import type { Language } from '../../src/domain/text.ts';
import type { Clock } from '../../src/modules/shared/clock.ts';

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
