/**
 * PGlite does not lock its data directory, and a second process opening it can silently lose committed writes.
 * The owning process therefore holds `<dataDir>/cobranza.lock`, created exclusively (O_EXCL). The file records the
 * owner's pid and, when the owner serves HTTP, its URL and a local secret so that other `cobranza` commands can run
 * through it instead of opening the directory a second time.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** Set by a serving owner: where other commands send their work. */
  url?: string;
  /** Shared with local processes only through the file (mode 0600). */
  secret?: string;
}

export interface HeldLock {
  readonly path: string;
  readonly info: LockInfo;
  /** Records the URL other commands should use while this process serves. */
  advertise(url: string): void;
  release(): void;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  readonly owner: LockInfo;
  constructor(path: string, owner: LockInfo) {
    super(`the data directory is in use by process ${owner.pid} (lock file ${path})`);
    this.owner = owner;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockPath(dataDir: string): string {
  return join(dataDir, 'cobranza.lock');
}

/** Reads the current owner, or null when nobody (alive) holds the directory. */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return isAlive(info.pid) && info.pid !== process.pid ? info : null;
  } catch {
    return null;
  }
}

/** Takes the lock or throws DataDirLockedError naming the live owner. A lock left by a dead process is taken over. */
export function acquireLock(dataDir: string, now: Date): HeldLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, startedAt: now.toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
          if (current.pid === process.pid) rmSync(path, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return {
        path,
        info,
        advertise(url: string) {
          info.url = url;
          info.secret = randomBytes(24).toString('base64url');
          const tmp = `${path}.${process.pid}.tmp`;
          writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
          renameSync(tmp, path);
        },
        release,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: LockInfo | null;
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
      } catch {
        // Half-written by an owner that died between create and write: treat as stale.
        owner = null;
      }
      if (owner && isAlive(owner.pid)) throw new DataDirLockedError(path, owner);
      // Stale: its owner died without cleaning up.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
