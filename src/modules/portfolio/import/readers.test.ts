import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { detectDelimiter, readCsv } from './csv.ts';
import type { SourceItem } from './source.ts';
import { numberText } from './xlsx.ts';

async function collect(chunks: Array<string | Buffer>, options: Parameters<typeof readCsv>[1] = {}): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readCsv(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), options)) items.push(item);
  return items;
}

describe('numberText', () => {
  test.each([
    [1250.5, '1250.5'],
    [0.1 + 0.2, '0.3'],
    [1001, '1001'],
    [-3.25, '-3.25'],
    [1e21, '1000000000000000000000'],
    [0.0000001, '0.0000001'],
    [123456789.12, '123456789.12'],
    [0, '0'],
  ])('%d → %s', (value, text) => expect(numberText(value)).toBe(text));
});

test('detectDelimiter counts outside quotes', () => {
  expect(detectDelimiter('a;b;c')).toBe(';');
  expect(detectDelimiter('a,b;c,d')).toBe(',');
  expect(detectDelimiter('"a;b;c",d')).toBe(',');
  expect(detectDelimiter('single')).toBe(',');
});

describe('readCsv', () => {
  test('CRLF split across chunks, a BOM, and a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('\ufeffid;nombre\r\n1;Peña\r\n2;Ñu\r\n');
    const cut = bytes.indexOf(Buffer.from('ñ')) + 1; // inside the two-byte ñ
    const crlf = bytes.indexOf(Buffer.from('\r\n2')) + 1; // between \r and \n
    const items = await collect([bytes.subarray(0, cut), bytes.subarray(cut, crlf), bytes.subarray(crlf)]);
    expect(items).toEqual([
      { line: 1, fields: ['id', 'nombre'] },
      { line: 2, fields: ['1', 'Peña'] },
      { line: 3, fields: ['2', 'Ñu'] },
    ]);
  });

  test('Latin-1 is read as Windows-1252 (0x80 is the euro sign)', async () => {
    const items = await collect([Buffer.from([0x61, 0x0a, 0x80, 0xf1, 0x0a])], { encoding: 'latin1' });
    expect(items[1]).toEqual({ line: 2, fields: ['€ñ'] });
  });

  test('lines full of empty fields are skipped like blank lines', async () => {
    const items = await collect(['a,b\n,,\n\n1,2\n , \n']);
    expect(items).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  test('old Mac line endings (CR only) count as lines', async () => {
    expect(await collect(['a,b\r1,2\r3,4'])).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  test('a quote after quote-free chunks hands over to the full parser without shifting line numbers', async () => {
    const items = await collect(['a,b\n1,2\n\n', '3,"x\ny"\n4,5\n', '6,7']);
    expect(items).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', 'x\ny'] },
      { line: 6, fields: ['4', '5'] },
      { line: 7, fields: ['6', '7'] },
    ]);
  });

  test('the fast path splits ragged and blank-field lines like the full parser', async () => {
    const text = 'a;b;c\n1;2\n;;\n3;4;5;6\n  x ;y;z';
    const quoted = 'a;b;"c"\n1;2\n;;\n3;4;5;6\n  x ;y;z';
    const fast = await collect([text], { delimiter: ';' });
    const full = await collect([quoted], { delimiter: ';' });
    expect(fast).toEqual(full);
    expect(fast.map((i) => i.line)).toEqual([1, 2, 4, 5]);
  });

  test('an unclosed quote after the fast path is reported on the line where it opens, counted from the file start', async () => {
    const items = await collect(['a,b\n1,2\n', '3,"never closed\n4,5\n']);
    expect(items.slice(0, 2)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(items[2]).toMatchObject({ line: 3, error: { en: expect.stringContaining('never closed'), es: expect.stringContaining('nunca se cierra') } });
    expect(items).toHaveLength(3);
  });
});
