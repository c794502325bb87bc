/**
 * Names that arrive decomposed (NFD: "Jose" + combining acute, as some Mac exports write them) are stored composed
 * (NFC), whether they come in a file or through the API, so they display and are searched like names typed here.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, multipart, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const nfd = (text: string) => text.normalize('NFD');
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

function upload(entity: string, content: string) {
  const { payload, headers } = multipart({}, { name: 'deudores.csv', content: Buffer.from(content, 'utf8') });
  return h.app.inject({ method: 'POST', url: `/imports/${entity}`, payload, headers: { ...headers, authorization: `Bearer ${h.a.key}` } });
}

async function stored(externalId: string) {
  const [row] = await h.database.query<{ name: string; city: string | null; tags: string[]; attributes: Record<string, string> | string }>(
    sql`SELECT name, city, tags, attributes FROM debtors WHERE company_id = ${h.a.companyId} AND external_id = ${externalId}`,
  );
  return { ...row!, attributes: typeof row!.attributes === 'string' ? (JSON.parse(row!.attributes) as Record<string, string>) : row!.attributes };
}

async function found(q: string): Promise<string[]> {
  const res = await call(h.app, h.a.key, 'GET', `/debtors?q=${encodeURIComponent(q)}&limit=100`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as Array<{ external_id: string }>).map((d) => d.external_id).sort();
}

describe('decomposed text', () => {
  const file = ['id_cliente,nombre,ciudad,etiquetas,sucursal', `U-1,${nfd('José Pérez')},${nfd('Mérida')},${nfd('crédito; pequeña empresa')},${nfd('Centro Histórico')}`, `U-2,${nfd('Ana Šimunović')},,,`].join('\n');

  it('imports a CSV with decomposed names and stores them composed', async () => {
    const res = await upload('debtors', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 2 });
    const jose = await stored('U-1');
    expect(hex(jose.name)).toBe(hex('José Pérez'.normalize('NFC')));
    expect(hex(jose.city!)).toBe(hex('Mérida'.normalize('NFC')));
    expect(jose.tags.map(hex)).toEqual(['crédito', 'pequeña empresa'].map((t) => hex(t.normalize('NFC'))));
    expect(hex(jose.attributes.sucursal!)).toBe(hex('Centro Histórico'.normalize('NFC')));
    expect(hex((await stored('U-2')).name)).toBe(hex('Ana Šimunović'.normalize('NFC')));
    // What the API returns is what is stored.
    expect(hex((await call(h.app, h.a.key, 'GET', '/debtors/U-1')).json().name)).toBe(hex('José Pérez'.normalize('NFC')));
    // The same file again changes nothing: the stored names are already what the file says, composed.
    expect((await upload('debtors', file)).json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it('stores a decomposed name sent to the API composed', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'U-3', name: nfd('María José González'), city: nfd('Tlalnepantla de Baz, Méx.'), attributes: { gestion: nfd('Llamó el cónyuge') } });
    expect(res.statusCode, res.body).toBe(201);
    expect(hex(res.json().name)).toBe(hex('María José González'.normalize('NFC')));
    const row = await stored('U-3');
    expect(hex(row.name)).toBe(hex('María José González'.normalize('NFC')));
    expect(hex(row.city!)).toBe(hex('Tlalnepantla de Baz, Méx.'.normalize('NFC')));
    expect(hex(row.attributes.gestion!)).toBe(hex('Llamó el cónyuge'.normalize('NFC')));
    const patched = await call(h.app, h.a.key, 'PATCH', '/debtors/U-3', { name: nfd('María José González Núñez') });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(hex((await stored('U-3')).name)).toBe(hex('María José González Núñez'.normalize('NFC')));
  });

  it('finds them by the words typed with or without accents, composed or not', async () => {
    expect(await found('jose')).toEqual(['U-1', 'U-3']);
    expect(await found('José')).toEqual(['U-1', 'U-3']);
    expect(await found(nfd('José'))).toEqual(['U-1', 'U-3']);
    expect(await found('josé pérez')).toEqual(['U-1']);
    // A letter the search does not fold (Š, ć) matches only when both sides are composed.
    expect(await found('Šimunović')).toEqual(['U-2']);
    expect(await found(nfd('Šimunović'))).toEqual(['U-2']);
    const byTag = await call(h.app, h.a.key, 'GET', `/debtors?tag=${encodeURIComponent(nfd('pequeña empresa'))}`);
    expect(byTag.json().data.map((d: { external_id: string }) => d.external_id)).toEqual(['U-1']);
  });
});
