import { spawnSync } from 'node:child_process';

/**
 * `npm run test:localstack`: the opt-in tier. It needs a running LocalStack (with Docker, for
 * Lambda), which our machines do not have; without an endpoint it says so plainly and runs
 * nothing, rather than reporting skipped tests as if they had been looked at.
 */
const endpoint = process.env.LOCALSTACK_ENDPOINT;
if (!endpoint) {
  console.log(
    [
      'LocalStack tier NOT RUN: no LocalStack endpoint is configured.',
      'To run it: start LocalStack (it needs Docker and, since March 2026, an auth token), then',
      '  LOCALSTACK_ENDPOINT=http://localhost.localstack.cloud:4566 npm run test:localstack',
      'It deploys both stacks with cdklocal, puts records on the stream, waits for raw/ objects,',
      'and runs the stream state machine.',
    ].join('\n'),
  );
  process.exit(0);
}
const result = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.localstack.config.ts'], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
