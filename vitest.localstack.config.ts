import { defineConfig } from 'vitest/config';

/**
 * The LocalStack tier (`npm run test:localstack`, see test/localstack/run.ts): global-setup.ts
 * deploys the real stacks with cdklocal, the tests use them as a user would, then it destroys them.
 */
export default defineConfig({
  test: {
    include: ['test/localstack/**/*.test.ts'],
    globalSetup: ['test/localstack/global-setup.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    maxWorkers: 1,
    minWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
