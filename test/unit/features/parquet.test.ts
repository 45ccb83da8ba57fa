import { describe, expect, it } from 'vitest';
import { featureRows } from '../../../core/features/chunk-features.js';
import { groupIntoChunks } from '../../../core/features/chunks.js';
import { type FeatureColumn, type FeatureRow, featureColumns } from '../../../core/features/columns.js';
import { writeFeatureParquet } from '../../../core/features/parquet.js';
import { readParquet } from '../../../core/features/parquet-read.js';

const channels = ['temperature', 'vibration'];
const columns = featureColumns(channels);

function sampleRows(): FeatureRow[] {
  const hour = 3_600_000;
  const start = Date.UTC(2024, 2, 9);
  const readings = [
    { key: 'pump-7', timestampMs: start, values: { temperature: 10, vibration: null } },
    { key: 'pump-7', timestampMs: start + 6 * hour, values: { temperature: 12, vibration: null } },
    { key: 'fan-1', timestampMs: start + hour, values: { temperature: 20.25, vibration: 0.5 } },
  ];
  return featureRows(groupIntoChunks(readings).chunks, { channels, samplingIntervalMs: 6 * hour });
}

describe('feature rows as Parquet', () => {
  it('reads back the rows it wrote, nulls and whole-number doubles included', async () => {
    // Prepare
    const rows = sampleRows();
    // Act
    const bytes = writeFeatureParquet(rows, columns);
    const read = await readParquet(bytes);
    // Assess
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    expect(read.numRows).toBe(2);
    expect(read.rows).toEqual(rows);
    expect(read.rows[1]).toMatchObject({ key: 'pump-7', temperature_mean: 11, vibration_mean: null });
  });

  it('declares strings as UTF8 byte arrays, counts as INT32 and statistics as optional doubles', async () => {
    // Act
    const { columns: declared } = await readParquet(writeFeatureParquet(sampleRows(), columns));
    // Assess
    const byName = new Map(declared.map((c) => [c.name, c]));
    expect(declared.map((c) => c.name)).toEqual(columns.map((c) => c.name));
    expect(byName.get('key')).toEqual({
      name: 'key',
      physicalType: 'BYTE_ARRAY',
      convertedType: 'UTF8',
      repetition: 'REQUIRED',
    });
    expect(byName.get('readings')).toEqual({
      name: 'readings',
      physicalType: 'INT32',
      repetition: 'REQUIRED',
    });
    expect(byName.get('missing_share')).toMatchObject({ physicalType: 'DOUBLE', repetition: 'REQUIRED' });
    expect(byName.get('temperature_mean')).toMatchObject({ physicalType: 'DOUBLE', repetition: 'OPTIONAL' });
  });

  it('writes a typed file with no rows', async () => {
    // Act
    const read = await readParquet(writeFeatureParquet([], columns));
    // Assess
    expect(read.numRows).toBe(0);
    expect(read.rows).toEqual([]);
    expect(read.columns.find((c) => c.name === 'temperature_p90')?.physicalType).toBe('DOUBLE');
  });

  it('refuses a value of the wrong type or a null in a required column', () => {
    // Prepare
    const rows = sampleRows();
    const [first] = rows as [FeatureRow];
    const small: FeatureColumn[] = columns.slice(0, 3);
    // Act / Assess
    expect(() => writeFeatureParquet([{ ...first, readings: 2.5 }], small)).toThrow(/"readings" expects int/);
    expect(() => writeFeatureParquet([{ ...first, key: null as unknown as string }], small)).toThrow(
      /"key" is required/,
    );
    expect(() => writeFeatureParquet([{ ...first, temperature_mean: 'x' }], columns)).toThrow(
      /expects double/,
    );
  });
});
