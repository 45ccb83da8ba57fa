import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../../adapters/s3-object-store.js';
import { addPipelineStacks } from '../../bin/app.js';
import { defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { LocalScheduler } from '../../local/local-scheduler.js';
import { systems } from '../../systems/index.js';
import { tallySystem } from '../fixtures/systems/tally/system.js';

/**
 * A new system is its folder plus one line in the list: the fixture system (only under test/)
 * is deployed and run by the platform as it is, with no platform change.
 */
describe('a fixture system added to the list', () => {
  it('is synthesized into the stack: its function with its own grants, its state machine and schedule', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const names = resourceNames(defaultConfig);

    // Act
    const stacks = addPipelineStacks(app, defaultConfig, undefined, [...systems, tallySystem]);
    const template = Template.fromStack(stacks.pipeline);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: names.function('tally-count') });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: names.stateMachine('tally-count'),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: names.stateMachine('tally-count'),
      ScheduleExpression: 'cron(0 0 * * ? *)',
    });
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toContainEqual(
      expect.stringMatching(/^TallyCountFunction/),
    );
    const tallyPolicies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith('TallyCountFunction'),
    );
    const resources = JSON.stringify(tallyPolicies.map(([, policy]) => policy.Properties.PolicyDocument));
    expect(resources).toContain('/raw/tally/*');
    expect(resources).toContain('/runs/tally/*');
    expect(resources).not.toMatch(/\/(raw|runs|models)\/(water|sensors)\//);
    // Its stream consumer reads the stream with a filter that lets only its own records through.
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^TallyWatchFunction') },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { pipeline: ['tally'] } }) }] },
      ParallelizationFactor: 1,
      BatchSize: 50,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `${defaultConfig.prefix}-${defaultConfig.stage}-tally-watch-dlq`,
    });
  });
});

describe('the fixture system on the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-fixture-'));
    // Only the fixture: the platform builds its producer and ingest for the systems it is given.
    runtime = await LocalRuntime.start({
      dataDir,
      systems: [tallySystem],
      shardCount: 1,
      pollIntervalMs: 50,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams its records through the producer and ingest, quarantines the broken ones, and runs its state machine', async () => {
    // Prepare: 10 hours × 2 counters, every fifth reading broken
    const producer = runtime.handlers.get('producer');
    if (!producer) throw new Error('no producer');

    // Act
    const produced = (await producer({
      pipeline: 'tally',
      initialShare: 0,
      batchSize: 100,
      numBatches: 1,
    })) as {
      produced: number;
    };
    await runtime.eventSource.waitUntilIdle(30_000);
    const execution = await runtime.stateMachines.startExecution('tally-count', {});

    // Assess
    const raw = await readNdjsonUnder(runtime.s3, runtime.names.dataBucket, 'raw/tally/');
    const quarantined = await readNdjsonUnder<{ reason: string }>(
      runtime.s3,
      runtime.names.dataBucket,
      'quarantine/tally/',
    );
    expect(produced.produced).toBe(20);
    expect(raw).toHaveLength(16);
    expect(quarantined.map((q) => q.row.reason)).toEqual(Array(4).fill('count must be >= 0, got -1'));
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { records: 16 } });
    expect(
      await listKeys(runtime.s3, runtime.names.artifactsBucket, `runs/tally/${execution.executionName}/`),
    ).toEqual([`runs/tally/${execution.executionName}/count.json`]);
  });

  it("gives its stream consumer every one of its own records, in order, and no other system's", async () => {
    // Prepare: the tallies of the first test are on the stream; another system's record joins them
    await runtime.kinesis.send(
      new PutRecordCommand({
        StreamName: runtime.names.stream,
        PartitionKey: 'other',
        Data: Buffer.from(JSON.stringify({ pipeline: 'other', id: 'other:1', data: {} })),
      }),
    );
    const watcher = runtime.streamConsumers.get('tally-watch');
    if (!watcher) throw new Error('the stream consumer was not started');

    // Act
    await watcher.waitUntilIdle(30_000);

    // Assess: broken tallies too (the filter is on the system, validation is ingest's job)
    const batches = await Promise.all(
      (await listKeys(runtime.s3, runtime.names.artifactsBucket, 'runs/tally/watch/')).map(
        async (key) => (await getJson<unknown[]>(runtime.s3, runtime.names.artifactsBucket, key)) ?? [],
      ),
    );
    const seen = (batches.flat() as { pipeline: string; id: string; sequenceNumber: string }[]).sort(
      (a, b) => (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1),
    );
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((record) => record.pipeline))).toEqual(new Set(['tally']));
    expect(new Set(seen.map((record) => record.id)).size).toBe(20);
  });

  it('fires its schedule on the local clock', async () => {
    // Prepare
    const fired: string[] = [];
    const scheduler = new LocalScheduler({
      definitions: runtime.definition.stateMachines,
      start: new Date('2024-03-01T23:59:00Z'),
      speed: 3600,
      fire: async (machine) => {
        fired.push(machine);
      },
    });

    // Act: midnight is one simulated minute away (1/60 s of wall time); the wait is only a bound
    scheduler.start();
    const deadline = Date.now() + 20_000;
    while (!fired.includes('tally-count') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();

    // Assess
    expect(fired).toContain('tally-count');
  });
});
