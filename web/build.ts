/**
 * Builds the web app into web/dist when its sources changed since the last build.
 *
 * `node web/build.ts` builds when stale (what `npm start` runs first); `--force` always builds. Tests call
 * `ensureWebBuilt()`: a lock directory makes parallel test files wait for one build instead of racing, and the build
 * goes to a temporary folder swapped in by rename, so a server reading web/dist never sees a half-written one.
 * Staleness is a hash of the sources (not mtimes, which a fresh clone resets) stored in web/dist/.source-hash.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoDir = join(webDir, '..');
/** Where the server looks for the built app. */
export const webDist = join(webDir, 'dist');
const lockDir = join(webDir, '.build-lock');
const HASH_FILE = '.source-hash';
/** A lock older than this belongs to a build that died; a real build takes seconds. */
const STALE_LOCK_MS = 5 * 60_000;

/** Hash of everything that goes into the build: sources, the page, the build config and the installed versions. */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), join(webDir, 'tsconfig.json'), join(repoDir, 'package-lock.json')];
  files.push(...(await listFiles(join(webDir, 'src'))));
  for (const file of files.sort()) {
    if (!existsSync(file)) continue;
    hash.update(relative(webDir, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    // Unit tests live beside the code but are not part of the app.
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Whether web/dist holds a build of the current sources. */
export async function isWebBuildFresh(hash?: string): Promise<boolean> {
  const expected = hash ?? (await sourceHash());
  try {
    const stored = await readFile(join(webDist, HASH_FILE), 'utf8');
    return stored.trim() === expected && existsSync(join(webDist, 'index.html'));
  } catch {
    return false;
  }
}

/** Builds web/dist unless it is fresh; returns whether it built. Safe to call from parallel processes. */
export async function ensureWebBuilt(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  const hash = await sourceHash();
  if (!options.force && (await isWebBuildFresh(hash))) return false;
  await acquireLock();
  try {
    // Another process may have built it while this one waited.
    if (!options.force && (await isWebBuildFresh(await sourceHash()))) return false;
    const staging = join(webDir, `.dist-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await runVite(staging, options.quiet ?? false);
    await writeFile(join(staging, HASH_FILE), `${hash}\n`);
    const old = join(webDir, `.dist-old-${process.pid}`);
    if (existsSync(webDist)) await rename(webDist, old);
    await rename(staging, webDist);
    await rm(old, { recursive: true, force: true });
    return true;
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(lockDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function runVite(outDir: string, quiet: boolean): Promise<void> {
  const vite = join(repoDir, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    return Promise.reject(new Error('vite is not installed, so the web app cannot be built: run "npm install" (with dev dependencies) first'));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', join(webDir, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', quiet ? 'error' : 'warn'], {
      cwd: webDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the web build failed (vite exited with ${code}); see the messages above`))));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  const built = await ensureWebBuilt({ force });
  process.stdout.write(built ? `web app built into ${relative(process.cwd(), webDist) || '.'}\n` : 'web app is up to date\n');
}
