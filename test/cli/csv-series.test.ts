import { describe, expect, it } from 'vitest';
import { csvToSeries, DEFAULT_FILL, SYNTHETIC_START } from '../../cli/csv-series.js';
import { futureExogFromCsv, missingExogMessage } from '../../cli/future-exog-csv.js';
import { toCsv } from '../../core/data/csv.js';

const HOUR = 3_600_000;
const hourly = (count: number, start = '2024-03-01T00:00:00Z') =>
  Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(Date.parse(start) + i * HOUR).toISOString(),
    consumption: 100 + i,
    temperature: 10 + i / 10,
    holiday: i === 1 ? 'true' : 'false',
  }));
const FIELDS = ['timestamp', 'consumption', 'temperature', 'holiday'];

describe('CSV to training series', () => {
  it('reads values, times and regressors (true/false as 1/0) with the step of the data', () => {
    // Prepare
    const text = toCsv(FIELDS, hourly(3));
    // Act
    const { series, sorted, syntheticTime } = csvToSeries(text, {
      value: 'consumption',
      time: 'timestamp',
      exog: ['temperature', 'holiday'],
    });
    // Assess
    expect(series).toEqual({
      timestamps: ['2024-03-01T00:00:00.000Z', '2024-03-01T01:00:00.000Z', '2024-03-01T02:00:00.000Z'],
      values: [100, 101, 102],
      exog: [
        [10, 0],
        [10.1, 1],
        [10.2, 0],
      ],
      exogNames: ['temperature', 'holiday'],
      stepMs: HOUR,
      calendar: { unit: 'hour', count: 1, style: 'ISO' },
    });
    expect([sorted, syntheticTime]).toEqual([false, false]);
  });

  it('sorts rows by time and infers a daily step; times without a zone are UTC', () => {
    // Prepare
    const text = 'day,sales\n2024-03-03,3\n2024-03-01 00:00,1\n2024-03-02T00:00:00,2\n';
    // Act
    const { series, sorted } = csvToSeries(text, { value: 'sales', time: 'day', exog: [] });
    // Assess
    expect(sorted).toBe(true);
    expect(series.values).toEqual([1, 2, 3]);
    expect(series.timestamps[0]).toBe('2024-03-01T00:00:00.000Z');
    expect(series.stepMs).toBe(86_400_000);
  });

  it('without a time column takes file order, one hour apart from a fixed start', () => {
    // Prepare
    const text = 'y\n5\n6\n';
    // Act
    const { series, syntheticTime } = csvToSeries(text, { value: 'y', exog: [] });
    // Assess
    expect(syntheticTime).toBe(true);
    expect(series.timestamps).toEqual([SYNTHETIC_START, '2000-01-01T01:00:00.000Z']);
    expect(series.stepMs).toBe(HOUR);
  });

  it('names the missing column and lists the ones the file has', () => {
    // Prepare
    const text = toCsv(FIELDS, hourly(3));
    // Act
    const act = () =>
      csvToSeries(text, { value: 'consumption', time: 'timestamp', exog: ['rain'] }, 'data.csv');
    // Assess
    expect(act).toThrow(
      'data.csv has no column "rain"; its columns are "timestamp", "consumption", "temperature", "holiday" (split at commas;',
    );
  });

  it('names the file line of a value that is not a number, counting blank lines', () => {
    // Prepare: a blank line before the bad row, which parseCsv drops.
    const text = 'timestamp,y\n2024-03-01T00:00Z,1\n\n2024-03-01T01:00Z,n/a\n';
    // Act
    const act = () => csvToSeries(text, { value: 'y', time: 'timestamp', exog: [] }, 'data.csv');
    // Assess
    expect(act).toThrow('data.csv line 4: column "y" is "n/a", expected a number');
  });

  it('rejects an empty cell instead of reading it as 0, and a bad time with its line', () => {
    // Prepare
    const empty = 'timestamp,y,t\n2024-03-01T00:00Z,1,\n';
    const badTime = 'timestamp,y\nyesterday,1\n';
    // Act
    const actEmpty = () => csvToSeries(empty, { value: 'y', time: 'timestamp', exog: ['t'] });
    const actTime = () => csvToSeries(badTime, { value: 'y', time: 'timestamp', exog: [] });
    // Assess
    expect(actEmpty).toThrow('the CSV line 2: column "t" is empty, expected a number');
    expect(actTime).toThrow(/line 2: column "timestamp" is "yesterday", expected an ISO-8601 time/);
  });

  it('refuses a missing step naming it and its lines, and suggests --fill', () => {
    // Prepare: hourly with the hour 04:00 missing.
    const rows = hourly(8).filter((_, i) => i !== 4);
    const text = toCsv(FIELDS, rows);
    // Act
    const act = () => csvToSeries(text, { value: 'consumption', time: 'timestamp', exog: [] }, 'data.csv');
    // Assess
    expect(act).toThrow(
      'data.csv has a gap in its hourly series: 2024-03-01T04:00:00.000Z is missing (between lines 5 and 6); it is the only missing step. Pass --fill',
    );
  });

  it('rejects a series off its step grid, naming the gap, its lines and the usual step', () => {
    // Prepare: hourly, but one row at 03:30.
    const text =
      'timestamp,y\n2024-03-01T00:00Z,1\n2024-03-01T01:00Z,2\n2024-03-01T02:00Z,3\n2024-03-01T03:30Z,4\n';
    // Act
    const act = () => csvToSeries(text, { value: 'y', time: 'timestamp', exog: [] }, 'data.csv');
    // Assess
    expect(act).toThrow(
      'data.csv is not equally spaced: the usual step is 1 h, but 2024-03-01T02:00:00.000Z (line 4) → 2024-03-01T03:30:00.000Z (line 5) is 90 min, not a whole number of steps',
    );
  });

  it('rejects two rows for the same time', () => {
    // Prepare
    const text = 'timestamp,y\n2024-03-01T00:00Z,1\n2024-03-01T01:00Z,2\n2024-03-01T01:00Z,3\n';
    // Act
    const act = () => csvToSeries(text, { value: 'y', time: 'timestamp', exog: [] }, 'data.csv');
    // Assess
    expect(act).toThrow(
      'data.csv has two rows for 2024-03-01T01:00:00.000Z (lines 3 and 4); keep one value per time',
    );
  });
});

describe('calendar steps, delimiters, gaps and transforms', () => {
  const monthly = (months: number, skip: number[] = []) =>
    [
      'month,sales',
      ...Array.from({ length: months }, (_, i) => i)
        .filter((i) => !skip.includes(i))
        .map((i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${100 + i}`),
    ].join('\n');

  it('reads YYYY-MM as a monthly series, stamped at month starts with the month style', () => {
    // Prepare
    const text = monthly(14);
    // Act
    const { series } = csvToSeries(text, { value: 'sales', time: 'month', exog: [] });
    // Assess
    expect(series.calendar).toEqual({ unit: 'month', count: 1, style: 'YYYY-MM' });
    expect(series.timestamps.slice(0, 3)).toEqual([
      '2020-01-01T00:00:00.000Z',
      '2020-02-01T00:00:00.000Z',
      '2020-03-01T00:00:00.000Z',
    ]);
    expect(series.values).toHaveLength(14);
  });

  it('takes first-of-month dates as monthly although months differ in length', () => {
    // Prepare
    const text = 'date,y\n2024-01-01,1\n2024-02-01,2\n2024-03-01,3\n2024-04-01,4\n';
    // Act
    const { series } = csvToSeries(text, { value: 'y', time: 'date', exog: [] });
    // Assess
    expect(series.calendar).toEqual({ unit: 'month', count: 1, style: 'YYYY-MM-DD' });
  });

  it('detects a semicolon file from its header and reads its decimal commas', () => {
    // Prepare
    const text = 'date;visits;temperature\n2024-03-01;12,5;3,25\n2024-03-02;13;-1,5\n';
    // Act
    const { series, delimiter } = csvToSeries(text, { value: 'visits', time: 'date', exog: ['temperature'] });
    // Assess
    expect(delimiter).toBe(';');
    expect(series.values).toEqual([12.5, 13]);
    expect(series.exog).toEqual([[3.25], [-1.5]]);
    expect(series.calendar.unit).toBe('day');
  });

  it('names the delimiter when a column is missing, so a wrong --delimiter shows', () => {
    // Prepare
    const text = 'date;visits\n2024-03-01;12\n';
    // Act
    const act = () =>
      csvToSeries(text, { value: 'visits', time: 'date', exog: [] }, 'v.csv', { delimiter: ',' });
    // Assess
    expect(act).toThrow(
      'v.csv has no column "visits", "date"; its columns are "date;visits" (split at commas;',
    );
  });

  it('--fill interpolates missing months linearly and reports the gaps', () => {
    // Prepare: 36 months, March and April 2021 missing (values 114 and 115).
    const text = monthly(36, [14, 15]);
    // Act
    const { series, filled } = csvToSeries(text, { value: 'sales', time: 'month', exog: [] }, 'm.csv', {
      fill: { max: DEFAULT_FILL },
    });
    // Assess
    expect(series.values).toHaveLength(36);
    expect(series.values.slice(13, 17)).toEqual([113, 114, 115, 116]);
    expect(filled).toHaveLength(1);
    expect(filled[0]?.steps).toBe(2);
  });

  it('--fill refuses more than its limit or a gap longer than a season, saying how many and where', () => {
    // Prepare
    const tooMany = monthly(36, [3, 9, 15, 21]);
    const tooLong = monthly(48, [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    const read = (text: string, max: { steps: number } | { share: number }) => () =>
      csvToSeries(text, { value: 'sales', time: 'month', exog: [] }, 'm.csv', { fill: { max } });
    // Act
    const [actMany, actLong] = [read(tooMany, { steps: 3 }), read(tooLong, { share: 0.5 })];
    // Assess
    expect(actMany).toThrow(
      'm.csv: --fill would fill 4 of 36 steps in 4 gaps, more than the 3 allowed (set by --max-fill); the longest gap is 1 step, 2020-04 (between lines 4 and 5)',
    );
    expect(actLong).toThrow(
      'm.csv: --fill interpolates gaps of up to one season (12 steps), but 2021-01 … 2022-01 (between lines 13 and 14) is 13 missing steps',
    );
  });

  it('--transform log needs positive values and names the line; mixing months and dates is refused', () => {
    // Prepare
    const zero = 'month,y\n2024-01,3\n2024-02,0\n';
    const mixed = 'month,y\n2024-01,3\n2024-02-01,4\n';
    // Act
    const actLog = () =>
      csvToSeries(zero, { value: 'y', time: 'month', exog: [] }, 'a.csv', { transform: 'log' });
    const actMixed = () => csvToSeries(mixed, { value: 'y', time: 'month', exog: [] }, 'b.csv');
    // Assess
    expect(actLog).toThrow('a.csv line 3: column "y" is 0, but --transform log needs values > 0');
    expect(actMixed).toThrow(
      'b.csv line 3: column "month" is "2024-02-01", a date (2024-03-01), but line 2 is a month (2024-03); write every time the same way',
    );
  });
});

describe('future regressors from a CSV', () => {
  it('takes the model columns in model order for the first horizon rows, ignoring others', () => {
    // Prepare
    const text = 'time,holiday,temperature\nx,0,11\ny,1,12\nz,0,13\n';
    // Act
    const rows = futureExogFromCsv(text, ['temperature', 'holiday'], 2, 'future.csv');
    // Assess
    expect(rows).toEqual([
      [11, 0],
      [12, 1],
    ]);
  });

  it('too few rows says how many the horizon needs; the hint names columns and rows', () => {
    // Prepare
    const text = 'temperature\n11\n';
    // Act
    const act = () => futureExogFromCsv(text, ['temperature'], 3, 'future.csv');
    const hint = missingExogMessage('model.json', ['temperature', 'holiday'], 24);
    // Assess
    expect(act).toThrow('future.csv has 1 rows, but a horizon of 3 needs 3 (one per forecast step)');
    expect(hint).toContain('the columns temperature,holiday and at least 24 rows');
  });
});
