/**
 * Plumbing shared by the loopback HTTP fakes of provider APIs (Meta Graph, Twilio): reading a request body, the
 * scripted replies every fake understands, and listening on 127.0.0.1.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** A scripted reply sent as given: any status, body and headers. */
export type RawReply = { kind: 'raw'; status: number; body: string; headers?: Record<string, string> };
/** A scripted reply that never answers, so the client's timeout is what ends the request. */
export type HangReply = { kind: 'hang' };

/** Collects the request body and calls `handle` with it as UTF-8 text once the request has ended. */
export function onBody(req: IncomingMessage, handle: (text: string) => void): void {
  onBodyBytes(req, (bytes) => handle(bytes.toString('utf8')));
}

/** Collects the request body and calls `handle` with its bytes once the request has ended (binary uploads). */
export function onBodyBytes(req: IncomingMessage, handle: (bytes: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => handle(Buffer.concat(chunks)));
}

/** Plays a raw reply, or nothing at all for a hang. */
export function playReply(res: ServerResponse, reply: RawReply | HangReply): void {
  if (reply.kind === 'hang') return;
  res.writeHead(reply.status, reply.headers ?? {});
  res.end(reply.body);
}

/** Starts `server` on a free port of 127.0.0.1; `close` also drops open (e.g. hanging) connections. */
export async function listenOnLoopback(server: Server, name: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${name} has no port`);
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
