/**
 * The load generator of the back-office benchmark, run as a child process so its own work never competes with the
 * server's event loop: `node load-generator.ts <config.json>` loads the server at an overall rate, cycling through the
 * paths, and prints the figures as one JSON line. Two shapes of the same rate:
 *
 * - `constant`: an open model, as wrk2 or k6's constant-arrival-rate measure it. Request i is due at start + i ÷ rate,
 *   whether or not earlier ones have answered, on the first free keep-alive connection (a new one when none is free,
 *   up to `connections`; beyond that it waits for one). Its latency runs from the time it was due, not from when it
 *   went out, so a server (or generator) falling behind shows in the figures instead of slowing the arrivals down
 *   (no coordinated omission).
 * - `burst`: autocannon's rate limit, which lets each connection send its share of the second's requests back to
 *   back as soon as the second starts: every second the whole rate arrives at once and waits in line, so this is
 *   the stricter figure.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
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
  shape: 'constant' | 'burst';
}

/** What the child reports (latencies in ms). */
export interface LoadResult {
  shape: LoadConfig['shape'];
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

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (ms: number): number => Math.round(ms * 10) / 10;

async function constantRate(config: LoadConfig): Promise<Omit<LoadResult, 'cpu'>> {
  const target = new URL(config.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
  const total = Math.round(config.rate * config.seconds);
  const interval = 1000 / config.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now() + 50;
  await new Promise<void>((resolve) => {
    const fire = (i: number): void => {
      const due = start + i * interval;
      const req = http.request(
        { host: target.hostname, port: target.port, path: config.paths[i % config.paths.length], agent, headers: { authorization: `Bearer ${config.key}` } },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) non2xx++;
            if (++done === total) resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        if (++done === total) resolve();
      });
      req.end();
    };
    // Sends every request that is due, then sleeps until the next one is.
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 50);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const elapsed = (performance.now() - start) / 1000;
  return {
    shape: 'constant',
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? Number.NaN),
    errors,
    non2xx,
    connections: config.connections,
  };
}

async function bursts(config: LoadConfig): Promise<Omit<LoadResult, 'cpu'>> {
  let i = 0;
  const result = await autocannon({
    url: config.url,
    connections: config.connections,
    duration: config.seconds,
    // Autocannon's rate is per connection; the overall rate is what the target is stated at.
    overallRate: config.rate,
    headers: { authorization: `Bearer ${config.key}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: config.paths[i++ % config.paths.length]! }) }],
  });
  return {
    shape: 'burst',
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    connections: config.connections,
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as LoadConfig;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const figures = config.shape === 'constant' ? await constantRate(config) : await bursts(config);
  const used = process.cpuUsage(cpu0);
  const out: LoadResult = { ...figures, cpu: Math.round(((used.user + used.system) / 1000 / (performance.now() - t0)) * 100) / 100 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
