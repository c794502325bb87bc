import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/db/connection.ts';
import { arrayLiteral } from '../../src/db/array-literal.ts';
import { textArray } from '../../src/modules/portfolio/import/sql.ts';
import { bigintArray } from '../../src/modules/messaging/sql.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('array parameters', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  // Values an import file can carry that an array literal would misread if copied carelessly.
  const tricky = ['plain', '', ' padded ', 'NULL', 'null', 'a,b', '{braces}', 'quote " inside', 'back\\slash', '\\"', '"', '\\', 'línea\nnueva', 'tab\there', 'ñandú €', "o'brien", 'a}b{c', '  '];

  it('passes every text value through unchanged, in order, with NULL only for null', async () => {
    const values = [...tricky, null, 'after null'];
    const rows = await database.query<{ v: string | null; n: number }>(sql`SELECT v, n::int AS n FROM unnest(${textArray(values)}) WITH ORDINALITY AS u(v, n) ORDER BY n`);
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it('passes an empty array and bigint ids', async () => {
    const [empty] = await database.query<{ n: number }>(sql`SELECT cardinality(${textArray([])})::int AS n`);
    expect(empty!.n).toBe(0);
    const [ids] = await database.query<{ s: string }>(sql`SELECT sum(x)::text AS s FROM unnest(${bigintArray([1, 9007199254740991, 42])}) AS x`);
    expect(ids!.s).toBe('9007199254741034');
  });

  it('quotes every element and escapes only quotes and backslashes', () => {
    expect(arrayLiteral(['a', null, 'say "hi"', 'c:\\x'])).toBe('{"a",NULL,"say \\"hi\\"","c:\\\\x"}');
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral([null, null])).toBe('{NULL,NULL}');
    expect(arrayLiteral(['x', '', 'y'])).toBe('{"x","","y"}');
  });

  it('reads back batches that are all null, all plain, or plain with one value to escape', async () => {
    for (const values of [[null, null, null], ['1', '2', ''], ['a', 'b"c', 'd'], ['a', 'b\\c']]) {
      const rows = await database.query<{ v: string | null }>(sql`SELECT v FROM unnest(${textArray(values)}) WITH ORDINALITY AS u(v, n) ORDER BY n`);
      expect(rows.map((r) => r.v)).toEqual(values);
    }
  });
});
