import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startLocalStack } from '../../local/localstack/server.js';

/**
 * `npm run test:localstack`: the deployed form, for real. Installs LocalStack 4.14 (community,
 * host mode, no Docker) into .localstack/ if needed, starts it on a free 127.0.0.1 port with this
 * project's Lambda executor (functions run as local Node.js processes), deploys every stack with
 * cdklocal and uses them as a user would (test/localstack/*.test.ts), destroys them, stops
 * LocalStack and checks that none of its processes is left.
 *
 * With LOCALSTACK_ENDPOINT set, it uses that LocalStack instead and starts nothing.
 */
const say = (line: string) => console.log(line);
const started = Date.now();

const NOT_CHECKED_HERE = [
  'What LocalStack cannot check, and what covers it instead:',
  '  IAM is not enforced by LocalStack: test/localstack/iam.test.ts evaluates every request the deployed',
  '    functions made in this run against their roles, and test/iam/handler-permissions.test.ts every call',
  '    of every function, state machine and schedule in a local run (with the calls AWS makes for them).',
  '  EventBridge Scheduler stores schedules and never fires them: the schedules are checked here as',
  '    stored; firing on a clock is test/local/local-scheduler.test.ts (the same definitions).',
  '  Custom resources (autoDeleteObjects) are no-ops in the community edition: test/cdk/ checks them.',
];

async function main(): Promise<number> {
  const external = process.env.LOCALSTACK_ENDPOINT;
  say('▶ LocalStack tier');
  const server = external ? undefined : await startLocalStack({ say });
  const endpoint = external ?? server?.endpoint ?? '';
  let code = 1;
  try {
    code = await runTier(endpoint);
  } finally {
    if (server) {
      say('  LocalStack: stopping');
      await server.stop();
      const left = server.leftoverProcesses();
      if (left.length > 0) {
        console.error(`LocalStack tier: processes left behind after the stop:\n  ${left.join('\n  ')}`);
        code = 1;
      }
      // Its files are named by its (random) port: kept to read after a failure, else removed.
      if (code === 0) for (const file of [server.logFile, server.callLog]) rmSync(file, { force: true });
      else say(`  LocalStack's log: ${server.logFile}`);
    }
  }
  say(NOT_CHECKED_HERE.join('\n'));
  say(
    `LocalStack tier ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return code;
}

function runTier(endpoint: string): Promise<number> {
  const child = spawn('npx', ['vitest', 'run', '--config', 'vitest.localstack.config.ts'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      LOCALSTACK_ENDPOINT: endpoint,
      // The standard variables: cdklocal, the tests' SDK clients and the CLI all follow them.
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_S3_FORCE_PATH_STYLE: '1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_DEFAULT_REGION: process.env.AWS_REGION ?? 'us-east-1',
      // Bundling uses the local esbuild; Docker is never an option here.
      CDK_DOCKER: '/bin/false',
    },
  });
  // Ctrl-C reaches vitest too (same process group); LocalStack is stopped once it has exited.
  process.on('SIGINT', () => undefined);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

process.exitCode = await main();
