import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors } from '../../src/db/schema.ts';
import { matchesWords, startsIdentifier } from '../../src/db/search.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('debtors', () => {
  it('creates, reads, patches and lists a debtor', async () => {
    const created = await call(h.app, h.a.key, 'POST', '/debtors', {
      external_id: 'D-1',
      name: 'María López',
      tax_id: 'XOJI740919U48',
      email: 'maria@Example.COM',
      phone: '33 1234 5678',
      region: 'Jalisco',
      tags: ['vip', 'retail'],
      attributes: { score: '710' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const d = created.json();
    expect(d).toMatchObject({
      external_id: 'D-1',
      name: 'María López',
      country: 'MX',
      email: 'maria@example.com',
      tags: ['vip', 'retail'],
      attributes: { score: '710' },
      balances: {},
      unapplied: {},
      accounts: [],
      holds: [],
    });
    expect(d.time_zone).toMatch(/^America\//);

    const again = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-1', name: 'María López' });
    expect(again.statusCode).toBe(200);
    expect(again.json().email).toBe('maria@example.com');

    const patched = await call(h.app, h.a.key, 'PATCH', '/debtors/D-1', { city: 'Guadalajara', email: null, attributes: { segment_hint: 'a', score: null } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'María López', city: 'Guadalajara', email: null, tags: ['vip', 'retail'], attributes: { segment_hint: 'a' } });
    expect(patched.json().attributes).not.toHaveProperty('score');

    const got = await call(h.app, h.a.key, 'GET', '/debtors/D-1');
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(patched.json());

    const list = await call(h.app, h.a.key, 'GET', '/debtors?external_id=D-1');
    expect(list.json()).toMatchObject({ data: [{ external_id: 'D-1' }], next_cursor: null });
  });

  it('keeps one of the tags that differ only in case or spaces, spelled as first sent', async () => {
    const created = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-tags', name: 'Tags', tags: ['VIP', ' vip ', 'Moroso', 'MOROSO'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().tags).toEqual(['VIP', 'Moroso']);
    const patched = await call(h.app, h.a.key, 'PATCH', '/debtors/D-tags', { tags: 'nuevo;Nuevo;NUEVO ' });
    expect(patched.json().tags).toEqual(['nuevo']);
  });

  it('reports validation problems per field with the body path', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-bad', name: 'X', email: 'not-an-email', country: 'ZZ' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    const paths = body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.country']));
    expect((await call(h.app, h.a.key, 'GET', '/debtors/D-bad')).statusCode).toBe(404);
  });

  it('refuses unknown fields and attribute names that are columns in disguise', async () => {
    const unknown = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-2', name: 'X', nmae: 'typo' });
    expect(unknown.statusCode).toBe(400);
    const alias = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-2', name: 'X', attributes: { nombre: 'Y' } });
    expect(alias.statusCode).toBe(400);
    expect(alias.json().details[0].path).toBe('body.attributes.nombre');
  });

  it('a PATCH with a new region re-derives the time zone', async () => {
    await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-tz', name: 'Tz', region: 'Jalisco' });
    const moved = await call(h.app, h.a.key, 'PATCH', '/debtors/D-tz', { region: 'Baja California' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().time_zone).toBe('America/Tijuana');
  });

  it('keeps companies apart: another company cannot read, list or change a debtor (404, not 403)', async () => {
    await call(h.app, h.b.key, 'POST', '/debtors', { external_id: 'B-only', name: 'Secreto SA', type: 'company' });
    expect((await call(h.app, h.a.key, 'GET', '/debtors/B-only')).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'GET', '/debtors?external_id=B-only')).json().data).toEqual([]);
    const patch = await call(h.app, h.a.key, 'PATCH', '/debtors/B-only', { name: 'Hacked' });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().code).toBe('not_found');
    const hold = await call(h.app, h.a.key, 'POST', '/debtors/B-only/holds', { reason: 'dispute' });
    expect(hold.statusCode).toBe(404);
    const still = await call(h.app, h.b.key, 'GET', '/debtors/B-only');
    expect(still.json()).toMatchObject({ name: 'Secreto SA', holds: [] });
  });
});

describe('debtor list', () => {
  beforeAll(async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      external_id: `P-${String(i).padStart(3, '0')}`,
      name: `${i % 2 ? 'Ana' : 'Beto'} ${String(i).padStart(3, '0')}`,
      region: i % 3 === 0 ? 'Nuevo León' : 'Jalisco',
      tags: i % 10 === 0 ? 'moroso;vip' : '',
      tax_id: i === 7 ? 'EKU-900317-3C9' : '',
    }));
    await saveRecords(h.a.ctx, { entity: 'debtors', rows });
  });

  it('walks 120 debtors in pages of 50: 3 pages, none repeated, none missing', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/debtors?q=&limit=50${cursor ? `&cursor=${cursor}` : ''}`.replace('q=&', '');
      const res = await call(h.app, h.a.key, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { data: Array<{ external_id: string }>; next_cursor: string | null };
      seen.push(...body.data.map((d) => d.external_id).filter((id) => id.startsWith('P-')));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(120);
    expect(pages).toBe(3);
  });

  it('walks by name too, in name order', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(h.app, h.a.key, 'GET', `/debtors?sort=name&limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { data: Array<{ name: string; external_id: string }>; next_cursor: string | null };
      names.push(...body.data.filter((d) => d.external_id.startsWith('P-')).map((d) => d.name));
      cursor = body.next_cursor;
    } while (cursor);
    expect(names.length).toBe(120);
    expect(names.slice(0, 60).every((n) => n.startsWith('Ana'))).toBe(true);
  });

  it('filters by name or tax id prefix, region, tag and country', async () => {
    const byName = await call(h.app, h.a.key, 'GET', '/debtors?q=ana%2000&limit=500');
    expect(byName.json().data.map((d: { name: string }) => d.name)).toEqual(['Ana 001', 'Ana 003', 'Ana 005', 'Ana 007', 'Ana 009']);
    const byTax = await call(h.app, h.a.key, 'GET', '/debtors?q=eku.900317');
    expect(byTax.json().data.map((d: { external_id: string }) => d.external_id)).toEqual(['P-007']);
    const byRegion = await call(h.app, h.a.key, 'GET', '/debtors?region=NLE&limit=500');
    expect(byRegion.json().data.length).toBe(40);
    // A region's name or alias finds the code the import stored, as in segment rules.
    for (const region of ['Nuevo%20Le%C3%B3n', 'nuevo%20leon', 'NL', 'MX-NLE']) {
      const byName = await call(h.app, h.a.key, 'GET', `/debtors?region=${region}&limit=500`);
      expect(byName.json().data.length, region).toBe(40);
    }
    const byTag = await call(h.app, h.a.key, 'GET', '/debtors?tag=moroso&limit=500');
    expect(byTag.json().data.length).toBe(12);
    const byTagInCapitals = await call(h.app, h.a.key, 'GET', '/debtors?tag=MOROSO&limit=500');
    expect(byTagInCapitals.json().data.length).toBe(12);
    const byCountry = await call(h.app, h.a.key, 'GET', '/debtors?country=co');
    expect(byCountry.json().data).toEqual([]);
    const wildcard = await call(h.app, h.a.key, 'GET', '/debtors?q=%25');
    expect(wildcard.json().data).toEqual([]);
  });

  /** The external ids `GET /debtors?q=` finds, in `sort` order (the API's default, external id, unless named). */
  const found = async (q: string, sort = 'external_id') => {
    const res = await call(h.app, h.a.key, 'GET', `/debtors?q=${encodeURIComponent(q)}&sort=${sort}&limit=500`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().data as Array<{ external_id: string }>).map((d) => d.external_id);
  };

  it('finds names by words in any case, with or without accents, and tax ids with or without separators', async () => {
    await saveRecords(h.a.ctx, {
      entity: 'debtors',
      rows: [
        { external_id: 'S-1', name: 'José Hernández Núñez', tax_id: 'gode-561231-gr8' },
        { external_id: 'S-2', name: 'JOSEFINA LÓPEZ', tax_id: '' },
        { external_id: 'S-3', name: 'María José Ortega', tax_id: '' },
        { external_id: 'S-4', name: 'Comercial Ñandú S.A. de C.V.', tax_id: '' },
      ],
    });
    expect(await found('jose')).toEqual(['S-1', 'S-2', 'S-3']);
    expect(await found('JOSÉ')).toEqual(['S-1', 'S-2', 'S-3']);
    expect(await found('maria jose', 'name')).toEqual(['S-3']);
    expect(await found('jose', 'name')).toEqual(['S-1', 'S-2', 'S-3']);
    expect(await found('hernandez jos')).toEqual(['S-1']);
    expect(await found('nunez')).toEqual(['S-1']);
    expect(await found('lopez josefina')).toEqual(['S-2']);
    expect(await found('Ñandú S.A.')).toEqual(['S-4']);
    expect(await found('nandu')).toEqual(['S-4']);
    // A word matches from its start only.
    expect(await found('ose')).toEqual([]);
    // Tax ids: any case, with or without the separators they were written with.
    expect(await found('gode561231')).toEqual(['S-1']);
    expect(await found('GODE-5612')).toEqual(['S-1']);
    // Punctuation alone searches for nothing and finds nothing.
    expect(await found('-')).toEqual([]);
    expect(await found('%_')).toEqual([]);
  });

  it('finds debtors by the start of the external id, in any case and with or without separators', async () => {
    await saveRecords(h.a.ctx, {
      entity: 'debtors',
      rows: [
        { external_id: 'QA-001', name: 'Quinta Avenida', tax_id: '' },
        { external_id: 'QA-002', name: 'Quimicos Andinos', tax_id: '' },
        { external_id: 'Cli-77', name: 'Cliente Setenta', tax_id: '' },
      ],
    });
    expect(await found('QA-001')).toEqual(['QA-001']);
    expect(await found('qa-001')).toEqual(['QA-001']);
    expect(await found('QA001')).toEqual(['QA-001']);
    expect(await found('QA-00')).toEqual(['QA-001', 'QA-002']);
    expect(await found('cli-77')).toEqual(['Cli-77']);
    expect(await found('CLI77')).toEqual(['Cli-77']);
    // Names are still searched by their words, and the middle of an id finds nothing.
    expect(await found('quinta')).toEqual(['QA-001']);
    expect(await found('li-77')).toEqual([]);
  });

  it('searches through the name, tax id and external id indexes', async () => {
    const plan = await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const where = sql`${matchesWords(debtors.name, 'jose hernan')} OR ${startsIdentifier(debtors.taxId, 'jose hernan')} OR ${startsIdentifier(debtors.externalId, 'jose hernan')}`;
      const result = (await tx.execute(sql`EXPLAIN SELECT id FROM debtors WHERE ${where}`)) as unknown as { rows: Array<Record<string, string>> };
      return result.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('debtors_name_search_idx');
    expect(plan).toContain('debtors_tax_id_search_idx');
    expect(plan).toContain('debtors_external_id_search_idx');
  });

  it('refuses a cursor that was tampered with or belongs to another list', async () => {
    const bad = await call(h.app, h.a.key, 'GET', '/debtors?cursor=!!!');
    expect(bad.statusCode).toBe(400);
    const other = Buffer.from(JSON.stringify(['2026-01-01', 'x'])).toString('base64url');
    const res = await call(h.app, h.a.key, 'GET', `/debtors?cursor=${other}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('query.cursor');
  });
});
