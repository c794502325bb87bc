/**
 * How the embedded PostgreSQL is started, shared by the process that owns the data directory and the short-lived child
 * that creates a new one (src/db/pglite-init.ts).
 */
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite keeps PostgreSQL's shared buffers inside the process's WebAssembly memory, which never shrinks; the stock
 * 128MB is most of the embedded product's resident set. The data files are read through the operating system's page
 * cache anyway, so a smaller pool costs little: 16MB instead of 32MB lowered the benchmark's peak by about 25 MB
 * (three runs each: 432–458 MB against 466–479 MB) for about 4 % more time importing, runs unchanged
 * (docs/benchmarks.md). Overridable for experiments.
 */
const SHARED_BUFFERS = process.env.COBRANZA_PGLITE_SHARED_BUFFERS ?? '16MB';

export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
}
