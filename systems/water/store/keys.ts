import { initialDatasetKey } from '../../../core/streaming/dataset-keys.js';
import { rawPipelinePrefix } from '../../../core/streaming/keys.js';
import { PIPELINE } from '../names.js';

/**
 * Where the water system keeps its data, in one place.
 *
 * Data bucket:
 *   datasets/water/initial.ndjson.gz       the initial training share (written by the producer)
 *   datasets/water/hourly-buckets.json     the hourly series between runs (sums and counts per hour)
 *   raw/water/…                            readings that passed ingest (archived by each retrain)
 *
 * Artifacts bucket:
 *   runs/water/<runId>/data.json           what the run consumed (keys and ETags): archive moves exactly these
 *   runs/water/<runId>/evaluation.json     the holdout: actual, challenger and champion predictions
 *   runs/water/<runId>/training.json       why the challenger's fit failed, with its attempts
 *   runs/water/<runId>/decision.json       the promotion decision (written by the platform's promote)
 *   reports/water/<runId>/report.{json,svg} and reports/water/latest/report.{json,svg}
 *   models/water/forecast/…                the model registry (core/registry/layout.ts)
 */
export const waterKeys = {
  initialDataset: initialDatasetKey(PIPELINE),
  hourlyBuckets: `datasets/${PIPELINE}/hourly-buckets.json`,
  rawPrefix: rawPipelinePrefix(PIPELINE),
  run: (runId: string) => {
    const root = `runs/${PIPELINE}/${runId}`;
    return {
      data: `${root}/data.json`,
      evaluation: `${root}/evaluation.json`,
      training: `${root}/training.json`,
      decision: `${root}/decision.json`,
    };
  },
  /** `reports/water/<runId>` (or `reports/water/latest`), holding `report.json` and `report.svg`. */
  reportPrefix: (runId: string | 'latest') => `reports/${PIPELINE}/${runId}`,
} as const;
