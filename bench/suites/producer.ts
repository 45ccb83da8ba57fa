import path from 'node:path';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  KinesisClient,
  PutRecordCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { splitInitialShare, toPutEntries } from '../../core/streaming/replay.js';
import type { ProducerResult } from '../../lambdas/producer/index.js';
import { parseProducerInput } from '../../lambdas/producer/input.js';
import type { ChildService } from '../../local/emulators/child-service.js';
import { startKinesisEmulator } from '../../local/emulators/kinesis-emulator.js';
import { startS3Emulator } from '../../local/emulators/s3-emulator.js';
import { applyEnvironment, LOCAL_REGION, localHandlerEnvironment } from '../../local/local-environment.js';
import { systems } from '../../systems/index.js';
import { waterSystem } from '../../systems/water/system.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, median, rememberEnvironment, round, withTempDir } from './support/measure.js';

/**
 * The real producer handler against kinesis-local (kinesis-mock) and s3rver, next to the naive
 * alternative of one PutRecord call per record on the same SDK client. The emulator bounds every
 * number here; what carries over to AWS is the ratio between batched and per-record writes.
 */
const SUITE = 'producer';
const SHARDS = 4;
const EMULATOR_NOTE =
  'kinesis-local (kinesis-mock in Node) on 127.0.0.1 bounds these numbers, not AWS (a real shard takes 1,000 records/s or 1 MB/s)';

type Producer = typeof import('../../lambdas/producer/index.js');

/** Counts and times the Kinesis calls a client makes, by command, as SDK middleware. */
function instrument(client: KinesisClient) {
  const stats = { calls: 0, ms: 0, each: [] as number[] };
  client.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        const ms = performance.now() - started;
        stats.calls++;
        stats.ms += ms;
        stats.each.push(ms);
      }
    },
    { step: 'initialize', name: 'benchCallTimer' },
  );
  return {
    reset() {
      stats.calls = 0;
      stats.ms = 0;
      stats.each = [];
    },
    read: () => ({ ...stats, each: [...stats.each] }),
  };
}

export const suite: BenchSuite = {
  name: SUITE,
  description: 'producer handler into kinesis-local (PutRecords of 500) beside one PutRecord per record',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const batchSize = 500;
    const numBatches = ctx.quick ? 4 : 10;
    const runs = ctx.quick ? 1 : 3;
    const perRecordCount = ctx.quick ? 200 : 1_000;
    const concurrency = 16;
    const source = { kind: 'generated', days: 200, zones: 4, metersPerZone: 4 } as const;
    // A console start of the water system's stream: the producer has no default system.
    const input = { pipeline: waterSystem.name, batchSize, numBatches, source };

    return withTempDir('smlp-bench-producer-', async (dir) => {
      const services: ChildService[] = [];
      const clients: { destroy(): void }[] = [];
      let restoreEnvironment = () => {};
      try {
        ctx.progress('starting kinesis-local and s3rver on 127.0.0.1');
        const kinesisService = await startKinesisEmulator({ region: LOCAL_REGION });
        services.push(kinesisService);
        const s3Service = await startS3Emulator({ directory: path.join(dir, 's3') });
        services.push(s3Service);
        const env = localHandlerEnvironment(
          { s3: s3Service.endpoint, kinesis: kinesisService.endpoint },
          { stage: 'bench', prefix: 'smlp', clockSpeed: 1000 },
        );
        // Powertools would print a JSON line per batch on stdout, which `--json` keeps for the result.
        const variables = { ...env, POWERTOOLS_LOG_LEVEL: 'SILENT' };
        restoreEnvironment = rememberEnvironment([...Object.keys(variables), 'STREAM_NAME']);
        applyEnvironment(variables);

        const s3 = new S3Client({ region: LOCAL_REGION, endpoint: s3Service.endpoint, forcePathStyle: true });
        clients.push(s3);
        for (const bucket of [env.DATA_BUCKET, env.ARTIFACTS_BUCKET])
          await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        // HTTP/1.1: the SDK's HTTP/2 default fails on large requests against kinesis-mock.
        const admin = new KinesisClient({
          region: LOCAL_REGION,
          endpoint: kinesisService.endpoint,
          requestHandler: new NodeHttpHandler(),
        });
        clients.push(admin);

        let streamCounter = 0;
        /** A fresh stream each time: kinesis-mock slows down as a shard fills. */
        const freshStream = async (): Promise<string> => {
          const name = `bench-stream-${process.pid}-${++streamCounter}`;
          await admin.send(new CreateStreamCommand({ StreamName: name, ShardCount: SHARDS }));
          await waitUntilStreamExists(
            { client: admin, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
            { StreamName: name },
          );
          process.env.STREAM_NAME = name;
          return name;
        };
        const dropStream = async (name: string) =>
          admin.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));

        // After the environment is set: the handler builds its clients at module load.
        const producer: Producer = await import('../../lambdas/producer/index.js');
        clients.push(producer.kinesis, producer.s3);
        const timer = instrument(producer.kinesis);

        // Warm-up: module-level SDK set-up, first connections, and the one-off initial data set write.
        ctx.progress('warm-up run (writes the initial training share and the cursor)');
        const warmStream = await freshStream();
        await producer.handler({ ...input, numBatches: 2 });
        await dropStream(warmStream);

        const handlerSeconds: number[] = [];
        const kinesisSeconds: number[] = [];
        let calls = 0;
        let produced = 0;
        let callTimes: number[] = [];
        for (let r = 1; r <= runs; r++) {
          ctx.progress(
            `handler run ${r}/${runs}: ${numBatches} × ${batchSize} records, fresh ${SHARDS}-shard stream`,
          );
          const stream = await freshStream();
          timer.reset();
          const started = performance.now();
          const result = (await producer.handler(input)) as ProducerResult;
          handlerSeconds.push((performance.now() - started) / 1000);
          const stats = timer.read();
          kinesisSeconds.push(stats.ms / 1000);
          if (result.produced + result.quarantined !== batchSize * numBatches)
            throw new Error(
              `run ${r} sent ${result.produced} + ${result.quarantined}, not ${batchSize * numBatches}`,
            );
          if (result.quarantined > 0)
            throw new Error(`run ${r} set ${result.quarantined} rows aside: not comparable`);
          produced = result.produced;
          calls = stats.calls;
          callTimes = stats.each;
          await dropStream(stream);
        }

        // The same rows the handler streams, enveloped the same way.
        const parsed = parseProducerInput(input, systems);
        if (parsed.source.kind !== 'generated' || !waterSystem.dataset)
          throw new Error('expected a generated source of the water data set');
        const rows = splitInitialShare(
          waterSystem.dataset.generate(parsed.source.options),
          parsed.initialShare,
        ).stream.slice(0, perRecordCount);
        const { entries } = toPutEntries(waterSystem.recordSpec, rows);

        const putOneByOne = async (inFlight: number) => {
          const stream = await freshStream();
          timer.reset();
          let next = 0;
          const started = performance.now();
          // `inFlight` workers each take the next entry: at most that many requests open at once.
          await Promise.all(
            Array.from({ length: inFlight }, async () => {
              while (next < entries.length) {
                const entry = entries[next++];
                if (!entry) break;
                await producer.kinesis.send(
                  new PutRecordCommand({
                    StreamName: stream,
                    PartitionKey: entry.partitionKey,
                    Data: entry.data,
                  }),
                );
              }
            }),
          );
          const seconds = (performance.now() - started) / 1000;
          const stats = timer.read();
          await dropStream(stream);
          return { seconds, calls: stats.calls, callMs: stats.ms };
        };
        ctx.progress(`baseline: ${entries.length} PutRecord calls, one at a time`);
        const sequential = await putOneByOne(1);
        ctx.progress(`baseline: ${entries.length} PutRecord calls, ${concurrency} in flight`);
        const concurrent = await putOneByOne(concurrency);

        const handlerTime = median(handlerSeconds);
        const kinesisTime = median(kinesisSeconds);
        const sizes = `${SHARDS}-shard fresh stream per run, input ${JSON.stringify(input)}`;
        return [
          {
            suite: SUITE,
            case: 'PutRecords via producer handler',
            impl: 'ours',
            metrics: {
              records: produced,
              recordsPerSecond: Math.round(produced / handlerTime),
              kinesisRecordsPerSecond: Math.round(produced / kinesisTime),
              kinesisCalls: calls,
              msPerKinesisCall: round((kinesisTime * 1000) / calls, 1),
              seconds: round(handlerTime, 2),
            },
            note:
              `${EMULATOR_NOTE}; ${sizes}; median of ${runs} run(s) after a warm-up run; recordsPerSecond is the ` +
              'whole handler (data set generation, S3 cursor read and writes), kinesisRecordsPerSecond only the time ' +
              `inside PutRecords calls; handler runs ${handlerSeconds.map((s) => s.toFixed(2)).join('/')} s (${hostLoad()} at the end); ` +
              `PutRecords call times of the last run in order: ${callTimes.map((ms) => ms.toFixed(0)).join(', ')} ms`,
          },
          ...[
            { impl: 'PutRecord per record', m: sequential, how: 'one request at a time' },
            {
              impl: `PutRecord per record ×${concurrency}`,
              m: concurrent,
              how: `${concurrency} requests in flight`,
            },
          ].map(
            ({ impl, m, how }): BenchRow => ({
              suite: SUITE,
              case: 'PutRecord per record',
              impl,
              metrics: {
                records: entries.length,
                recordsPerSecond: Math.round(entries.length / m.seconds),
                kinesisRecordsPerSecond: Math.round(entries.length / m.seconds),
                kinesisCalls: m.calls,
                msPerKinesisCall: round(m.callMs / m.calls, 1),
                seconds: round(m.seconds, 2),
              },
              note:
                `${EMULATOR_NOTE}; same SDK client as the handler (HTTP/1.1 NodeHttpHandler), same rows and partition ` +
                `keys, ${how}, fresh ${SHARDS}-shard stream, one run; no retry logic (none was needed)`,
            }),
          ),
        ];
      } finally {
        for (const client of clients) client.destroy();
        // Stopped one by one by PID (ChildService.stop), each given its own time to exit.
        for (const service of services.reverse()) await service.stop().catch(() => {});
        restoreEnvironment();
      }
    });
  },
};
