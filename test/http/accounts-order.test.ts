/**
 * GET /accounts?sort=name lists debtors in Spanish alphabetical order on both back ends (accents and case do not move a
 * name, ñ comes after n), page after page through the keyset cursor, from the name index; and a days-past-due range
 * that cannot match (from above to) is a 400 that says so, not an empty list.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { startAccessHarness, type AccessHarness } from '../access/harness.ts';

let h: AccessHarness;

// In Spanish order; a byte (C) order would put "alberto" after "Zacarías" and every accented initial after both.
const SPANISH_ORDER = ['alberto ruiz', 'Álvaro Pérez', 'Élmer Díaz', 'Emilio Soto', 'Nube SA', 'Núñez Hermanos', 'Ñandú SA', 'Oscar Luna', 'Óscar Méndez', 'Zacarías Ortega'];

const get = async (url: string) => h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.a.keys.admin}` } });

beforeAll(async () => {
  h = await startAccessHarness();
  const shuffled = [...SPANISH_ORDER].sort((a, b) => (a.length % 3) - (b.length % 3) || b.localeCompare(a));
  const seed = async (ctx: typeof h.a.ctx, names: string[], prefix: string) => {
    await saveRecords(ctx, { entity: 'debtors', rows: names.map((name, i) => ({ external_id: `${prefix}-${i}`, name })) });
    await saveRecords(ctx, { entity: 'obligations', rows: names.map((_, i) => ({ external_id: `${prefix}-O-${i}`, debtor_external_id: `${prefix}-${i}`, currency: 'MXN', amount: '100.00', due_on: '2026-02-01' })) });
    await runPortfolio(ctx, { asOf: '2026-03-15' });
  };
  await seed(h.a.ctx, shuffled, 'A');
  // Another company's debtors sit between ours in the name index; they never show.
  await seed(h.b.ctx, ['Beatriz Otra', 'Mario Otro', 'Ñoño Otro'], 'B');
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function allPages(order: 'asc' | 'desc'): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const res = await get(`/accounts?sort=name&order=${order}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { data: Array<{ name: string }>; next_cursor: string | null };
    names.push(...body.data.map((a) => a.name));
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return names;
}

describe('accounts by name', () => {
  it('sorts names in Spanish alphabetical order, page after page', async () => {
    expect(await allPages('asc')).toEqual(SPANISH_ORDER);
    expect(await allPages('desc')).toEqual([...SPANISH_ORDER].reverse());
  });

  it('reads names in order from the name index instead of sorting every account', async () => {
    const plan = await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      await tx.execute(sql`SET LOCAL enable_sort = off`);
      const result = (await tx.execute(sql`EXPLAIN SELECT d.name FROM debtors d WHERE d.company_id = ${h.a.companyId} ORDER BY d.name, d.id LIMIT 51`)) as unknown as { rows: Array<Record<string, string>> };
      return result.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('debtors_name_idx');
  });
});

describe('account filters', () => {
  it('refuses a days-past-due range whose start is above its end, on the list and the export', async () => {
    for (const url of ['/accounts?dpd_min=100&dpd_max=10', '/accounts/export?format=csv&dpd_min=100&dpd_max=10']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('dpd_min (100) is above dpd_max (10)'), details: [{ path: 'query.dpd_max' }] });
    }
    expect((await get('/accounts?dpd_min=10&dpd_max=10')).statusCode).toBe(200);
  });
});
