import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // PGlite instances are memory-hungry; two forks match the two cores CI has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
