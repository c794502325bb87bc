import type { LockInfo } from '../db/data-dir-lock.ts';
import type { CliIO } from './io.ts';

/** Runs a command inside the server that owns the embedded database, and relays its output and exit status. */
export async function forwardToServer(owner: LockInfo, argv: string[], io: CliIO): Promise<number> {
  let response: Response;
  try {
    response = await fetch(new URL('/internal/cli', owner.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cobranza-local-secret': owner.secret ?? '' },
      body: JSON.stringify({ argv, cwd: io.cwd }),
    });
  } catch (error) {
    io.stderr.write(`error: the data directory belongs to a running cobranza (process ${owner.pid}) at ${owner.url}, which does not answer: ${(error as Error).message}\n`);
    return 1;
  }
  if (!response.ok) {
    io.stderr.write(`error: the running cobranza at ${owner.url} refused the command (HTTP ${response.status}): ${await response.text()}\n`);
    return 1;
  }
  const result = (await response.json()) as { exitCode: number; stdout: string; stderr: string };
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.exitCode;
}
