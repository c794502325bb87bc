import { describe, expect, it } from 'vitest';
import { catalogs } from './catalogs.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  for (const [area, catalog] of Object.entries(catalogs)) {
    it(`${area}: Spanish and English have the same keys and placeholders`, () => {
      expect(Object.keys(catalog.en).sort()).toEqual(Object.keys(catalog.es).sort());
      for (const [key, es] of Object.entries(catalog.es)) {
        expect(placeholders(catalog.en[key] ?? ''), key).toEqual(placeholders(es));
        expect(es.trim(), key).not.toBe('');
      }
    });
    it(`${area}: every key starts with the area's prefix`, () => {
      for (const key of Object.keys(catalog.es)) expect(key.startsWith(`${area}.`), key).toBe(true);
    });
  }
  it('no key is defined by two areas', () => {
    const seen = new Map<string, string>();
    for (const [area, catalog] of Object.entries(catalogs)) {
      for (const key of Object.keys(catalog.es)) {
        expect(seen.get(key), key).toBeUndefined();
        seen.set(key, area);
      }
    }
  });
});
