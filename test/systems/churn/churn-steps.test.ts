import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBytes } from '../../../adapters/s3-object-store.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { LocalRuntime } from '../../../local/local-runtime.js';
import type { ExecutionRecord } from '../../../local/state-machine-runner.js';
import type { ChurnEvent } from '../../../systems/churn/model/types.js';
import { churnKeys } from '../../../systems/churn/store/keys.js';
import { churnSystem } from '../../../systems/churn/system.js';

/**
 * Each churn state machine and the HTTP endpoint as a user meets them on the local runtime before
 * there is much data: what they refuse and why, what they do with nothing to do, and that a record
 * sent twice is counted once.
 */
let runtime: LocalRuntime;
let dataDir: string;
/** Generous: the machine may be busy with other test files. */
const DEADLINE_MS = 120_000;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-churn-steps-'));
  runtime = await LocalRuntime.start({ dataDir, systems: [churnSystem], shardCount: 1, pollIntervalMs: 50 });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const control = (route: string, init?: RequestInit) =>
  fetch(new URL(route, runtime.functionUrls['churn-control']), init);
const post = (route: string, body: unknown) => control(route, { method: 'POST', body: JSON.stringify(body) });

/** The execution the endpoint started, once it has ended. */
async function ended(executionArn: string): Promise<ExecutionRecord> {
  const name = executionArn.split(':').at(-1);
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const record = runtime.stateMachines.executions.find((e) => e.executionName === name);
    if (record && record.status !== 'RUNNING') return record;
    if (Date.now() > deadline) throw new Error(`execution ${executionArn} did not end`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const event = (eventId: string, time: string): ChurnEvent => ({
  pipeline: 'churn',
  eventId,
  customerId: 'C000001',
  time,
  kind: 'call',
  callType: 'local',
  durationSeconds: 60,
  dropped: false,
});

describe('churn state machines with too little data', () => {
  it('churn-train says why it cannot train yet, and churn-eda refuses a bad range or one without data', async () => {
    // Act
    const train = await runtime.stateMachines.startExecution('churn-train', {});
    const reversed = await runtime.stateMachines.startExecution('churn-eda', {
      startDate: '2025-02-01',
      endDate: '2025-01-01',
    });
    const empty = await runtime.stateMachines.startExecution('churn-eda', {
      startDate: '2030-01-01',
      endDate: '2030-01-31',
    });
    // Assess
    expect(train.status).toBe('FAILED');
    expect(train.error).toBe('InvalidInput');
    expect(train.taskErrors.map((e) => e.message).join(' ')).toMatch(/no daily summaries yet|settled labels/);
    expect(reversed.error).toBe('InvalidInput');
    expect(reversed.taskErrors.map((e) => e.message).join(' ')).toContain(
      'startDate 2025-02-01 is after endDate 2025-01-01',
    );
    expect(empty.error).toBe('InvalidInput');
    expect(empty.taskErrors.map((e) => e.message).join(' ')).toContain(
      'no daily summaries between 2030-01-01 and 2030-01-31',
    );
  });

  it('churn-daily counts a record sent twice once, and waits for settled labels before a first model', async () => {
    // Prepare: the same call arrives in two raw objects (a producer re-send), plus one more call.
    const put = (key: string, rows: unknown[]) =>
      runtime.s3.send(
        new PutObjectCommand({ Bucket: runtime.names.dataBucket, Key: key, Body: encodeNdjsonGzip(rows) }),
      );
    await put('raw/churn/dt=2025-01-02/hour=00/shardId-000000000000-1.ndjson.gz', [
      event('E1', '2025-01-01T10:00:00Z'),
      event('E2', '2025-01-01T11:00:00Z'),
    ]);
    await put('raw/churn/dt=2025-01-02/hour=01/shardId-000000000000-2.ndjson.gz', [
      event('E1', '2025-01-01T10:00:00Z'),
    ]);
    // Act
    const daily = await runtime.stateMachines.startExecution('churn-daily', {});
    const again = await runtime.stateMachines.startExecution('churn-daily', {});
    // Assess
    expect(daily.status, daily.cause).toBe('SUCCEEDED');
    const events = decodeNdjsonGzip<ChurnEvent>(
      (await getBytes(
        runtime.s3,
        runtime.names.dataBucket,
        churnKeys.events.key('2025-01-01'),
      )) as Uint8Array,
    );
    expect(events.map((e) => e.eventId)).toEqual(['E1', 'E2']);
    expect(daily.output).toMatchObject({ days: ['2025-01-01'], scoring: { scored: [] } });
    // The raw objects were archived: the second run finds nothing new.
    expect(again.status).toBe('SUCCEEDED');
    expect(again.output).toMatchObject({ plan: { result: { batches: 0 } } });
  });
});

describe('the churn control endpoint (POST /start_stream, POST /run-monitoring)', () => {
  it('refuses a request it cannot start, naming the field and the limit', async () => {
    // Act
    const unknown = await post('start_stream', { batch_size: 10 });
    const tooLong = await post('start_stream', { numBatches: 100, intervalSeconds: 60 });
    const notJson = await control('start_stream', { method: 'POST', body: 'batchSize=10' });
    const wrongMethod = await control('start_stream');
    const noRoute = await control('stop');
    // Assess
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /unknown field\(s\) "batch_size"; the fields are batchSize/,
    );
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: string }).error).toMatch(/does not fit in one Lambda run/);
    expect(notJson.status).toBe(400);
    expect(wrongMethod.status).toBe(405);
    expect(noRoute.status).toBe(404);
    expect(((await noRoute.json()) as { error: string }).error).toContain('POST /start_stream');
  });

  it('starts churn-stream with the batches asked for, and churn-monitor, as the console would', async () => {
    // Act
    const stream = await post('start_stream', { batchSize: 5, numBatches: 2, intervalSeconds: 0 });
    const streamBody = (await stream.json()) as { executionArn: string };
    const monitoring = await control('run-monitoring', { method: 'POST' });
    const monitoringBody = (await monitoring.json()) as { executionArn: string };
    // Assess
    expect(stream.status).toBe(202);
    const streamed = await ended(streamBody.executionArn);
    expect(streamed.stateMachine).toBe('churn-stream');
    expect(streamed.status, streamed.cause).toBe('SUCCEEDED');
    expect(streamed.output).toMatchObject({ produced: 10 });
    expect(monitoring.status).toBe(202);
    const monitored = await ended(monitoringBody.executionArn);
    expect(monitored.status, monitored.cause).toBe('SUCCEEDED');
    expect(monitored.output).toMatchObject({ skipped: expect.stringMatching(/no champion churn model yet/) });
  });
});
