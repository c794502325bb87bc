/** Runs the real `cobranza` binary in a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/cobranza.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...cleanEnv(), ...options.env }, cwd: options.cwd ?? process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cobranza ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Starts a long-running command (serve/start) and resolves once it prints a line matching `ready`. */
export function startCli(
  args: string[],
  options: { env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number; /** The Node that starts bin/cobranza.js (default: this one). */ node?: string },
): Promise<{ child: ChildProcess; output: () => string; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [BIN, ...args], { env: { ...cleanEnv(), ...options.env } });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cobranza ${args.join(' ')} did not get ready\n${out}`));
    }, options.timeoutMs ?? 150_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = out.match(options.ready);
      if (m) {
        clearTimeout(timer);
        resolve({ child, output: () => out, match: m });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cobranza ${args.join(' ')} exited with ${code}\n${out}`));
    });
  });
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['DATABASE_URL', 'COBRANZA_DATA_DIR', 'PORT', 'COBRANZA_NOW', 'VITEST', 'VITEST_WORKER_ID', 'NODE_OPTIONS']) delete env[k];
  return env;
}
