import { describe, expect, it } from 'vitest';
import { SCHEDULED_TIME } from '../../../../lib/config/system-definition.js';
import { renderScheduleInput } from '../../../../local/local-scheduler.js';
import { parseScheduleExpression, type Schedule } from '../../../../local/schedule-expression.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** The next `count` fire times strictly after `afterIso`. */
function fires(schedule: Schedule, afterIso: string, count: number): string[] {
  const times: string[] = [];
  let t = at(afterIso);
  for (let i = 0; i < count; i++) {
    t = schedule.next(t);
    times.push(iso(t));
  }
  return times;
}

describe('rate expressions', () => {
  it('rate(1 hour) fires on the next whole hours, strictly after the given time', () => {
    // Prepare
    const schedule = parseScheduleExpression('rate(1 hour)');

    // Act
    const times = fires(schedule, '2024-03-01T13:20:00Z', 3);

    // Assess
    expect(times).toEqual([
      '2024-03-01T14:00:00.000Z',
      '2024-03-01T15:00:00.000Z',
      '2024-03-01T16:00:00.000Z',
    ]);
    expect(iso(schedule.next(at('2024-03-01T14:00:00Z')))).toBe('2024-03-01T15:00:00.000Z');
  });

  it('rate(5 minutes) fires every five minutes', () => {
    // Prepare
    const schedule = parseScheduleExpression('rate(5 minutes)');

    // Act
    const times = fires(schedule, '2024-03-01T13:02:30Z', 3);

    // Assess
    expect(times).toEqual([
      '2024-03-01T13:05:00.000Z',
      '2024-03-01T13:10:00.000Z',
      '2024-03-01T13:15:00.000Z',
    ]);
  });

  it('rate(2 days) fires every other day', () => {
    // Prepare
    const schedule = parseScheduleExpression('rate(2 days)');

    // Act
    const [first, second] = fires(schedule, '2024-03-01T13:00:00Z', 2);

    // Assess
    expect(at(second ?? '') - at(first ?? '')).toBe(2 * 86_400_000);
  });

  it('rejects "rate(1 hours)", saying to write "1 hour"', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('rate(1 hours)')).toThrow(
      'rate(1 hours): use "1 hour" or "N hours"',
    );
  });

  it('rejects "rate(5 minute)", saying to write "N minutes"', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('rate(5 minute)')).toThrow(/use "1 minute" or "N minutes"/);
  });

  it('rejects rate(0 minutes)', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow(
      'rate(0 minutes): the rate must be at least 1',
    );
  });

  it('rejects "every hour", naming the forms it accepts', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('every hour')).toThrow(
      '"every hour" is not a schedule expression; expected rate(N unit) or cron(m h dom mon dow year)',
    );
  });
});

describe('cron expressions (UTC)', () => {
  it('cron(0 2 * * ? *) fires daily at 02:00 UTC', () => {
    // Prepare
    const schedule = parseScheduleExpression('cron(0 2 * * ? *)');

    // Act
    const times = fires(schedule, '2024-02-28T13:00:00Z', 3);

    // Assess
    expect(times).toEqual([
      '2024-02-29T02:00:00.000Z',
      '2024-03-01T02:00:00.000Z',
      '2024-03-02T02:00:00.000Z',
    ]);
    expect(iso(schedule.next(at('2024-03-01T01:59:00Z')))).toBe('2024-03-01T02:00:00.000Z');
    expect(iso(schedule.next(at('2024-03-01T02:00:00Z')))).toBe('2024-03-02T02:00:00.000Z');
  });

  it('cron(30 6 ? * MON-FRI *) fires at 06:30 on weekdays and skips weekends', () => {
    // Prepare: 2024-03-01 is a Friday
    const schedule = parseScheduleExpression('cron(30 6 ? * MON-FRI *)');

    // Act
    const times = fires(schedule, '2024-03-01T07:00:00Z', 6);

    // Assess
    expect(times).toEqual([
      '2024-03-04T06:30:00.000Z',
      '2024-03-05T06:30:00.000Z',
      '2024-03-06T06:30:00.000Z',
      '2024-03-07T06:30:00.000Z',
      '2024-03-08T06:30:00.000Z',
      '2024-03-11T06:30:00.000Z',
    ]);
  });

  it('supports lists and steps', () => {
    // Prepare
    const schedule = parseScheduleExpression('cron(0/15 8,20 * * ? *)');

    // Act
    const times = fires(schedule, '2024-03-01T08:40:00Z', 3);

    // Assess
    expect(times).toEqual([
      '2024-03-01T08:45:00.000Z',
      '2024-03-01T20:00:00.000Z',
      '2024-03-01T20:15:00.000Z',
    ]);
  });

  it('rejects the unsupported "L" with a clear message', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('cron(0 0 L * ? *)')).toThrow(
      'cron(0 0 L * ? *): "L" (L, W, #) is not supported by the local scheduler',
    );
  });

  it('rejects a cron expression without six fields', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('cron(0 2 * * ?)')).toThrow(
      'cron(0 2 * * ?): cron needs 6 fields (minutes hours day-of-month month day-of-week year)',
    );
  });

  it('rejects out-of-range fields', () => {
    // Prepare / Act / Assess
    expect(() => parseScheduleExpression('cron(0 24 * * ? *)')).toThrow(
      'cron(0 24 * * ? *): "24" is outside 0-23',
    );
  });
});

describe('renderScheduleInput', () => {
  it('replaces the scheduled-time placeholder anywhere in nested input, leaving the original as it was', () => {
    // Prepare
    const input = {
      pipeline: 'water',
      scheduledTime: SCHEDULED_TIME,
      nested: { times: [SCHEDULED_TIME, 'other'], note: `at ${SCHEDULED_TIME}` },
      count: 3,
    };
    const original = structuredClone(input);

    // Act
    const rendered = renderScheduleInput(input, new Date('2024-03-01T02:00:00Z'));

    // Assess
    expect(rendered).toEqual({
      pipeline: 'water',
      scheduledTime: '2024-03-01T02:00:00.000Z',
      nested: { times: ['2024-03-01T02:00:00.000Z', 'other'], note: 'at 2024-03-01T02:00:00.000Z' },
      count: 3,
    });
    expect(input).toEqual(original);
  });
});
