import type { DemoScenario } from '../../local/demo-context.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import { sensorKeys } from './store/keys.js';

/**
 * The sensors part of `npm run demo`: 8 days of 10 sensors streamed through the shared producer
 * and ingest, then one training run (chunks → features → k-means → the shared promote step) and
 * one inference run over every day. The data set is fixed (not `--days`): clustering needs whole
 * days of every sensor, not a long history.
 */
export const demo: DemoScenario = async ({ run, waitForIngest, s3, dataBucket, say }) => {
  say('▶ Sensors: streaming 8 days of 10 sensors (every 10 minutes) through the same producer and ingest');
  const source = { seed: 3, days: 8, sensors: 10 };
  let produced = 0;
  for (;;) {
    const output = await run('sensors-stream', {
      pipeline: 'sensors',
      source,
      initialShare: 0,
      batchSize: 2000,
      numBatches: 3,
    });
    produced += Number(output.produced ?? 0);
    if (output.exhausted || output.noNewData) break;
  }
  await waitForIngest();
  // Counted before training: the training run archives the raw objects it used.
  const landedInRaw = (await readNdjsonUnder(s3, dataBucket, sensorKeys.raw)).length;
  const quarantined = (await readNdjsonUnder(s3, dataBucket, 'quarantine/sensors/')).length;
  say(`  ${produced} readings sent, ${landedInRaw} in raw/, ${quarantined} quarantined`);

  say(
    '▶ sensors-training: day × sensor chunks → features (Parquet) → k-means (k by silhouette) → promote or keep',
  );
  const training = await run('sensors-training', { kMin: 3, kMax: 5 });
  say(`  ${training.promoted ? 'promoted' : 'kept champion'}: ${training.reason}`);

  say('▶ sensors-inference: every sensor-day assigned to a cluster; drift against the previous days');
  const inference = await run('sensors-inference', { lastDays: 8 });
  const clusterSizes: Record<string, number> = {};
  for (const day of Object.values(inference.distribution as Record<string, Record<string, number>>))
    for (const [cluster, count] of Object.entries(day))
      clusterSizes[cluster] = (clusterSizes[cluster] ?? 0) + count;

  return {
    produced,
    landedInRaw,
    quarantined,
    days: training.days,
    decision: { promoted: training.promoted, reason: training.reason },
    championVersion: inference.modelVersion,
    clusterSizes,
    featureFiles: (await listKeys(s3, dataBucket, sensorKeys.featuresPrefix)).length,
  };
};
