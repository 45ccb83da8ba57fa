import { defineConfig } from 'vitest/config';

/** The LocalStack tier: deploys the real stacks with cdklocal; see test/localstack/run.ts. */
export default defineConfig({
  test: {
    include: ['test/localstack/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    maxWorkers: 1,
    minWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
