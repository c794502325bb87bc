/**
 * A 100k-row obligations file streams through in bounded memory: the heap is sampled during the import and its peak
 * growth must stay far below what holding the file's rows would take.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { expect, test } from 'vitest';
import { importFile } from '../../src/modules/portfolio/index.ts';
import { count, importCsv, useWorld, writeTemp, type World } from './helpers.ts';

const ROWS = 100_000;
const DEBTORS = 2_000;

let world: World;
useWorld((w) => (world = w));

async function writeObligations(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('external_id,debtor_external_id,kind,product,currency,amount,issued_on,due_on\n');
  for (let i = 0; i < ROWS; i++) {
    const line = `OB-${String(i).padStart(6, '0')},D-${i % DEBTORS},installment,loan ${i % 7},MXN,${1000 + (i % 5000)}.${String(i % 100).padStart(2, '0')},2025-12-01,2026-0${1 + (i % 9)}-15\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

test(`imports ${ROWS} obligations with bounded heap growth`, async () => {
  const debtors = ['external_id,name'];
  for (let i = 0; i < DEBTORS; i++) debtors.push(`D-${i},Debtor ${i}`);
  expect((await importCsv(world, 'debtors', debtors.join('\n') + '\n')).inserted).toBe(DEBTORS);

  const path = await writeTemp(world, '', '.csv');
  await writeObligations(path);

  globalThis.gc?.();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 20);
  const began = performance.now();
  const progress: number[] = [];
  try {
    const result = await importFile(world.ctx, {
      entity: 'obligations',
      path,
      onProgress: (rows) => {
        progress.push(rows);
        sample();
      },
    });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ status: 'completed', rows: ROWS, inserted: ROWS, updated: 0, unchanged: 0 });
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - began) / 1000;
  const growthMb = (peak - start) / 1024 / 1024;
  console.log(`${ROWS} obligations in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s), peak heap growth ${growthMb.toFixed(0)} MB`);
  // Streaming measures 20–65 MB here (GC timing); holding the parsed rows would add ~30 MB per 100k rows on top.
  expect(growthMb).toBeLessThan(150);
  expect(await count(world, 'obligations')).toBe(ROWS);
  // Progress arrives while the file streams, not only at the end.
  expect(progress.length).toBeGreaterThan(10);
  expect(progress.at(-1)).toBe(ROWS);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
}, 120_000);
