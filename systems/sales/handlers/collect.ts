import { planRunInputs } from '../../../adapters/initial-share.js';
import { getBytes, putJson } from '../../../adapters/s3-object-store.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { salesRecordSpec } from '../records/record-spec.js';
import type { SalesRecord } from '../records/types.js';
import { mergeRecords } from '../store/history.js';
import { SYSTEM, salesKeys } from '../store/keys.js';

const logger = createLogger('sales-collect');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * collect: the raw objects that arrived (and the producer's initial share, once) → the stores'
 * profiles and their history shards, one row per store and day. Re-sent records and a retried
 * step add nothing (merges are keyed by store and date). The manifest names what was read, so
 * the archive step moves exactly that.
 */
const collect = defineStep({
  parse: () => ({}),
  async run(_input, { runId }) {
    const bucket = handlerEnv.dataBucket();
    const manifestKey = salesKeys.manifest(runId);
    const { consumed, initial } = await planRunInputs(s3, {
      dataBucket: bucket,
      artifactsBucket: handlerEnv.artifactsBucket(),
      pipeline: SYSTEM,
      runId,
      rawPrefix: salesKeys.raw,
      initialReadKey: salesKeys.initialRead,
      manifestKey,
    });
    const records: SalesRecord[] = [];
    let rejected = 0;
    for (const object of [...(initial ? [initial] : []), ...consumed]) {
      const bytes = await getBytes(s3, bucket, object.key);
      for (const row of bytes ? decodeNdjsonGzip(bytes) : []) {
        // Ingest validated these already; a record it let through under an older spec is skipped here.
        const result = salesRecordSpec.validate(row, Date.now());
        if (result.ok) records.push(result.value);
        else rejected++;
      }
    }
    const merged = await mergeRecords(s3, bucket, records);
    if (initial) await putJson(s3, bucket, salesKeys.initialRead, initial);
    const newestDay = records.reduce<string | undefined>(
      (newest, r) => (r.kind === 'sales' && (!newest || r.date > newest) ? r.date : newest),
      undefined,
    );
    const result = {
      manifestKey,
      objects: consumed.length,
      initial: Boolean(initial),
      records: records.length,
      rejected,
      profilesAdded: merged.profiles,
      daysAdded: merged.days,
      duplicates: merged.duplicates,
      shards: merged.shards.length,
      newestDay: newestDay ?? null,
    };
    logger.info('collected', result);
    return result;
  },
});

export const handler = stepHandler({ steps: { collect }, errors: { retryable: [PreconditionFailedError] } });
