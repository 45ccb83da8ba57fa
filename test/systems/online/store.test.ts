import { describe, expect, it } from 'vitest';
import { readParquet } from '../../../core/features/parquet-read.js';
import {
  type OnlineTask,
  onlineTasks,
  runPrequential,
  type SequencedRecord,
} from '../../../systems/online/model/prequential.js';
import { onlineSettings } from '../../../systems/online/model/settings.js';
import { generateOnlineRecords } from '../../../systems/online/records/generator.js';
import { readHistoryParquet, writeHistoryParquet } from '../../../systems/online/store/history-parquet.js';
import { ONLINE_MODELS, type OnlineModelName, onlineKeys } from '../../../systems/online/store/keys.js';

function resultsOf(model: OnlineModelName, count: number) {
  const records: SequencedRecord[] = generateOnlineRecords({ seed: 2, count }).map((record) => ({
    record,
    shardId: 's',
    sequenceNumber: String(record.tick),
  }));
  return runPrequential(
    onlineTasks[model] as OnlineTask<OnlineModelName>,
    onlineSettings,
    undefined,
    records,
    '2024-01-02T00:00:00.000Z',
  ).results;
}

describe('history in Parquet', () => {
  it.each(ONLINE_MODELS)('%s: results read back exactly as written, nulls included', async (model) => {
    // Prepare: the first results have metrics that are not defined yet (null).
    const results = resultsOf(model, 30);
    // Act
    const bytes = writeHistoryParquet(model, results);
    const back = await readHistoryParquet(model, bytes);
    // Assess
    expect(back).toEqual(results);
    expect(JSON.stringify(back)).toBe(JSON.stringify(results));
    expect(writeHistoryParquet(model, results)).toEqual(bytes);
  });

  it('types the columns for Athena and DuckDB and leaves out the partition names', async () => {
    // Act
    const { columns } = await readParquet(
      writeHistoryParquet('classification', resultsOf('classification', 5)),
    );
    // Assess
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(byName.tick).toMatchObject({ physicalType: 'INT64', repetition: 'REQUIRED' });
    expect(byName.time).toMatchObject({ physicalType: 'BYTE_ARRAY', convertedType: 'UTF8' });
    expect(byName.probability).toMatchObject({ physicalType: 'DOUBLE', repetition: 'REQUIRED' });
    expect(byName.roc_auc).toMatchObject({ physicalType: 'DOUBLE', repetition: 'OPTIONAL' });
    expect(columns.map((c) => c.name)).not.toContain('model');
  });
});

describe('keys', () => {
  it('puts history under Hive partitions by model, date and hour, named by a zero-padded first tick', () => {
    // Act
    const key = onlineKeys.history('regression', '2024-03-05T17:42:10.000Z', 1234);
    // Assess
    expect(key).toBe(
      'results/online/history/model=regression/date=2024-03-05/hour=17/tick-000000001234.parquet',
    );
    expect(onlineKeys.tickOfHistory(key)).toBe(1234);
    expect(() => onlineKeys.history('regression', '2024-03-05T17:42:10.000Z', -1)).toThrow(/integer ≥ 0/);
  });

  it('sorts history keys in tick order, across hours and digit counts', () => {
    // Prepare
    const keys = [
      onlineKeys.history('classification', '2024-01-01T01:00:00Z', 1800),
      onlineKeys.history('classification', '2024-01-01T00:00:20Z', 10),
      onlineKeys.history('classification', '2024-01-01T00:03:20Z', 100),
      onlineKeys.history('classification', '2024-01-01T00:00:18Z', 9),
    ];
    // Act
    const sorted = [...keys].sort();
    // Assess
    expect(sorted.map(onlineKeys.tickOfHistory)).toEqual([9, 10, 100, 1800]);
  });
});
