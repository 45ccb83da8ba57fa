import { describe, expect, it } from 'vitest';
import {
  addSteps,
  type CalendarStep,
  describeStep,
  formatTime,
  inferStep,
  nominalStepMs,
  parseTime,
  readSeriesCalendar,
  seasonForStep,
  stepsBetween,
} from '../../../../core/data/calendar.js';

const utc = (text: string) => Date.parse(text);
const MONTHLY: CalendarStep = { unit: 'month', count: 1 };

describe('parsing a time cell', () => {
  it('reads years, quarters, months, dates and date-times with their style; no zone is UTC', () => {
    // Prepare
    const cells = [
      '2024',
      '2024-Q3',
      '2024q1',
      '2024-03',
      '2024-03-05',
      '2024-03-05 13:30',
      '2024-03-05T13:30:00+02:00',
    ];
    // Act
    const parsed = cells.map(parseTime);
    // Assess
    expect(parsed).toEqual([
      { ms: utc('2024-01-01T00:00Z'), style: 'YYYY' },
      { ms: utc('2024-07-01T00:00Z'), style: 'YYYY-Qn' },
      { ms: utc('2024-01-01T00:00Z'), style: 'YYYY-Qn' },
      { ms: utc('2024-03-01T00:00Z'), style: 'YYYY-MM' },
      { ms: utc('2024-03-05T00:00Z'), style: 'YYYY-MM-DD' },
      { ms: utc('2024-03-05T13:30Z'), style: 'ISO' },
      { ms: utc('2024-03-05T11:30Z'), style: 'ISO' },
    ]);
  });

  it('refuses dates that do not exist and text that is no time', () => {
    // Prepare
    const cells = ['2024-02-30', '2024-13', '2024-Q5', 'yesterday', '', '03/05/2024', '20240305'];
    // Act
    const parsed = cells.map(parseTime);
    // Assess
    expect(parsed).toEqual(cells.map(() => undefined));
  });
});

describe('inferring the step by calendar', () => {
  it('finds monthly steps although months differ in length, at month starts and month ends', () => {
    // Prepare
    const starts = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'].map(utc);
    const ends = ['2023-12-31', '2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'].map(utc);
    // Act
    const [fromStarts, fromEnds] = [inferStep(starts), inferStep(ends)];
    // Assess
    expect(fromStarts).toEqual({ unit: 'month', count: 1 });
    expect(fromEnds).toEqual({ unit: 'month', count: 1, monthEnd: true });
  });

  it('names quarters, years, weeks, days, hours and minutes', () => {
    // Prepare
    const series: Record<string, string[]> = {
      quarter: ['2024-01-01', '2024-04-01', '2024-07-01'],
      year: ['2022-06-15', '2023-06-15', '2024-06-15'],
      week: ['2024-03-04', '2024-03-11', '2024-03-18'],
      day: ['2024-02-28', '2024-02-29', '2024-03-01'],
      hour: ['2024-03-01T00:00Z', '2024-03-01T01:00Z', '2024-03-01T02:00Z'],
      minute: ['2024-03-01T00:00Z', '2024-03-01T00:15Z', '2024-03-01T00:30Z'],
    };
    // Act
    const steps = Object.values(series).map((times) => inferStep(times.map(utc)));
    // Assess
    expect(steps).toEqual([
      { unit: 'quarter', count: 1 },
      { unit: 'year', count: 1 },
      { unit: 'week', count: 1 },
      { unit: 'day', count: 1 },
      { unit: 'hour', count: 1 },
      { unit: 'minute', count: 15 },
    ]);
  });

  it('takes the median gap, so a missing month does not change the step', () => {
    // Prepare: March is missing.
    const times = ['2024-01-01', '2024-02-01', '2024-04-01', '2024-05-01'].map(utc);
    // Act
    const step = inferStep(times);
    // Assess
    expect(step).toEqual(MONTHLY);
    expect(stepsBetween(utc('2024-02-01'), utc('2024-04-01'), step)).toBe(2);
  });
});

describe('stepping through the calendar', () => {
  it('adds months keeping the day, clamping to short months, and month ends stay month ends', () => {
    // Prepare
    const monthEnd: CalendarStep = { unit: 'month', count: 1, monthEnd: true };
    // Act
    const [plain, clamped, ends, back] = [
      addSteps(utc('2024-11-15T06:00Z'), 3, MONTHLY),
      addSteps(utc('2024-01-31'), 1, MONTHLY),
      [1, 2, 3].map((k) => addSteps(utc('2024-01-31'), k, monthEnd)),
      addSteps(utc('2024-03-01'), -2, { unit: 'quarter', count: 1 }),
    ];
    // Assess
    expect(new Date(plain).toISOString()).toBe('2025-02-15T06:00:00.000Z');
    expect(new Date(clamped).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(ends.map((ms) => formatTime(ms, 'YYYY-MM-DD'))).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
    expect(formatTime(back, 'YYYY-MM-DD')).toBe('2023-09-01');
  });

  it('counts steps between times on the grid and gives NaN off it', () => {
    // Prepare
    const hourly: CalendarStep = { unit: 'hour', count: 1 };
    // Act
    const counts = [
      stepsBetween(utc('2024-03-01T00:00Z'), utc('2024-03-01T03:00Z'), hourly),
      stepsBetween(utc('2024-03-01T00:00Z'), utc('2024-03-01T01:30Z'), hourly),
      stepsBetween(utc('2024-01-01'), utc('2025-01-01'), MONTHLY),
      stepsBetween(utc('2024-01-01'), utc('2024-02-15'), MONTHLY),
    ];
    // Assess
    expect(counts).toEqual([3, Number.NaN, 12, Number.NaN]);
  });
});

describe('describing a step', () => {
  it('suggests a season per step: 24 hourly, 7 daily, 52 weekly, 12 monthly, 4 quarterly, none yearly', () => {
    // Prepare
    const steps: CalendarStep[] = [
      { unit: 'hour', count: 1 },
      { unit: 'hour', count: 2 },
      { unit: 'day', count: 1 },
      { unit: 'week', count: 1 },
      { unit: 'month', count: 1 },
      { unit: 'quarter', count: 1 },
      { unit: 'year', count: 1 },
      { unit: 'minute', count: 15 },
    ];
    // Act
    const seasons = steps.map(seasonForStep);
    // Assess
    expect(seasons).toEqual([24, 12, 7, 52, 12, 4, 0, 0]);
  });

  it('writes times in the series style, names steps and gives calendar steps a nominal length', () => {
    // Prepare
    const ms = utc('2025-08-01T00:00Z');
    // Act
    const written = (['YYYY', 'YYYY-Qn', 'YYYY-MM', 'YYYY-MM-DD', 'ISO'] as const).map((style) =>
      formatTime(ms, style),
    );
    // Assess
    expect(written).toEqual(['2025', '2025-Q3', '2025-08', '2025-08-01', '2025-08-01 00:00Z']);
    expect(describeStep({ unit: 'hour', count: 1 })).toBe('1 h');
    expect(describeStep({ unit: 'month', count: 3 })).toBe('3 months');
    expect(nominalStepMs({ unit: 'day', count: 1 })).toBe(86_400_000);
    expect(nominalStepMs({ unit: 'year', count: 1 })).toBe(31_556_952_000);
  });

  it('reads a calendar back from a model file and names a bad field', () => {
    // Prepare
    const good = { unit: 'month', count: 1, style: 'YYYY-MM' };
    const bad = { unit: 'fortnight', count: 1, style: 'YYYY-MM' };
    // Act
    const read = readSeriesCalendar(good, 'training.calendar');
    const act = () => readSeriesCalendar(bad, 'training.calendar');
    // Assess
    expect(read).toEqual(good);
    expect(act).toThrow(/training.calendar.unit must be one of .*got "fortnight"/);
  });
});
