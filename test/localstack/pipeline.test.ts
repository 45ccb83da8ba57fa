import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../core/streaming/envelope.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';

/**
 * Deploys the stacks to LocalStack with cdklocal and checks the deployed system end to end.
 * Run through `npm run test:localstack` with LOCALSTACK_ENDPOINT set (see run.ts).
 */
const endpoint = process.env.LOCALSTACK_ENDPOINT ?? '';
const region = process.env.AWS_REGION ?? 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const stage = 'lstest';
let outputs: Record<string, Record<string, string>>;

const byPrefix = (prefix: string) => {
  for (const stack of Object.values(outputs)) {
    const key = Object.keys(stack).find((k) => k.startsWith(prefix));
    if (key) return stack[key] as string;
  }
  throw new Error(`no stack output starting with ${prefix}`);
};

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

beforeAll(() => {
  const env = { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: region };
  const bootstrap = spawnSync('npx', ['cdklocal', 'bootstrap', '-c', `stage=${stage}`], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env,
  });
  if (bootstrap.status !== 0) throw new Error(`cdklocal bootstrap failed with exit code ${bootstrap.status}`);
  const outputsFile = path.join(mkdtempSync(path.join(tmpdir(), 'smlp-localstack-')), 'outputs.json');
  const deploy = spawnSync(
    'npx',
    [
      'cdklocal',
      'deploy',
      '--all',
      '--require-approval',
      'never',
      '--outputs-file',
      outputsFile,
      '-c',
      `stage=${stage}`,
    ],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: region },
    },
  );
  if (deploy.status !== 0) throw new Error(`cdklocal deploy failed with exit code ${deploy.status}`);
  outputs = JSON.parse(readFileSync(outputsFile, 'utf8'));
});

describe('deployed to LocalStack', () => {
  it('lands records put on the stream in raw/ and runs the stream state machine to success', async () => {
    // Prepare
    const clients = { region, endpoint, credentials };
    const kinesis = new KinesisClient(clients);
    const s3 = new S3Client({ ...clients, forcePathStyle: true });
    const sfn = new SFNClient(clients);
    const streamName = byPrefix('StreamName');
    const dataBucket = byPrefix('DataBucketName');
    const reading = (hour: number) => ({
      meterId: 'ls-meter-01',
      zone: 'zone-a',
      timestamp: new Date(Date.UTC(2024, 0, 1, hour)).toISOString(),
      consumption: 1.5,
      temperature: 9,
      holiday: false,
    });

    // Act: records straight onto the stream.
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: [0, 1, 2].map((h) => ({
          PartitionKey: 'ls-meter-01',
          Data: encodeEnvelope('water', reading(h)),
        })),
      }),
    );
    // Assess: the event source mapping ran ingest, which wrote raw/.
    const rawKeys = await until('raw/ objects', 5 * 60_000, async () => {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: dataBucket, Prefix: 'raw/water/' }));
      return (page.Contents ?? []).length > 0 ? page.Contents : undefined;
    });
    expect(rawKeys.length).toBeGreaterThan(0);

    // Act: start the hourly state machine as the console would, with {}.
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: byPrefix('WaterStreamStateMachineArn'),
        input: JSON.stringify({ batchSize: 50, numBatches: 1 }),
      }),
    );
    const status = await until('the stream execution to finish', 5 * 60_000, async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution.status;
    });
    // Assess
    expect(status).toBe('SUCCEEDED');
  });
});
