import { describe, expect, it } from 'vitest';
import { csvToSeries, SYNTHETIC_START } from '../../cli/csv-series.js';
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
      'data.csv has no column "rain"; its columns are "timestamp", "consumption", "temperature", "holiday"',
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

  it('rejects an irregular series, naming the gap, its lines and the usual step', () => {
    // Prepare: hourly with one hour missing after 03:00.
    const rows = hourly(8).filter((_, i) => i !== 4);
    const text = toCsv(FIELDS, rows);
    // Act
    const act = () => csvToSeries(text, { value: 'consumption', time: 'timestamp', exog: [] }, 'data.csv');
    // Assess
    expect(act).toThrow(
      'data.csv is not equally spaced: the usual step is 1 h, but 2024-03-01T03:00:00.000Z (line 5) → 2024-03-01T05:00:00.000Z (line 6) is 2 h; fill the gaps or aggregate to a regular step first',
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
