/**
 * `cobranza compliance rules|adjust|reset|holiday-add|holiday-remove`, in process through the entry the server's CLI
 * bridge uses: the company's rule adjustments from a file, validated with the field at fault, and its holidays.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import type { Language } from '../../src/domain/text.ts';
import { serverSession } from '../../src/cli/session.ts';
import { auditLog } from '../../src/db/tables/access.ts';
import { getComplianceSettings } from '../../src/modules/settings/index.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let dir: string;
const clock = fixedClock('2026-03-31T18:00:00Z');

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runIn('en', ...args);
}

async function runIn(language: Language, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIO(dir, language);
  const code = await runCli(args, io, serverSession(loadConfig({}), clock, database));
  return { code, stdout: io.out(), stderr: io.err() };
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'cobranza-compliance-settings-'));
});
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cobranza compliance rules and holidays', () => {
  it('adjusts a country from a YAML file, refuses a bad one naming the field, and edits holidays', async () => {
    const shown = await runIn('es', 'compliance', 'rules');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('MX · México (CONDUSEF, entidades financieras) (MX)');
    expect(shown.stdout).toContain('lun  llamadas/visitas 07:00–22:00  ·  escritos 07:00–22:00');
    // In English by default: the rule set's English name and the words around the hours.
    const english = await run('compliance', 'rules');
    expect(english.stdout).toContain('MX · Mexico (CONDUSEF, financial institutions) (MX)');
    expect(english.stdout).toContain('Mon  calls/visits 07:00–22:00  ·  written 07:00–22:00');
    expect(english.stdout).not.toMatch(/llamadas|escritos|festivos/);

    await writeFile(join(dir, 'mx.yaml'), 'overrides:\n  hours:\n    written:\n      - { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" }\n  holidays: refused\n');
    const adjusted = await runIn('es', 'compliance', 'adjust', 'mx', 'mx.yaml');
    expect(adjusted.code, adjusted.stderr).toBe(0);
    expect(adjusted.stdout).toContain('con ajustes de la empresa');
    expect(adjusted.stdout).toContain('lun  llamadas/visitas 07:00–22:00  ·  escritos 09:00–18:00');
    expect(adjusted.stdout).toContain('sáb  llamadas/visitas 07:00–22:00  ·  escritos —');

    await writeFile(join(dir, 'bad.yaml'), 'overrides:\n  hours:\n    voice:\n      - { days: [1], from: "20:00", to: "08:00" }\n  caps:\n    - { id: x, kind: max_per_day, channels: [sms], max: -2 }\n');
    const bad = await run('compliance', 'adjust', 'MX', 'bad.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('overrides.hours.voice.0: a window must end after it starts');
    expect(bad.stderr).toContain('overrides.caps.0.max: a cap cannot be negative');

    expect((await run('compliance', 'holiday-add', 'MX', '2026-05-02', 'Aniversario')).stdout).toBe('MX: 2026-05-02 is a holiday now\n');
    expect((await runIn('es', 'compliance', 'holiday-remove', 'MX', '2026-09-16')).stdout).toBe('MX: el 2026-09-16 ya no es día festivo\n');
    expect((await run('compliance', 'holiday-remove', 'MX', '2026-09-17')).stderr).toContain('2026-09-17 is not a holiday for MX');
    const ctx = await serverSession(loadConfig({}), clock, database).ctx('test');
    const mx = (await getComplianceSettings(ctx)).countries[0]!;
    expect(mx.rules.holidays).toBe('refused');
    expect(mx.adjustments?.holidays).toEqual({ add: [{ date: '2026-05-02', name: 'Aniversario' }], remove: ['2026-09-16'] });
    expect(mx.holidays.map((h) => h.date)).toContain('2026-05-02');

    const json = JSON.parse((await run('compliance', 'rules', '--country', 'mx', '--json')).stdout);
    expect(json.countries[0].rules.hours.written).toEqual([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }]);

    expect((await run('compliance', 'reset', 'MX')).code).toBe(0);
    expect((await getComplianceSettings(ctx)).countries[0]!.adjustments).toBeNull();
    const actions = (await database.db.select().from(auditLog).where(and(eq(auditLog.companyId, ctx.companyId), eq(auditLog.entity, 'compliance_rules')))).map((e) => e.action);
    expect(actions).toEqual(['compliance_rules.update', 'compliance_holiday.add', 'compliance_holiday.remove', 'compliance_rules.reset']);
  });
});
