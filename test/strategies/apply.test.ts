/** Strategies as versioned files: apply, edit (a new version, never a changed one), list, show, and bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { portfolios, strategyVersions } from '../../src/db/schema.ts';
import { addSegment } from '../../src/modules/collection-runs/index.ts';
import { AppError } from '../../src/modules/shared/errors.ts';
import { applyStrategy, listStrategies, setStrategyStatus, showStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';

const V1 = `
name: estandar
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: email, template: preventive_reminder }
`;
const V2 = V1.replace('trigger: -5', 'trigger: -3');

let w: World;

beforeAll(async () => {
  w = await createWorld();
});

afterAll(async () => {
  await w?.close();
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('applying strategies', () => {
  it('creates a strategy with version 1, and applying the same file again changes nothing', async () => {
    expect(await applyStrategy(w.ctx, { source: V1 })).toEqual({ name: 'estandar', portfolio: 'default', version: 1, versionCreated: true, strategyCreated: true });
    expect(await applyStrategy(w.ctx, { source: V1 })).toMatchObject({ version: 1, versionCreated: false, strategyCreated: false });
  });

  it('editing creates the next version and leaves the earlier one untouched', async () => {
    const before = await w.database.db.select().from(strategyVersions);
    expect(await applyStrategy(w.ctx, { source: V2 })).toMatchObject({ version: 2, versionCreated: true });
    const after = await w.database.db.select().from(strategyVersions);
    expect(after.find((v) => v.version === 1)).toEqual(before.find((v) => v.version === 1));
    const shown = await showStrategy(w.ctx, { name: 'estandar' });
    expect(shown).toMatchObject({ version: 2, active: true, status: 'active', portfolio: 'default', source: V2 });
    expect(shown.versions.map((v) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect((shown.definition.rules as Array<{ steps: Array<{ trigger: unknown }> }>)[0]!.steps[0]!.trigger).toEqual({ days: -3 });
    const old = await showStrategy(w.ctx, { name: 'estandar', version: 1 });
    expect(old).toMatchObject({ version: 1, active: false });
  });

  it('lists strategies with their active version', async () => {
    const list = await listStrategies(w.ctx);
    expect(list.map((s) => ({ name: s.name, portfolio: s.portfolio, status: s.status, version: s.version, versions: s.versions }))).toEqual([
      { name: 'estandar', portfolio: 'default', status: 'active', version: 2, versions: 2 },
    ]);
  });

  it('accepts an object as well as a file', async () => {
    await addSegment(w.ctx, { name: 'vip', rule: "tags = 'vip'" });
    await w.database.db.insert(portfolios).values({ companyId: w.ctx.companyId, name: 'tarjetas' });
    const r = await applyStrategy(w.ctx, {
      definition: { name: 'tarjetas', portfolio: 'tarjetas', rules: [{ phase: 'administrative', segment: 'vip', steps: [{ id: 'a', trigger: 3, channel: 'sms', template: 'late_3_days' }] }] },
    });
    expect(r).toMatchObject({ name: 'tarjetas', version: 1 });
  });

  it('refuses invalid files with every problem and its path, writing nothing', async () => {
    const count = (await w.database.db.select().from(strategyVersions)).length;
    const e = await refusal(applyStrategy(w.ctx, { source: 'name: x\nportfolio: default\nrules:\n  - phase: later\n    steps: []\n' }));
    expect(e.code).toBe('validation_failed');
    expect(e.details.map((d) => d.path).sort()).toEqual(['rules[0].phase', 'rules[0].steps']);
    const yaml = await refusal(applyStrategy(w.ctx, { source: 'name: x\n  portfolio: [' }));
    expect(yaml.message).toMatch(/not valid YAML: line/);
    expect((await w.database.db.select().from(strategyVersions)).length).toBe(count);
  });

  it('refuses an unknown portfolio or segment', async () => {
    const p = await refusal(applyStrategy(w.ctx, { source: V1.replace('portfolio: default', 'portfolio: nope') }));
    expect(p.details[0]).toMatchObject({ path: 'portfolio' });
    const s = await refusal(
      applyStrategy(w.ctx, { definition: { name: 'seg', portfolio: 'default', rules: [{ phase: 'preventive', segment: 'ghost', steps: [{ id: 'a', trigger: 0, channel: 'sms', template: 'due_today' }] }] } }),
    );
    expect(s.details[0]).toMatchObject({ path: 'rules[0].segment' });
    expect(s.details[0]!.reason).toMatch(/segment "ghost" does not exist/);
  });

  it('runs one active strategy per portfolio', async () => {
    const e = await refusal(applyStrategy(w.ctx, { source: V1.replace('name: estandar', 'name: otra') }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/already runs strategy "estandar"/);
    await setStrategyStatus(w.ctx, { name: 'estandar', status: 'paused' });
    expect(await applyStrategy(w.ctx, { source: V1.replace('name: estandar', 'name: otra') })).toMatchObject({ name: 'otra', version: 1 });
    expect((await refusal(setStrategyStatus(w.ctx, { name: 'estandar', status: 'active' }))).code).toBe('conflict');
    const [p] = await w.database.db.select().from(portfolios).where(eq(portfolios.name, 'default'));
    expect(p).toBeDefined();
  });

  it('says when a strategy does not exist', async () => {
    expect((await refusal(showStrategy(w.ctx, { name: 'nada' }))).code).toBe('not_found');
  });
});

describe('templates named by steps', () => {
  it('refuses a message step whose template does not exist for its channel or its fallback channel', async () => {
    const e = await refusal(
      applyStrategy(w.ctx, {
        definition: {
          name: 'plantillas',
          portfolio: 'tarjetas',
          rules: [
            {
              phase: 'judicial',
              steps: [
                { id: 'x', trigger: 91, channel: 'letter', template: 'due_today', fallback: 'email' },
                { id: 'y', trigger: 95, channel: 'call_task', template: 'guion_llamada' },
                { id: 'z', trigger: 99, channel: 'sms', template: 'no_existe' },
              ],
            },
          ],
        },
      }),
    );
    expect(e.details.map((d) => d.path)).toEqual(['rules[0].steps[0].template', 'rules[0].steps[2].template']);
    expect(e.details[0]!.reason).toMatch(/no letter template "due_today"/);
  });
});
