import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleServer } from '../../local/console/console-server.js';
import { startConsoleServer } from '../../local/console/console-server.js';
import { type StepFunctionsSource, stepFunctionsSourceOf } from '../../local/console/console-sources.js';
import { StreamStats } from '../../local/console/stream-stats.js';
import { systems } from '../../systems/index.js';

/**
 * The console API's refusals and the stream counters, without a browser or emulators: every
 * request here is answered before any S3 or Step Functions call (the clients point at a closed
 * port).
 */
let server: ConsoleServer;
let now = Date.parse('2026-11-30T10:00:01Z');
const stats = new StreamStats({ bucketMs: 5_000, keepBuckets: 3, now: () => now });
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
let stepFunctions: StepFunctionsSource;

beforeAll(async () => {
  stepFunctions = stepFunctionsSourceOf(
    new SFNClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
  );
  server = await startConsoleServer({
    sources: {
      systems,
      s3,
      dataBucket: 'data',
      artifactsBucket: 'artifacts',
      stream: { stats, shardPositions: () => [], onFailure: () => [] },
      stepFunctions,
    },
    assetsDir: '/nonexistent',
  });
});
afterAll(async () => {
  await server?.stop();
  stepFunctions?.close();
  s3.destroy();
});

/** POST a JSON body to an API path; the status and the JSON answer. */
async function post(path: string, body: unknown): Promise<[number, unknown]> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return [response.status, await response.json()];
}

const rollbackUrl = () => `${server.url}/api/systems/water/models/forecast/rollback`;

describe('the console API', () => {
  it('answers only requests addressed to its own host (no DNS rebinding)', async () => {
    // Act
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/api/stream`, { headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    // Assess
    expect(status).toBe(421);
  });

  it('reads a rollback only as JSON, and only with a reason', async () => {
    // Act
    const form = await fetch(rollbackUrl(), { method: 'POST', body: 'reason=x' });
    const noReason = await fetch(rollbackUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: '  ' }),
    });
    // Assess
    expect([form.status, await form.json()]).toEqual([
      415,
      { error: 'send the body as JSON (Content-Type: application/json)' },
    ]);
    expect([noReason.status, await noReason.json()]).toEqual([
      400,
      { error: 'a reason is required: say why the champion goes back' },
    ]);
  });

  it('names the systems and models there are when asked for another', async () => {
    // Act
    const system = await fetch(`${server.url}/api/systems/nope/reports`);
    const model = await fetch(`${server.url}/api/systems/water/models/nope`);
    const route = await fetch(`${server.url}/api/nothing`);
    // Assess
    expect(await system.json()).toEqual({
      error: 'no system "nope" (the systems are water, sensors, online, churn, sales)',
    });
    expect(model.status).toBe(404);
    expect(await model.json()).toEqual({ error: 'system "water" has no model "nope" (it has forecast)' });
    expect(route.status).toBe(404);
  });

  it('counts the records delivered per time bucket, zeros included, and keeps only the window', async () => {
    // Prepare
    stats.record({ type: 'batch', shardId: 's0', records: 100, failedRecords: 10, ms: 5 });
    now += 5_000;
    stats.record({ type: 'batch', shardId: 's1', records: 20, failedRecords: 0, ms: 5 });
    now += 10_000;
    stats.record({ type: 'error', shardId: 's1', records: 20, message: 'boom' });
    // Act
    const view = (await (await fetch(`${server.url}/api/stream`)).json()) as {
      totals: Record<string, number>;
      recordsIn: { at: number; records: number }[];
      recentErrors: { message: string }[];
    };
    // Assess: the first bucket fell out of the three kept; the idle one shows as zero.
    expect(view.recordsIn.map((b) => b.records)).toEqual([20, 0, 0]);
    expect(view.totals).toEqual({
      recordsIn: 110,
      failedRecords: 10,
      batches: 2,
      errors: 1,
      onFailureRecords: 0,
    });
    expect(view.recentErrors.map((e) => e.message)).toEqual(['boom']);
  });

  it('refuses a backfill it cannot run, saying why, before asking Step Functions', async () => {
    // Act
    const answers = await Promise.all([
      post('/api/state-machines/archive/backfill', { from: '2026-11-20', to: '2026-11-21' }),
      post('/api/state-machines/nope/backfill', { from: '2026-11-20', to: '2026-11-21' }),
      post('/api/state-machines/water-stream/backfill', { from: 'yesterday', to: '2026-11-21' }),
      post('/api/state-machines/water-stream/backfill', { from: '2026-11-21', to: '2026-11-20' }),
      post('/api/state-machines/water-stream/backfill', { from: '2026-11-20', to: '2026-11-21', input: [1] }),
      post('/api/state-machines/water-retrain/backfill', { from: '2026-01-01', to: '2026-12-31' }),
    ]);
    // Assess
    expect(answers).toEqual([
      [400, { error: 'archive has no schedule: start it with "Start execution"' }],
      [404, { error: 'no state machine "nope" in the definitions' }],
      [400, { error: '"from" must be an ISO-8601 time such as 2026-11-20T02:00Z, got "yesterday"' }],
      [400, { error: '"to" is before "from"' }],
      [400, { error: '"input" must be a JSON object for a backfill (it is merged over the schedule input)' }],
      [
        400,
        {
          error:
            'cron(0 2 * * ? *) fires more than 100 times between 2026-01-01T00:00:00.000Z and 2026-12-31T00:00:00.000Z: narrow the range (the limit is 100 runs)',
        },
      ],
    ]);
  });

  it('refuses malformed machine and execution names and unknown backfills', async () => {
    // Act
    const start = await post('/api/state-machines/bad%20name/executions', { input: {} });
    const execution = await fetch(`${server.url}/api/executions/archive/no%2Fslash`);
    const backfill = await fetch(`${server.url}/api/backfills/nope`);
    // Assess
    expect(start).toEqual([
      400,
      { error: 'a state machine name must be 1 to 80 letters, digits, ".", "-" or "_", got "bad name"' },
    ]);
    expect([execution.status, await execution.json()]).toEqual([
      400,
      { error: 'an execution name must be 1 to 80 letters, digits, ".", "-" or "_", got "no/slash"' },
    ]);
    expect([backfill.status, await backfill.json()]).toEqual([
      404,
      { error: 'no backfill "nope" (backfills are kept while the console runs)' },
    ]);
  });
});
