import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** iam.test.ts checks the AWS calls the other files made the functions do: it runs last. */
class IamCheckLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (file: TestSpecification) => file.moduleId.endsWith('/test/localstack/iam.test.ts');
    return [...sorted.filter((file) => !last(file)), ...sorted.filter(last)];
  }
}

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
    fileParallelism: false,
    sequence: { sequencer: IamCheckLast },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
