import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../core/events/event-envelope.js';
import { LocalEventBus } from '../../local/emulators/eventbridge-bus.js';
import { LOCAL_REGION, localContextFromEnvironment } from '../../local/local-environment.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import type { ExecutionRecord } from '../../local/state-machine-runner.js';
import { RELAY_LANDING_PREFIX, relaySystem } from '../fixtures/systems/relay/system.js';

/** Generous: the machine may be busy with other test files. */
const DEADLINE_MS = 120_000;

async function until<T>(what: string, find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('event rules on the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  const seen: { event: EventBridgeEvent; matched: readonly string[] }[] = [];
  const started: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-events-'));
    runtime = await LocalRuntime.start({
      dataDir,
      systems: [relaySystem],
      shardCount: 1,
      pollIntervalMs: 50,
      context: {},
    });
    runtime.eventBus.onEvent((event, matched) => seen.push({ event, matched }));
    runtime.eventBus.onActivity((activity) => {
      if (activity.type === 'started') started.push(`${activity.rule} ${activity.executionArn}`);
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const finished = (predicate: (record: ExecutionRecord) => boolean) => () =>
    runtime.stateMachines.executions.find((record) => predicate(record) && record.status !== 'RUNNING');
  const inputOf = (record: ExecutionRecord) => record.input as Record<string, unknown>;

  it("starts the rule's state machine when a handler puts a matching event, and not for one that does not match", async () => {
    // Prepare
    const signal = runtime.handlers.get('relay-signal');
    if (!signal) throw new Error('no relay-signal handler');

    // Act: a weak signal (level 0.2, the rule wants > 0.5), then a strong one
    const weak = (await signal({ action: 'put', reason: 'weak', level: 0.2 })) as { eventId: string };
    const strong = (await signal({ action: 'put', reason: 'strong', level: 0.8 })) as { eventId: string };
    const run = await until(
      'the strong signal to start relay-react',
      finished((r) => inputOf(r).reason === 'strong'),
    );

    // Assess
    expect(run).toMatchObject({
      stateMachine: 'relay-react',
      status: 'SUCCEEDED',
      input: { trigger: 'signal', reason: 'strong', level: 0.8 },
      output: { received: { trigger: 'signal', reason: 'strong', level: 0.8 } },
    });
    expect(seen.find((s) => s.event.id === weak.eventId)?.matched).toEqual([]);
    expect(seen.find((s) => s.event.id === strong.eventId)?.matched).toEqual(['relay-on-signal']);
    expect(runtime.stateMachines.executions.filter((r) => inputOf(r).reason === 'weak')).toEqual([]);
    expect(runtime.eventBus.ruleOf(run.executionName)).toBe('relay-on-signal');
    expect(started).toContain(
      `relay-on-signal arn:aws:states:${LOCAL_REGION}:000000000000:execution:${runtime.names.stateMachine('relay-react')}:${run.executionName}`,
    );
  });

  it('refuses events that EventBridge refuses, entry by entry', async () => {
    // Prepare
    const client = new EventBridgeClient({ region: LOCAL_REGION, endpoint: runtime.eventBridgeEndpoint });

    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'aws.s3', DetailType: 'Object Created', Detail: '{}' },
          { Source: 'smlp.relay', DetailType: 'Relay Signal', Detail: 'not json' },
          { Source: 'smlp.relay', DetailType: 'Relay Signal', Detail: '{"level":0}' },
        ],
      }),
    );
    client.destroy();

    // Assess
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'NotAuthorizedForSourceException',
      'MalformedDetail',
      'ok',
    ]);
  });

  it('lets a handler start a state machine it declares, by name, idempotently, and no other', async () => {
    // Prepare
    const signal = runtime.handlers.get('relay-signal');
    if (!signal) throw new Error('no relay-signal handler');

    // Act
    const first = (await signal({ action: 'start', reason: 'direct', name: 'relay-once' })) as {
      executionArn: string;
    };
    const again = (await signal({ action: 'start', reason: 'direct', name: 'relay-once' })) as {
      executionArn: string;
    };
    const refused = await signal({ action: 'start', reason: 'direct', machine: 'archive' }).catch(
      (e: Error) => e,
    );
    const run = await until(
      'the direct start',
      finished((r) => r.executionName === 'relay-once'),
    );

    // Assess
    expect(first.executionArn).toMatch(/:execution:smlp-local-relay-react:relay-once$/);
    expect(again.executionArn).toBe(first.executionArn);
    expect(runtime.stateMachines.executions.filter((r) => r.executionName === 'relay-once')).toHaveLength(1);
    expect(run).toMatchObject({ status: 'SUCCEEDED', input: { trigger: 'direct', reason: 'direct' } });
    expect((refused as Error).message).toContain(
      'State machine "archive" is not one this function may start (granted: relay-react)',
    );
  });

  it('starts a state machine with the key of an object created under its prefix in the data bucket only', async () => {
    // Prepare
    const put = (bucket: string, key: string) =>
      runtime.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"n":1}' }));
    const landed = `${RELAY_LANDING_PREFIX}day=2024-05-01/batch 1.json`;
    const elsewhere = 'other/relay/ignored.json';

    // Act: an artifact under the prefix, a data object elsewhere, then the one the rule wants
    await put(runtime.names.artifactsBucket, `${RELAY_LANDING_PREFIX}artifact.json`);
    await put(runtime.names.dataBucket, elsewhere);
    await put(runtime.names.dataBucket, landed);
    const run = await until(
      'the landed object to start relay-react',
      finished((r) => inputOf(r).key === landed),
    );
    const keyOf = (s: { event: EventBridgeEvent }) =>
      (s.event.detail as { object: { key: string } }).object?.key;
    await until('the event of the other object', () => seen.find((s) => keyOf(s) === elsewhere));

    // Assess
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      input: { trigger: 'object', key: landed, bucket: runtime.names.dataBucket },
    });
    expect(seen.find((s) => keyOf(s) === elsewhere)?.matched).toEqual([]);
    // Only the data bucket sends events, as on AWS.
    expect(seen.filter((s) => keyOf(s)?.endsWith('artifact.json'))).toEqual([]);
    expect(runtime.stateMachines.executions.filter((r) => inputOf(r).trigger === 'object')).toHaveLength(1);
  });
});

describe('a rule turned off by its flag', () => {
  it('is left off the local bus, as -c <flag>=false leaves it out of the stack', () => {
    // Prepare
    const starts: string[] = [];
    const bus = new LocalEventBus({
      rules: relaySystem.eventRules ?? [],
      buckets: { data: 'data', artifacts: 'artifacts' },
      context: (key) => localContextFromEnvironment({ SMLP_CONTEXT: 'relaySignals=false, other=1' })[key],
      start: (machine) => {
        starts.push(machine);
        return { executionName: 'x', executionArn: 'arn:x' };
      },
    });

    // Act
    const done = bus.put({
      version: '0',
      id: '1',
      'detail-type': 'Relay Signal',
      source: 'smlp.relay',
      account: '000000000000',
      time: '2024-05-01T00:00:00Z',
      region: LOCAL_REGION,
      resources: [],
      detail: { reason: 'strong', level: 0.9 },
    });

    // Assess
    expect(bus.disabled.map((rule) => rule.name)).toEqual(['relay-on-signal']);
    expect(bus.rules.map((rule) => rule.name)).toEqual(['relay-object-landed']);
    expect(done).toEqual([]);
    expect(starts).toEqual([]);
  });
});
