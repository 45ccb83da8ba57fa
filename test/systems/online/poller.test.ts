import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../../../adapters/s3-object-store.js';
import { listKeys } from '../../../local/inspect-data.js';
import type { PollerResult } from '../../../systems/online/handlers/poller.js';
import { servedRecordAt } from '../../../systems/online/records/generator.js';
import { POLLER_CURSOR_KEY, type PollerCursor } from '../../../systems/online/records/poller-cursor.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { failCommand, type InjectedFault, slowDown } from '../../support/faults.js';
import { readWholeStream } from '../../support/stream-reader.js';

let emulators: TestEmulators;
let poller: typeof import('../../../systems/online/handlers/poller.js');
let stream: string;
const injected: InjectedFault[] = [];
const servers: Server[] = [];

/** Starts the poller as the online-poll state machine does (the clock runs 1,000× faster in tests). */
const poll = async (input: Record<string, unknown> = {}, name = 'online-poll-test') =>
  (await poller.handler({
    action: 'poll',
    input,
    execution: { name, startTime: new Date().toISOString() },
  })) as PollerResult;
const onStream = async () => readWholeStream(emulators.requireKinesis(), stream);
const ticksOnStream = async () => (await onStream()).map((r) => r.data.tick as number);
const cursor = () => getJson<PollerCursor>(emulators.s3, emulators.dataBucket, POLLER_CURSOR_KEY);

/** A local HTTP source answering each request with the next of `answers` (status, body). */
async function sourceServer(answers: { status: number; body: string }[]): Promise<string> {
  let served = 0;
  const server = createServer((_request, response) => {
    const answer = answers[served++ % answers.length] as { status: number; body: string };
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/next`;
}

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: true });
  poller = await import('../../../systems/online/handlers/poller.js');
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await emulators?.stop();
});
afterEach(() => {
  for (const fault of injected.splice(0)) fault.remove();
});
beforeEach(async () => {
  stream = await emulators.createStream(1);
  for (const key of await listKeys(emulators.s3, emulators.dataBucket, ''))
    await emulators.s3.send(new DeleteObjectCommand({ Bucket: emulators.dataBucket, Key: key }));
});

describe('online-poller against the Kinesis and S3 emulators', () => {
  it('polls the generator for its minute: 30 records in tick order on partition key "online", cursor at 30', async () => {
    // Act
    const result = await poll({});
    // Assess
    expect(result).toMatchObject({
      source: 'generator',
      polled: 30,
      sent: 30,
      firstTick: 0,
      lastTick: 29,
      next: 30,
      errors: 0,
    });
    const records = await onStream();
    expect(records.map((r) => r.data.tick)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(new Set(records.map((r) => r.partitionKey))).toEqual(new Set(['online']));
    expect(new Set(records.map((r) => r.pipeline))).toEqual(new Set(['online']));
    expect(records[7]?.data.features).toEqual(servedRecordAt(7).data.features);
    expect(await cursor()).toMatchObject({ next: 30, run: null });
  });

  it('goes on from its cursor on the next run', async () => {
    // Act
    await poll({ seconds: 10 }, 'run-1');
    const second = await poll({ seconds: 10 }, 'run-2');
    // Assess
    expect(second).toMatchObject({ firstTick: 5, lastTick: 9, next: 10 });
    expect(await ticksOnStream()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('lets only one of two runs started at once poll: no tick reaches the stream twice', async () => {
    // Act
    const results = await Promise.all([poll({ seconds: 20 }, 'run-a'), poll({ seconds: 20 }, 'run-b')]);
    // Assess
    const ticks = await ticksOnStream();
    const sent = results.reduce((sum, r) => sum + r.sent, 0);
    expect(new Set(ticks).size, 'ticks on the stream more than once').toBe(ticks.length);
    expect(ticks).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect((await cursor())?.next).toBe(sent);
    // Whichever interleaving happened, a run that found the cursor taken says so and sent nothing.
    for (const r of results) if (r.skipped) expect(r.sent).toBe(0);
  });

  it('after a crash between a put and its cursor write, its retry sends only that one tick again', async () => {
    // Prepare: the cursor write that would move it past tick 4 fails (an S3 503), the run fails
    let failed = false;
    injected.push(
      failCommand(
        poller.s3,
        'PutObjectCommand',
        (_call, input) => {
          if (failed || input.Key !== POLLER_CURSOR_KEY) return false;
          failed = (JSON.parse(String(input.Body)) as PollerCursor).next === 5;
          return failed;
        },
        slowDown,
      ),
    );
    await expect(poll({ seconds: 20 }, 'crashing-run')).rejects.toThrow();
    // Act: Step Functions retries the same execution
    const retry = await poll({ seconds: 20 }, 'crashing-run');
    // Assess
    expect(retry).toMatchObject({ firstTick: 4, next: 14 });
    const ticks = await ticksOnStream();
    expect(ticks).toEqual([0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it("polls a user's URL, numbers its records by the cursor, and counts and reports what fails", async () => {
    // Prepare
    const record = { features: { temperature: 21.5, humidity: 40 }, label: 1, target: 3.2, tick: 999 };
    const url = await sourceServer([
      { status: 200, body: JSON.stringify(record) },
      { status: 500, body: '{"error":"overloaded"}' },
      { status: 200, body: '<html>maintenance</html>' },
      { status: 200, body: JSON.stringify({ temperature: 22, humidity: 41, label: 0, target: 3.1 }) },
      { status: 200, body: '[1, 2]' },
      { status: 200, body: JSON.stringify(record) },
    ]);
    // Act
    const result = await poll({ sourceUrl: url, seconds: 6, intervalSeconds: 1 });
    // Assess
    expect(result).toMatchObject({
      source: url,
      polled: 6,
      sent: 3,
      errors: 3,
      errorKinds: { http: 1, 'not-json': 1, 'not-object': 1 },
      next: 3,
    });
    expect(result.firstErrors[0]).toContain('answered HTTP 500');
    const records = await onStream();
    expect(records.map((r) => r.data.tick)).toEqual([0, 1, 2]);
    expect(records[0]?.data).toMatchObject({ features: record.features, label: 1, target: 3.2 });
    expect(records[1]?.data).toMatchObject({ features: { temperature: 22, humidity: 41 }, label: 0 });
  });

  it('reports a source that cannot be reached, keeps polling, and leaves the cursor where it was', async () => {
    // Prepare: a port nobody listens on
    const url = await sourceServer([]);
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    // Act
    const result = await poll({ sourceUrl: url, seconds: 4, intervalSeconds: 1 });
    // Assess
    expect(result).toMatchObject({ polled: 4, sent: 0, errors: 4, errorKinds: { network: 4 }, next: 0 });
    expect(result.firstErrors[0]).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/next failed: ECONNREFUSED/);
    expect(await onStream()).toEqual([]);
  });

  it.each([
    [{ sourceUrl: 'not a url' }, 'sourceUrl must be an absolute http(s) URL'],
    [{ sourceUrl: 'ftp://example.com/x' }, 'sourceUrl must use http or https'],
    [{ seconds: 600 }, 'seconds must be a number from 0.001 to 75'],
  ])('refuses %j with an InputError', async (input, message) => {
    // Act & Assess
    await expect(poll(input)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
  });
});
