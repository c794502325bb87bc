/**
 * The load generator of the back-office benchmark, run as a child process so autocannon's own work never competes
 * with the server's event loop: `node load-generator.ts <config.json>` loads the server at a fixed overall rate,
 * cycling through the paths, and prints the figures as one JSON line.
 */
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

/** What the parent asks for. */
export interface LoadConfig {
  url: string;
  key: string;
  paths: string[];
  /** Requests per second over all connections. */
  rate: number;
  seconds: number;
  connections: number;
}

/** What the child reports (latencies in ms). */
export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  connections: number;
  /** CPU the load generator itself used, as a share of one core. */
  cpu: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as LoadConfig;
  let i = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await autocannon({
    url: config.url,
    connections: config.connections,
    duration: config.seconds,
    // Autocannon's rate is per connection; the overall rate is what the target is stated at.
    overallRate: config.rate,
    headers: { authorization: `Bearer ${config.key}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: config.paths[i++ % config.paths.length]! }) }],
  });
  const used = process.cpuUsage(cpu0);
  const out: LoadResult = {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    connections: config.connections,
    cpu: Math.round(((used.user + used.system) / 1000 / (performance.now() - t0)) * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
