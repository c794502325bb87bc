/** Where a command writes. Local runs use the process streams; commands run through a server are captured. */
export interface CliIO {
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(chunk: string): unknown };
  /** Working directory that relative file paths are resolved against (the caller's, also when run remotely). */
  cwd: string;
  /** Whether stderr is a terminal (progress bars only then). */
  isTTY: boolean;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), isTTY: !!process.stderr.isTTY };
}

export function bufferIO(cwd: string): CliIO & { out(): string; err(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (c: string | Uint8Array) => out.push(typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) },
    stderr: { write: (c: string) => err.push(c) },
    cwd,
    isTTY: false,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
