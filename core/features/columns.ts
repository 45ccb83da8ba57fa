/**
 * The feature table's columns, in their one stable order: the row builder, the Parquet schema and
 * the docs all come from this list, so they cannot disagree.
 */
export type ColumnType = 'string' | 'int' | 'double';

export interface FeatureColumn {
  name: string;
  type: ColumnType;
  /** Whether the value may be null (a statistic of a channel with no value that day). */
  nullable: boolean;
  description: string;
}

/** One feature row per chunk (UTC day × key); channel columns are `<channel>_<stat>`. */
export interface FeatureRow {
  key: string;
  day: string;
  readings: number;
  expected_readings: number;
  missing_share: number;
  [column: string]: string | number | null;
}

export const BASE_COLUMNS: readonly FeatureColumn[] = [
  { name: 'key', type: 'string', nullable: false, description: 'source of the readings (a device id)' },
  { name: 'day', type: 'string', nullable: false, description: 'UTC day, YYYY-MM-DD' },
  { name: 'readings', type: 'int', nullable: false, description: 'distinct timestamps in the chunk' },
  {
    name: 'expected_readings',
    type: 'int',
    nullable: false,
    description: 'readings a full day holds at the sampling interval',
  },
  {
    name: 'missing_share',
    type: 'double',
    nullable: false,
    description: '(expected − readings) / expected, clamped to [0, 1]',
  },
];

export interface ChannelStat extends Omit<FeatureColumn, 'name'> {
  suffix: string;
}

/** Per channel, in this order. Quantiles interpolate linearly (numpy default); std divides by n. */
export const CHANNEL_STATS: readonly ChannelStat[] = [
  { suffix: 'count', type: 'int', nullable: false, description: 'readings with a finite value' },
  {
    suffix: 'missing_share',
    type: 'double',
    nullable: false,
    description: '(expected − count) / expected, clamped to [0, 1]',
  },
  { suffix: 'mean', type: 'double', nullable: true, description: 'arithmetic mean' },
  { suffix: 'std', type: 'double', nullable: true, description: 'population standard deviation (ddof = 0)' },
  { suffix: 'min', type: 'double', nullable: true, description: 'smallest value' },
  { suffix: 'max', type: 'double', nullable: true, description: 'largest value' },
  { suffix: 'p10', type: 'double', nullable: true, description: '10th percentile, linear interpolation' },
  { suffix: 'p50', type: 'double', nullable: true, description: 'median, linear interpolation' },
  { suffix: 'p90', type: 'double', nullable: true, description: '90th percentile, linear interpolation' },
  {
    suffix: 'slope_per_hour',
    type: 'double',
    nullable: true,
    description: 'least-squares slope against hours since 00:00Z; null with < 2 values',
  },
];

/**
 * Lowercase snake case only: Athena lower-cases column names and Hive forbids most punctuation, so
 * `Temperature` and `temperature` would become one column there.
 */
const CHANNEL_NAME = /^[a-z][a-z0-9_]*$/;

export function featureColumns(channels: readonly string[]): FeatureColumn[] {
  if (channels.length === 0) throw new Error('at least one channel is needed');
  const columns: FeatureColumn[] = [...BASE_COLUMNS];
  for (const channel of channels) {
    if (!CHANNEL_NAME.test(channel)) {
      throw new Error(`channel "${channel}" is not lowercase snake case ([a-z][a-z0-9_]*)`);
    }
    for (const { suffix, ...stat } of CHANNEL_STATS) columns.push({ name: `${channel}_${suffix}`, ...stat });
  }
  const seen = new Set<string>();
  for (const { name } of columns) {
    if (seen.has(name)) throw new Error(`column "${name}" would appear twice; rename a channel`);
    seen.add(name);
  }
  return columns;
}
