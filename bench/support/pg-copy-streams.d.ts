// pg-copy-streams ships no types and @types/pg-copy-streams is not installed; this covers the one call the bench makes.
declare module 'pg-copy-streams' {
  import type { Writable } from 'node:stream';
  import type { Submittable } from 'pg';

  /** A `COPY … FROM STDIN` statement to pass to `client.query`; write the data into it. */
  export function from(text: string): Writable & Submittable & { rowCount: number };
}
