#!/usr/bin/env node
// cobranza needs Node.js 24, which the project pins as a dependency because many machines still ship an older one.
// Re-run under that Node when started by another; otherwise load the TypeScript entry point (Node 24 strips types).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    console.error(`cobranza needs Node.js 24 or later (this is ${process.version}); run "npm install" in ${root} first.`);
    process.exit(1);
  }
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Whoever stops this process (a service manager, kill PID) means the command it runs: the signal is passed on, and
  // this process ends when the command does, with its status (128 + the signal's number when a signal ended it).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`cobranza could not start ${pinned}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
} else {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
