/**
 * Creating a PGlite data directory runs initdb, a second WebAssembly PostgreSQL beside the server's, and the process's
 * resident set peaks at ~650 MB while both are loaded — memory a long-running Node process never gives back. So a new
 * directory is created by a short-lived child process, and the owner opens the finished directory (~290 MB).
 * The caller already holds the data directory's lock (ADR 0004); the child runs under it and exits before the owner
 * opens the directory, so the directory is never open twice.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pgliteStartParams } from './pglite-options.ts';

/** Whether `dataDir` already holds a PostgreSQL cluster. */
export function isInitialized(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** Creates the cluster in `dataDir` in a child process, unless it exists. */
export async function initializeDataDir(dataDir: string): Promise<void> {
  if (isInitialized(dataDir)) return;
  const script = fileURLToPath(import.meta.url);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && isInitialized(dataDir)) resolve();
      else reject(new Error(`could not create the embedded database in ${dataDir} (exit ${code}): ${stderr.trim()}`));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dataDir = process.argv[2];
  if (!dataDir) {
    process.stderr.write('usage: pglite-init.ts DATA_DIR\n');
    process.exit(2);
  }
  const client = await PGlite.create({ dataDir, startParams: pgliteStartParams() });
  await client.close();
}
