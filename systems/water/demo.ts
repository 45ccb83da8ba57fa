import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { getBytes, listObjects, S3ObjectStore } from '../../adapters/s3-object-store.js';
import { reasonKind } from '../../core/pipelines/validation-helpers.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import type { DemoContext, DemoScenario } from '../../local/demo-context.js';
import { readNdjsonUnder } from '../../local/inspect-data.js';
import { MODEL, PIPELINE } from './names.js';
import { waterKeys } from './store/keys.js';

/**
 * Water's part of `npm run demo`: stream half of the generated data (the first 20% kept for
 * initial training), train the initial model, retrain, stream the rest, retrain again, then
 * account for every record (raw + quarantined = produced) and show the champion.
 */

// The initial model has a fixed small order; retrains search a few orders by AIC within a short
// budget (on AWS the default search may take minutes).
const training = {
  'water-init-model': { order: { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 }, holdoutHours: 48 },
  'water-retrain': {
    search: { maxP: 2, maxQ: 1, maxSeasonalP: 1, maxSeasonalQ: 1, budgetSeconds: 20 },
    holdoutHours: 48,
  },
} as const;

interface Decision {
  stateMachine: string;
  runId: unknown;
  promoted: unknown;
  reason: unknown;
}

export const demo: DemoScenario = async (context: DemoContext) => {
  const { s3, dataBucket, say } = context;
  const source = { kind: 'generated', days: context.days };
  let produced = 0;
  let producerQuarantined = 0;
  const decisions: Decision[] = [];
  const models: unknown[] = [];

  const streamUntil = async (stopAtShare: number) => {
    for (;;) {
      const output = await context.run(`${PIPELINE}-stream`, { source, batchSize: 500, numBatches: 2 });
      produced += Number(output.produced ?? 0);
      producerQuarantined += Number(output.quarantined ?? 0);
      const cursor = output.cursor as { offset: number; total: number };
      say(
        `  stream: ${produced} records sent (${cursor.offset}/${cursor.total}), ${context.ingested()} ingested so far`,
      );
      if (output.noNewData || output.exhausted || cursor.offset >= cursor.total * stopAtShare) break;
    }
    say('  waiting for ingest to drain the stream');
    await context.waitForIngest();
  };

  const train = async (machine: keyof typeof training) => {
    say(
      machine === 'water-init-model'
        ? '▶ water-init-model: SARIMAX (1,0,1)(1,1,1)24 on the initial 20%'
        : '▶ water-retrain: new data merged, challenger searched by AIC, champion refitted on the same window',
    );
    const output = await context.run(machine, training[machine]);
    const decision = output.decision as Record<string, unknown>;
    decisions.push({
      stateMachine: machine,
      runId: output.runId,
      promoted: decision.promoted,
      reason: decision.reason,
    });
    models.push(output.challenger);
    say(`  ${decision.promoted ? 'promoted' : 'kept champion'}: ${decision.reason}`);
  };

  // Each retrain archives the raw data it used, so raw/ is counted as it lands, before training.
  const landedRows = async () => (await readNdjsonUnder(s3, dataBucket, waterKeys.rawPrefix)).length;

  say(`▶ Streaming ${context.days} days of generated water readings (20% kept for initial training)`);
  await streamUntil(0.5);
  let landedInRaw = await landedRows();
  await train('water-init-model');
  await train('water-retrain');
  say('▶ Streaming the rest of the water data set');
  await streamUntil(1);
  landedInRaw += await landedRows();
  // One more run shows the end-of-data path of the stream state machine.
  await context.run(`${PIPELINE}-stream`, { source });
  await train('water-retrain');

  const quarantine = await readNdjsonUnder<{ reason: string }>(s3, dataBucket, `quarantine/${PIPELINE}/`);
  const byReason: Record<string, number> = {};
  for (const { row } of quarantine)
    byReason[reasonKind(row.reason)] = (byReason[reasonKind(row.reason)] ?? 0) + 1;
  const archivedObjects = (await listObjects(s3, dataBucket, `archive/${PIPELINE}/`)).length;
  const rawObjectsLeft = (await listObjects(s3, dataBucket, waterKeys.rawPrefix)).length;
  const registry = new ModelRegistry({
    store: new S3ObjectStore(s3, context.artifactsBucket),
    pipeline: PIPELINE,
    model: MODEL,
  });
  const champion = await registry.loadChampion();

  say(
    `✔ Water: ${produced} produced → ${landedInRaw} raw + ${quarantine.length} quarantined; ${archivedObjects} objects archived`,
  );
  for (const [reason, count] of Object.entries(byReason))
    say(`    quarantined ${String(count).padStart(4)} × ${reason}`);
  if (champion) say(`  champion ${champion.pointer.version}: ${champion.pointer.reason}`);
  // A plain copy of the latest report picture, to open in a browser.
  const svg = await getBytes(s3, context.artifactsBucket, `${waterKeys.reportPrefix('latest')}/report.svg`);
  if (svg) {
    const file = path.join(context.dataDir, 'latest-report.svg');
    writeFileSync(file, svg);
    say(`  report: ${file}`);
  }

  return {
    produced,
    producerQuarantined,
    landedInRaw,
    quarantined: { total: quarantine.length, byReason },
    // Every record the producer handled is in raw/ (or archived from it) or in quarantine/.
    accountedFor: landedInRaw + quarantine.length === produced + producerQuarantined ? 'all' : 'MISMATCH',
    archived: { objects: archivedObjects, rawObjectsLeft },
    models,
    decisions,
    champion: champion
      ? {
          version: champion.pointer.version,
          reason: champion.pointer.reason,
          metrics: champion.model.metadata.metrics,
        }
      : null,
  };
};
