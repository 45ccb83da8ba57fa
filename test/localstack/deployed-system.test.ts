import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, describe, expect, it } from 'vitest';
import { getBytes, listObjects, S3ObjectStore } from '../../adapters/s3-object-store.js';
import { registryKeys } from '../../core/registry/layout.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { encodeEnvelope } from '../../core/streaming/envelope.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { DemoContext, DemoScenario } from '../../local/demo-context.js';
import { readNdjsonUnder } from '../../local/inspect-data.js';
import { sensorKeys } from '../../systems/sensors/store/keys.js';
import {
  endpoint,
  finishedExecution,
  output,
  outputsEndingWith,
  recordsIngested,
  recordsOnStream,
  region,
  runStateMachine,
  STAGE,
  s3,
  systems,
  triggeredExecution,
  until,
} from './deployed.js';

/**
 * What a user does with the deployed stacks (deployed to LocalStack by global-setup.ts): start
 * every system's state machines as the console would, with the same scenarios `npm run demo`
 * runs locally; check that every record put on the stream landed exactly once; download each
 * champion from its stable S3 path and forecast from it with the CLI; call the Function URLs with
 * signed requests; roll back and archive; find the schedules.
 */
const dataBucket = output('DataBucketName');
const artifactsBucket = output('ArtifactsBucketName');
const streamName = output('StreamName');
const workDir = mkdtempSync(path.join(tmpdir(), 'smlp-localstack-run-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const results: Record<string, Record<string, unknown>> = {};

/** Ingest has caught up when it has written as many records as the stream holds. */
async function waitForIngest(): Promise<void> {
  await until('the ingest function to drain the stream', 10 * 60_000, async () => {
    const [onStream, ingested] = [await recordsOnStream(streamName), await recordsIngested(dataBucket)];
    return ingested >= onStream ? true : undefined;
  });
}

const demoContext: DemoContext = {
  async run(stateMachine, input) {
    const execution = await runStateMachine(stateMachine, input);
    if (execution.status !== 'SUCCEEDED')
      throw new Error(`${stateMachine} ${execution.status}: ${execution.error} ${execution.cause ?? ''}`);
    return execution.output;
  },
  triggered(stateMachine, timeoutMs = 15 * 60_000) {
    const watch = triggeredExecution(stateMachine, new Date(), timeoutMs);
    const finished = watch.finished.then((execution) => {
      if (execution.status !== 'SUCCEEDED')
        throw new Error(`${stateMachine} ${execution.status}: ${execution.error} ${execution.cause ?? ''}`);
      return execution.output;
    });
    // A cancelled watch rejects and nobody awaits it.
    finished.catch(() => undefined);
    return { finished, cancel: watch.cancel };
  },
  waitForIngest,
  s3,
  dataBucket,
  artifactsBucket,
  say: (line) => console.log(line),
  // The smallest whole cycle: water's first model needs a week plus its 48 h holdout in the
  // initial 20%, so at least 45 days.
  days: 50,
  ingested: () => 0,
  dataDir: workDir,
};

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 as the signer wants it (a class with update/digest), from node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** A SigV4-signed request to a Function URL, sent to LocalStack's gateway with the URL's host. */
async function callFunctionUrl(url: string, query: Record<string, string>, body?: unknown) {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: 'lambda',
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    sha256: Sha256,
  });
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const signed = await signer.sign({
    method: payload ? 'POST' : 'GET',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query,
    headers: { host: target.host, ...(payload ? { 'content-type': 'application/json' } : {}) },
    body: payload,
  });
  const gateway = new URL(endpoint);
  const search = new URLSearchParams(query).toString();
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        // *.localhost.localstack.cloud does not resolve offline: the gateway routes by Host header.
        host: gateway.hostname,
        port: gateway.port,
        method: signed.method,
        path: `${target.pathname}${search ? `?${search}` : ''}`,
        headers: signed.headers,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(text || '{}') }),
        );
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cli/smlp.ts'), ...args], {
    // tsx resolves from the checkout; files are named by absolute paths in workDir.
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });

describe.sequential(`the stacks deployed to LocalStack (stage ${STAGE})`, () => {
  for (const system of systems.filter((s) => s.demo)) {
    it(`runs the ${system.name} system through its deployed state machines, every record accounted for`, async () => {
      // Prepare: the scenario `npm run demo` runs on the local runtime, here against the stacks.
      const module = (await import(pathToFileURL(path.join(REPO_ROOT, system.demo as string)).href)) as {
        demo: DemoScenario;
      };

      // Act
      const result = await module.demo(demoContext);
      results[system.name] = result;

      // Assess: every execution succeeded (run() throws otherwise), and the records add up.
      expect(result.accountedFor ?? 'all').toBe('all');
    });
  }

  it('has every record put on the stream in raw/, archive/ or quarantine/ exactly once', async () => {
    // Act
    await waitForIngest();

    // Assess: as many as the stream holds, not more (a redelivered batch written twice would show).
    expect(await recordsIngested(dataBucket)).toBe(await recordsOnStream(streamName));
  });

  it("downloads each system's champion from its stable S3 path; the CLI forecasts from water's", async () => {
    for (const system of systems) {
      for (const model of system.models) {
        // Act
        const file = path.join(workDir, `${system.name}-${model}.json`);
        const download = cli(
          'download',
          '--pipeline',
          system.name,
          '--model',
          model,
          '--bucket',
          artifactsBucket,
          '--endpoint',
          endpoint,
          '--out',
          file,
        );

        // Act: the plain download of the stable path, as with `aws s3 cp`
        const stable = await getBytes(s3, artifactsBucket, registryKeys(system.name, model).stableArtifact);

        // Assess: both are the champion's artifact, byte for byte
        expect(download.status, download.stderr).toBe(0);
        expect(download.stdout).toMatch(/sha256 matches the registry's/);
        expect(Buffer.from(stable ?? []).equals(readFileSync(file))).toBe(true);
      }
    }
    // Act: the forecast, with the regressors' future values when the champion has any.
    const water = JSON.parse(readFileSync(path.join(workDir, 'water-forecast.json'), 'utf8')) as {
      exogNames?: string[];
    };
    const exogNames = water.exogNames ?? [];
    const exogArgs: string[] = [];
    if (exogNames.length > 0) {
      const rows = Array.from({ length: 24 }, () =>
        exogNames.map((name) => (name === 'holiday' ? 0 : 10)).join(','),
      );
      writeFileSync(path.join(workDir, 'future.csv'), `${exogNames.join(',')}\n${rows.join('\n')}\n`);
      exogArgs.push('--exog-csv', path.join(workDir, 'future.csv'));
    }
    const forecast = cli(
      'forecast',
      '--model',
      path.join(workDir, 'water-forecast.json'),
      '--horizon',
      '24',
      '--json',
      ...exogArgs,
    );

    // Assess
    expect(forecast.status, forecast.stderr).toBe(0);
    const result = JSON.parse(forecast.stdout) as { forecast: { mean: number[] } };
    expect(result.forecast.mean).toHaveLength(24);
    expect(result.forecast.mean.every(Number.isFinite)).toBe(true);
  });

  it('answers signed calls on every Function URL', async () => {
    // Prepare
    const urls = outputsEndingWith('FunctionUrl');
    const featureDays = (await listObjects(s3, dataBucket, sensorKeys.featuresPrefix)).map(({ key }) =>
      sensorKeys.dayOfFeatures(key),
    );
    const sensorDay = featureDays.find(Boolean) ?? 'no features written';

    // Act
    const forecast = await callFunctionUrl(
      urls[Object.keys(urls).find((k) => k.startsWith('WaterForecast')) ?? ''] ?? '',
      {
        horizon: '6',
      },
    );
    const clusters = await callFunctionUrl(
      urls[Object.keys(urls).find((k) => k.startsWith('SensorsEndpoint')) ?? ''] ?? '',
      {
        sensorId: 'sensor-001',
        day: sensorDay,
      },
    );

    const url = (prefix: string) => urls[Object.keys(urls).find((k) => k.startsWith(prefix)) ?? ''] ?? '';
    const record = await callFunctionUrl(url('OnlineSource'), { tick: '5' });
    // The churn control endpoint (the seed's run-monitoring route): a POST starts churn-monitor.
    const monitoring = await callFunctionUrl(
      `${url('ChurnControl').replace(/\/$/, '')}/run-monitoring`,
      {},
      {},
    );
    const metrics = await callFunctionUrl(`${url('OnlineApi').replace(/\/$/, '')}/metrics`, {});

    // Assess: answers from the champions the scenarios above promoted, and from the online system's
    // source and the results its learner wrote.
    expect(Object.keys(urls).sort()).toEqual([
      'ChurnControlFunctionUrl',
      'OnlineApiFunctionUrl',
      'OnlineSourceFunctionUrl',
      'SensorsEndpointFunctionUrl',
      'WaterForecastFunctionUrl',
    ]);
    expect(record.status, JSON.stringify(record.json)).toBe(200);
    expect(monitoring.status, JSON.stringify(monitoring.json)).toBe(202);
    const started = await finishedExecution('churn-monitor', monitoring.json.executionArn as string);
    expect(started.status, started.cause).toBe('SUCCEEDED');
    expect(record.json).toMatchObject({ tick: 5 });
    expect(metrics.status, JSON.stringify(metrics.json)).toBe(200);
    const learned = (metrics.json.models as Record<string, { learned: number }>).classification?.learned;
    expect(learned).toBeGreaterThan(0);
    expect(forecast.status, JSON.stringify(forecast.json)).toBe(200);
    expect(forecast.json).toMatchObject({ pipeline: 'water', horizon: 6 });
    expect((forecast.json.forecast as { mean: number[] }).mean).toHaveLength(6);
    expect(clusters.status, JSON.stringify(clusters.json)).toBe(200);
    expect(clusters.json).toHaveProperty('cluster');
  });

  it('promotes a version by hand and rolls it back through the platform state machines', async () => {
    // Prepare: a registered water version that is not the champion
    const registry = new ModelRegistry({
      store: new S3ObjectStore(s3, artifactsBucket),
      pipeline: 'water',
      model: 'forecast',
    });
    const champion = (await registry.champion())?.version;
    const other = (await registry.listVersions()).find((version) => version !== champion);

    // Act
    const promote = await runStateMachine('promote', {
      pipeline: 'water',
      version: other,
      reason: 'tier: by hand',
    });
    const afterPromote = (await registry.champion())?.version;
    const rollback = await runStateMachine('rollback', { pipeline: 'water', reason: 'tier: back again' });

    // Assess
    expect(other).toBeDefined();
    expect(promote.status, `${promote.error} ${promote.cause}`).toBe('SUCCEEDED');
    expect(afterPromote).toBe(other);
    expect(rollback.status, `${rollback.error} ${rollback.cause}`).toBe('SUCCEEDED');
    expect((await registry.champion())?.version).toBe(champion);
  });

  it('archives through the platform state machine', async () => {
    // Act
    const archive = await runStateMachine('archive', { pipeline: 'sensors', beforeDay: '9999-12-31' });

    // Assess
    expect(archive.status, `${archive.error} ${archive.cause}`).toBe('SUCCEEDED');
    expect(await listObjects(s3, dataBucket, 'raw/sensors/')).toEqual([]);
  });

  it('starts, follows and shows a deployed state machine with the CLI, as on AWS (the SDK’s own endpoint settings)', async () => {
    // Act: AWS_ENDPOINT_URL points every SDK client at LocalStack, as a user of LocalStack sets it.
    const started = cli('start', 'archive', '--input', '{"pipeline":"water","beforeDay":"9999-12-31"}');
    const name = /^Started (\S+) /m.exec(started.stderr)?.[1] ?? '';
    const shown = cli('execution', name, '--json');
    const listed = cli('executions', 'archive', '--json');

    // Assess
    expect(started.status, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^SUCCEEDED in \d+\.\d s: \d+ objects archived$/m);
    expect(started.stderr).toMatch(/^ {2}✓ Plan \d+\.\d s$/m);
    expect(shown.status, shown.stderr).toBe(0);
    const { execution, timeline } = JSON.parse(shown.stdout) as {
      execution: { status: string; stateMachineArn: string };
      timeline: { state: string; outcome: string }[];
    };
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.stateMachineArn).toMatch(/:stateMachine:smlp-.+-archive$/);
    expect(timeline[0]).toMatchObject({ state: 'Plan', outcome: 'ok' });
    expect(JSON.parse(listed.stdout).map((e: { name: string }) => e.name)).toContain(name);
  });

  it('keeps every schedule of the definition (Scheduler stores them; LocalStack never fires them)', async () => {
    // Prepare
    const scheduler = new SchedulerClient({
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const expected = systems.flatMap((system) => [
      ...(system.stream
        ? [{ name: `${system.name}-stream`, expression: system.stream.schedule.expression }]
        : []),
      ...system.stateMachines.flatMap((machine) =>
        machine.schedule ? [{ name: machine.name, expression: machine.schedule.expression }] : [],
      ),
    ]);

    // Act / Assess
    for (const { name, expression } of expected) {
      const schedule = await scheduler.send(new GetScheduleCommand({ Name: `smlp-${STAGE}-${name}` }));
      expect(schedule.ScheduleExpression).toBe(expression);
      expect(schedule.Target?.Arn).toMatch(new RegExp(`stateMachine:smlp-${STAGE}-${name}$`));
    }
  });

  it('lands records put straight on the stream in raw/', async () => {
    // Prepare: a meter no scenario streams
    const reading = (hour: number) => ({
      meterId: 'ls-direct-01',
      zone: 'zone-a',
      timestamp: new Date(Date.UTC(2024, 0, 1, hour)).toISOString(),
      consumption: 1.5,
      temperature: 9,
      holiday: false,
    });

    // Act
    await kinesisPut([0, 1, 2].map(reading));

    // Assess: raw/ is partitioned by arrival hour, so the readings are looked for by meter
    const landed = await until('the three readings in raw/water/', 5 * 60_000, async () => {
      const rows = (await readNdjsonUnder<{ meterId: string }>(s3, dataBucket, 'raw/water/')).filter(
        ({ row }) => row.meterId === 'ls-direct-01',
      );
      return rows.length >= 3 ? rows : undefined;
    });
    const rows = landed.map(({ row }) => row as unknown as { timestamp: string });
    expect(rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp))).toEqual([0, 1, 2].map(reading));
  });
});

async function kinesisPut(rows: Record<string, unknown>[]) {
  const { kinesis } = await import('./deployed.js');
  await kinesis.send(
    new PutRecordsCommand({
      StreamName: streamName,
      Records: rows.map((row) => ({ PartitionKey: String(row.meterId), Data: encodeEnvelope('water', row) })),
    }),
  );
}
