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
  // The app speaks as "usted" to everyone, staff in the back office and debtors in the portal alike (test/i18n/usted.test.ts
  // checks every Spanish text of the product the same way).
  it('the app addresses its readers as usted, never as tú', () => {
    // Words only tú uses, anywhere; and commands in the tú form, which start a sentence ("Escribe…", not "se escribe").
    const tu = /\b(tu|tus|te|ti|puedes|tienes|quieres|olvidaste|inténtalo|restablece)\b/i;
    const command = /(^|[.:;!?¿¡]\s*)(Elige|Escribe|Revisa|Vuelve|Pide|Entra|Abre|Usa|Cambia|Agrega|Guarda|Busca|Sube|Descarga|Confirma|Intenta)\b/;
    const informal = Object.values(catalogs)
      .flatMap((catalog) => Object.entries(catalog.es))
      .filter(([, es]) => tu.test(es) || command.test(es))
      .map(([key, es]) => `${key}: ${es}`);
    expect(informal).toEqual([]);
  });
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
