/**
 * A region named in a segment rule, the debtor list's filter or an assignment rule is read as an import reads a
 * debtor's region: "CDMX", "Ciudad de México" and "CMX" all mean the Mexican debtor stored as CMX, and the reading is
 * the debtor's own country's ("Metropolitana" is Chile's RM).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, debtors, obligations } from '../../src/db/schema.ts';
import { assignments } from '../../src/db/tables/worklists.ts';
import { addDays } from '../../src/domain/calendar.ts';
import { addSegment } from '../../src/modules/collection-runs/index.ts';
import { listDebtors } from '../../src/modules/portfolio/index.ts';
import { autoAssign, saveAssignmentRule, setCollector } from '../../src/modules/worklists/index.ts';
import { createBook, type Book } from './setup.ts';

describe('region names and codes in rules and filters', () => {
  let book: Book;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    book = await createBook('regiones');
    ids.CDMX = await book.debtor('CDMX-1', { dpd: 10, amount: 50_000n, region: 'CMX' });
    ids.JAL = await book.debtor('JAL-1', { dpd: 10, amount: 50_000n, region: 'JAL' });
    ids.NLE = await book.debtor('NLE-1', { dpd: 10, amount: 50_000n, region: 'NLE' });
    const [chile] = await book.database.db
      .insert(debtors)
      .values({ companyId: book.companyId, externalId: 'RM-1', name: 'Deudor RM-1', country: 'CL', region: 'RM', timeZone: 'America/Santiago' })
      .returning({ id: debtors.id });
    ids.RM = chile!.id;
    await book.database.db
      .insert(obligations)
      .values({ companyId: book.companyId, portfolioId: book.portfolioId, debtorId: chile!.id, externalId: 'RM-1-1', currency: 'CLP', amount: 5_000n, balance: 5_000n, dueOn: addDays(book.today, -10) });
    await addSegment(book.ctx, { name: 'capital', rule: "region = 'CDMX'" });
    await addSegment(book.ctx, { name: 'occidente-norte', rule: "region in ('Jalisco', 'nuevo leon')" });
    await addSegment(book.ctx, { name: 'santiago', rule: "region = 'Región Metropolitana'" });
    await addSegment(book.ctx, { name: 'fuera-capital', rule: "region != 'Ciudad de México'" });
    await book.run();
  });
  afterAll(async () => book.close());

  it('places accounts in the segments whose rules name their region by name or by another code', async () => {
    const rows = await book.database.db
      .select({ debtorId: accounts.debtorId, segments: accounts.segments })
      .from(accounts)
      .where(eq(accounts.companyId, book.companyId));
    const of = (id: number) => rows.find((r) => r.debtorId === id)!.segments;
    expect(of(ids.CDMX!)).toEqual(['capital']);
    expect(of(ids.JAL!)).toEqual(['fuera-capital', 'occidente-norte']);
    expect(of(ids.NLE!)).toEqual(['fuera-capital', 'occidente-norte']);
    expect(of(ids.RM!)).toEqual(['fuera-capital', 'santiago']);
  });

  it('filters the debtor list by a region name or alias', async () => {
    const found = async (region: string, country?: string) => (await listDebtors(book.ctx, { region, country })).rows.map((d) => d.external_id);
    expect(await found('CDMX')).toEqual(['CDMX-1']);
    expect(await found('ciudad de mexico')).toEqual(['CDMX-1']);
    expect(await found('cmx')).toEqual(['CDMX-1']);
    expect(await found('Nuevo León')).toEqual(['NLE-1']);
    expect(await found('Metropolitana')).toEqual(['RM-1']);
    expect(await found('Metropolitana', 'MX')).toEqual([]);
    expect(await found('Narnia')).toEqual([]);
  });

  it('assigns by a rule that names the region', async () => {
    const ana = await book.user('ana@regiones.example', 'collector');
    await setCollector(book.ctx, { collectorId: ana, capacity: 10 });
    await saveAssignmentRule(book.ctx, { name: 'Capital', region: 'Ciudad de México', collectorIds: [ana] });
    const summary = await autoAssign(book.ctx);
    expect(summary.byRule).toMatchObject({ Capital: 1 });
    const [placed] = await book.database.db
      .select({ collectorId: assignments.collectorId })
      .from(assignments)
      .where(and(eq(assignments.companyId, book.companyId), eq(assignments.debtorId, ids.CDMX!)));
    expect(placed?.collectorId).toBe(ana);
  });
});
