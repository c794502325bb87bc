/**
 * Statements a hot read path runs many times a second, as named prepared statements on PostgreSQL: each pooled
 * connection parses and plans the text once (the server then settles on a generic plan when it is as good as the
 * custom ones) instead of on every request. The name is derived from the text, so two texts never share a name; the
 * values stay parameters. PGlite runs them as ordinary queries. Only for statements whose text comes from a small
 * fixed set: each distinct text is kept by every connection for its lifetime.
 */
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './connection.ts';

const dialect = new PgDialect();
/** Statement names by text; past this many distinct texts, statements run unnamed (a misuse must not grow memory). */
const names = new Map<string, string>();
const MAX_NAMES = 500;

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `cbz_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}

/** Runs `statement` as a named prepared statement (PostgreSQL) and returns its rows, as `database.query` would. */
export async function queryPrepared<T = Record<string, unknown>>(database: Database, statement: SQL): Promise<T[]> {
  if (database.backend.kind !== 'postgres') return database.query<T>(statement);
  const built = dialect.sqlToQuery(statement);
  const prepared = database.db._.session.prepareQuery(built, undefined, nameOf(built.sql), false);
  const result = (await prepared.execute()) as { rows: T[] };
  return result.rows;
}
