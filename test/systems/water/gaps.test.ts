import { describe, expect, it } from 'vitest';
import { FitFailed } from '../../../core/lifecycle/index.js';
import {
  defaultForecastSettings,
  parseForecastSettings,
} from '../../../systems/water/model/forecast-settings.js';
import {
  describeGaps,
  gapRefusal,
  parseGapSummary,
  summarizeGaps,
} from '../../../systems/water/model/gaps.js';
import { emptyBuckets, mergeReadings, toHourlySeries } from '../../../systems/water/model/hourly-series.js';
import { TooManyFilledHours, trainingData } from '../../../systems/water/model/sarimax-adapter.js';
import type { WaterReading } from '../../../systems/water/records/reading.js';

const hours = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1, i)).toISOString());
/** Filled flags from a picture: `#` an observed hour, `.` a filled one. */
const flags = (picture: string) => [...picture].map((c) => c === '.');

/** A series of one meter over `count` hours, without readings in the hours `missing` picks. */
function seriesWithout(count: number, missing: (hour: number) => boolean) {
  const buckets = emptyBuckets();
  const readings: WaterReading[] = hours(count).flatMap((timestamp, h) =>
    missing(h)
      ? []
      : [
          {
            meterId: 'm1',
            zone: 'zone-a',
            timestamp,
            consumption: 2 + Math.sin(h),
            temperature: 5,
            holiday: false,
          },
        ],
  );
  mergeReadings(buckets, readings);
  return toHourlySeries(buckets);
}

describe('filled hours of a training window', () => {
  it('counts the filled hours, the longest run and where it starts, and those in the holdout', () => {
    // Prepare
    const picture = '##..#...##.#';
    // Act
    const gaps = summarizeGaps(hours(picture.length), flags(picture), 3);
    // Assess
    expect(gaps).toEqual({
      windowHours: 12,
      filledHours: 6,
      filledShare: 0.5,
      longestGapHours: 3,
      longestGapFrom: hours(12)[5],
      holdoutFilledHours: 1,
    });
  });

  it('reports a window without gaps, and an empty one, as nothing filled', () => {
    // Act / Assess
    expect(summarizeGaps(hours(4), flags('####'), 2)).toMatchObject({
      filledHours: 0,
      filledShare: 0,
      longestGapHours: 0,
      longestGapFrom: null,
    });
    expect(summarizeGaps([], [], 2)).toMatchObject({ windowHours: 0, filledShare: 0 });
  });

  it('marks the hours the hourly series interpolated', () => {
    // Act
    const series = seriesWithout(6, (h) => h === 2 || h === 3);
    // Assess
    expect(series.filled).toEqual(flags('##..##'));
    expect(series.filledHours).toBe(2);
  });

  it('refuses a window beyond either limit with the numbers, and passes one within them', () => {
    // Prepare
    const limits = { maxFilledShare: 0.1, maxGapHours: 24 };
    const window = (filled: number, longest: number) => ({
      windowHours: 1000,
      filledHours: filled,
      filledShare: filled / 1000,
      longestGapHours: longest,
      longestGapFrom: '2024-02-01T00:00:00.000Z',
      holdoutFilledHours: 0,
    });
    // Act / Assess
    expect(gapRefusal(window(100, 24), limits)).toBeUndefined();
    expect(gapRefusal(window(101, 3), limits)).toMatch(
      /^too many filled hours to train on: 101 of the window's 1000 hours are filled by interpolation \(10\.1%, more than maxFilledShare 0\.1\)\. /,
    );
    expect(gapRefusal(window(30, 30), limits)).toContain(
      'the longest gap is 30 hours from 2024-02-01T00:00:00.000Z (more than maxGapHours 24)',
    );
    expect(gapRefusal(window(952, 952), limits)).toMatch(
      /952 of the window's 1000 hours.*longest gap is 952 hours/,
    );
  });

  it('describes the window in one short line, and reads the summary back from a train result', () => {
    // Prepare
    const gaps = summarizeGaps(hours(8), flags('##...###'), 2);
    // Act / Assess
    expect(describeGaps(gaps)).toBe('training window: 3 of 8 h interpolated (37.5%), longest gap 3 h');
    expect(describeGaps(summarizeGaps(hours(2), flags('##'), 1))).toBe(
      'training window: 2 h, none interpolated',
    );
    expect(parseGapSummary(JSON.parse(JSON.stringify(gaps)))).toEqual(gaps);
    expect(parseGapSummary(undefined)).toBeUndefined();
    expect(parseGapSummary({ filledHours: 'many' })).toBeUndefined();
  });
});

describe('training data and its gaps', () => {
  const settings = { ...defaultForecastSettings, holdoutHours: 24 };

  it('carries the gap summary of the window trained on, not of the whole series', () => {
    // Prepare: a long gap early on, outside a 300-hour window, and a 3-hour one inside it.
    const series = seriesWithout(600, (h) => (h >= 10 && h < 110) || (h >= 400 && h < 403));
    // Act
    const data = trainingData(series, { ...settings, maxPoints: 300 });
    // Assess
    expect(data.gaps).toMatchObject({
      windowHours: 300,
      filledHours: 3,
      longestGapHours: 3,
      longestGapFrom: hours(600)[400],
    });
  });

  it('throws FitFailed with the numbers when the window holds a gap longer than maxGapHours', () => {
    // Prepare
    const series = seriesWithout(300, (h) => h >= 100 && h < 148);
    // Act
    const refuse = () => trainingData(series, settings);
    // Assess
    expect(refuse).toThrow(FitFailed);
    expect(refuse).toThrow(TooManyFilledHours);
    expect(refuse).toThrow(
      /48 of the window's 300 hours are filled by interpolation \(16\.0%, more than maxFilledShare 0\.1\)/,
    );
    expect(refuse).toThrow(
      /longest gap is 48 hours from 2024-01-05T04:00:00\.000Z \(more than maxGapHours 24\)/,
    );
    // Limits given in the input let an operator train across a known outage.
    expect(trainingData(series, { ...settings, maxFilledShare: 0.2, maxGapHours: 48 }).gaps.filledHours).toBe(
      48,
    );
  });

  it('reads the limits from the training input, with defaults and bounds', () => {
    // Act / Assess
    expect(parseForecastSettings({})).toMatchObject({ maxFilledShare: 0.1, maxGapHours: 24 });
    expect(parseForecastSettings({ maxFilledShare: 0.25, maxGapHours: 72 })).toMatchObject({
      maxFilledShare: 0.25,
      maxGapHours: 72,
    });
    expect(() => parseForecastSettings({ maxFilledShare: 1.5 })).toThrow(
      /maxFilledShare must be a number from 0 to 1/,
    );
    expect(() => parseForecastSettings({ maxGapHours: 2.5 })).toThrow(/maxGapHours must be a whole number/);
  });
});
