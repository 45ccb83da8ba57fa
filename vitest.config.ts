import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The LocalStack tier needs a running LocalStack; it has its own config and script.
    exclude: ['test/localstack/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: emulator-backed files each start their own emulators, so keep concurrency low.
    maxWorkers: 2,
    minWorkers: 1,
    setupFiles: ['test/support/setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
