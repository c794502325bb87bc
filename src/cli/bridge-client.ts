import { request } from 'node:http';
import type { LockInfo } from '../db/data-dir-lock.ts';
import { words, type CliIO } from './io.ts';

/**
 * POSTs `body` as JSON and reads the whole answer. Plain node:http rather than fetch: fetch gives up on an answer
 * whose headers take more than 300 s, and a forwarded command (a large import, a demo of a million debtors) answers
 * only when it is done.
 */
function postJson(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs a command inside the server that owns the embedded database, and relays its output and exit status. */
export async function forwardToServer(owner: LockInfo, argv: string[], io: CliIO): Promise<number> {
  let response: { status: number; text: string };
  try {
    response = await postJson(new URL('/internal/cli', owner.url), { 'x-cobranza-local-secret': owner.secret ?? '' }, JSON.stringify({ argv, cwd: io.cwd, language: io.language }));
  } catch (error) {
    io.stderr.write(
      words(io)(
        `error: the data directory belongs to a running cobranza (process ${owner.pid}) at ${owner.url}, which does not answer: ${(error as Error).message}\n`,
        `error: el directorio de datos pertenece a un cobranza en marcha (proceso ${owner.pid}) en ${owner.url}, que no responde: ${(error as Error).message}\n`,
      ),
    );
    return 1;
  }
  if (response.status < 200 || response.status >= 300) {
    io.stderr.write(words(io)(`error: the running cobranza at ${owner.url} refused the command (HTTP ${response.status}): ${response.text}\n`, `error: el cobranza en marcha en ${owner.url} rechazó el comando (HTTP ${response.status}): ${response.text}\n`));
    return 1;
  }
  const result = JSON.parse(response.text) as { exitCode: number; stdout: string; stderr: string };
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.exitCode;
}
