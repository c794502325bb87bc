import { timingSafeEqual } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/connection.ts';
import type { Clock } from '../modules/shared/clock.ts';
import { bufferIO } from './io.ts';
import { serverSession, type Session } from './session.ts';
import type { CliIO } from './io.ts';

export type RunCli = (argv: string[], io: CliIO, session: Session) => Promise<number>;

/**
 * Lets other `cobranza` processes on this machine run commands through the server that owns the embedded database.
 * Authenticated by the secret in the lock file (readable only by the owner's user), not by API keys.
 */
export async function registerCliBridge(app: FastifyInstance, options: { config: Config; clock: Clock; database: Database; secret: () => string; runCli: RunCli }): Promise<void> {
  const { runCli } = options;
  app.post('/internal/cli', { schema: { hide: true } as never, config: { public: true } }, async (request, reply) => {
    const expected = Buffer.from(options.secret());
    const given = Buffer.from(String(request.headers['x-cobranza-local-secret'] ?? ''));
    if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send({ code: 'unauthorized', message: 'local secret required', details: [] });
    }
    const body = request.body as { argv?: unknown; cwd?: unknown; language?: unknown } | undefined;
    if (!body || !Array.isArray(body.argv) || !body.argv.every((a) => typeof a === 'string') || typeof body.cwd !== 'string' || !isAbsolute(body.cwd)) {
      return reply.code(400).send({ code: 'validation_failed', message: 'expected {argv: string[], cwd: absolute path}', details: [] });
    }
    // The caller's language (its COBRANZA_LANG / LANG), not the server's.
    const io = bufferIO(body.cwd, body.language === 'es' ? 'es' : 'en');
    const exitCode = await runCli(body.argv as string[], io, serverSession(options.config, options.clock, options.database));
    return { exitCode, stdout: io.out(), stderr: io.err() };
  });
}
