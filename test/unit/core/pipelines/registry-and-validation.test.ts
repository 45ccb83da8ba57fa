import { describe, expect, it } from 'vitest';
import type { RecordSpec } from '../../../../core/pipelines/record-spec.js';
import { RecordSpecs } from '../../../../core/pipelines/record-specs.js';
import {
  checkFieldSet,
  checkFiniteNumber,
  checkIdentifier,
  describeType,
  isCalendarDate,
  MAX_FUTURE_SKEW_MS,
  parseTimestamp,
} from '../../../../core/pipelines/validation-helpers.js';
import { systems } from '../../../../systems/index.js';
import { waterRecordSpec } from '../../../../systems/water/records/reading.js';
import { waterReading } from '../../../support/factories.js';

const ARRIVAL_MS = Date.UTC(2024, 2, 1, 13);

describe('record specs of the systems', () => {
  const specs = new RecordSpecs(systems.map((system) => system.recordSpec));

  it('knows the water pipeline', () => {
    // Prepare / Act / Assess
    expect(specs.names()).toContain('water');
    expect(specs.find('water')).toBe(waterRecordSpec);
    expect(specs.require('water')).toBe(waterRecordSpec);
  });

  it('returns nothing for an unknown pipeline, and require names the known ones', () => {
    // Prepare / Act / Assess
    expect(specs.find('sewage')).toBeUndefined();
    expect(() => specs.require('sewage')).toThrow(
      `Unknown pipeline "sewage"; known pipelines: ${specs.names().join(', ')}`,
    );
  });

  it('refuses two specs with the same pipeline name', () => {
    // Prepare / Act / Assess
    expect(
      () => new RecordSpecs([waterRecordSpec as RecordSpec<unknown>, waterRecordSpec as RecordSpec<unknown>]),
    ).toThrow('two record specs are named "water"');
  });
});

describe('water record spec', () => {
  it('derives event time, natural key and partition key from a valid reading', () => {
    // Prepare
    const verdict = waterRecordSpec.validate(
      waterReading({ timestamp: '2024-03-01T13:00+01:00' }),
      ARRIVAL_MS,
    );
    if (!verdict.ok) throw new Error(verdict.reason);

    // Act / Assess
    expect(waterRecordSpec.eventTimeMs(verdict.value)).toBe(Date.UTC(2024, 2, 1, 12));
    expect(waterRecordSpec.naturalKey(verdict.value)).toBe('zone-a-meter-01|2024-03-01T12:00:00.000Z');
    expect(waterRecordSpec.partitionKey(verdict.value)).toBe('zone-a-meter-01');
  });

  it('reports the first problem of a reading with several, naming its field', () => {
    // Prepare / Act
    const verdict = waterRecordSpec.validate(waterReading({ zone: 3, consumption: 'NaN' }), ARRIVAL_MS);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'zone must be a string, got number 3' });
  });
});

describe('water record spec: identifiers and the hour', () => {
  it('refuses a zone with control characters, naming the first one and where it is', () => {
    // Prepare / Act
    const verdict = waterRecordSpec.validate(waterReading({ zone: 'zone\u0000\u0007-1' }), ARRIVAL_MS);

    // Assess
    expect(verdict).toEqual({
      ok: false,
      reason:
        'zone "zone\\u0000\\u0007-1" contains the control character \\u0000 at index 4; identifiers must be printable text',
    });
  });

  it('refuses a meterId with a DEL or a C1 control character', () => {
    // Prepare / Act
    const del = waterRecordSpec.validate(waterReading({ meterId: 'meter\u007f' }), ARRIVAL_MS);
    const c1 = waterRecordSpec.validate(waterReading({ meterId: '\u0085meter' }), ARRIVAL_MS);

    // Assess
    expect(del).toMatchObject({ ok: false, reason: expect.stringContaining('\\u007f at index 5') });
    expect(c1).toMatchObject({ ok: false, reason: expect.stringContaining('\\u0085 at index 0') });
  });

  it.each([
    ['30 minutes past', '2024-03-01T12:30:00Z', '2024-03-01T12:00:00Z'],
    ['one second past', '2024-03-01T12:00:01Z', '2024-03-01T12:00:00Z'],
    ['one millisecond past', '2024-03-01T12:00:00.001Z', '2024-03-01T12:00:00Z'],
    ['on the hour locally but not in UTC', '2024-03-01T17:00:00+05:30', '2024-03-01T11:00:00Z'],
  ])('refuses a timestamp %s, naming it and the hour it falls in', (_name, timestamp, hourStart) => {
    // Prepare / Act
    const verdict = waterRecordSpec.validate(waterReading({ timestamp }), ARRIVAL_MS);

    // Assess
    expect(verdict).toEqual({
      ok: false,
      reason: `timestamp ${timestamp} is not the start of an hour (UTC); a water reading covers one hour and is stamped with its start, e.g. ${hourStart}`,
    });
  });

  it('accepts a timestamp on the hour whatever its zone offset', () => {
    // Prepare / Act
    const verdict = waterRecordSpec.validate(
      waterReading({ timestamp: '2024-03-01T17:30:00+05:30' }),
      ARRIVAL_MS,
    );

    // Assess
    expect(verdict).toMatchObject({ ok: true, value: { timestamp: '2024-03-01T12:00:00.000Z' } });
  });
});

describe('validation helpers', () => {
  it('checkIdentifier accepts printable text, including non-ASCII letters', () => {
    // Prepare / Act / Assess
    expect(checkIdentifier({ id: 'zone-a-meter-01' }, 'id')).toBeUndefined();
    expect(checkIdentifier({ id: 'zone-é-メーター' }, 'id')).toBeUndefined();
    expect(checkIdentifier({ id: '\u00a0nbsp' }, 'id')).toBeUndefined();
  });

  it.each([
    ['NUL', '\u0000', '\\u0000'],
    ['a tab', '\t', '\\u0009'],
    ['a newline', '\n', '\\u000a'],
    ['US (last C0)', '\u001f', '\\u001f'],
    ['DEL', '\u007f', '\\u007f'],
    ['the first C1', '\u0080', '\\u0080'],
    ['the last C1', '\u009f', '\\u009f'],
  ])('checkIdentifier refuses %s and shows it escaped', (_name, char, escaped) => {
    // Prepare / Act
    const reason = checkIdentifier({ id: `ab${char}c` }, 'id');

    // Assess
    expect(reason).toBe(
      `id "ab${escaped}c" contains the control character ${escaped} at index 2; identifiers must be printable text`,
    );
  });

  it('checkIdentifier keeps the type and length rules, and shortens a long value it quotes', () => {
    // Prepare / Act / Assess
    expect(checkIdentifier({ id: 7 }, 'id')).toBe('id must be a string, got number 7');
    expect(checkIdentifier({ id: '' }, 'id')).toBe('id must be 1-128 characters, got 0');
    expect(checkIdentifier({ id: 'x'.repeat(129) }, 'id')).toBe('id must be 1-128 characters, got 129');
    expect(checkIdentifier({ id: `${'x'.repeat(100)}\u0000` }, 'id')).toBe(
      `id "${'x'.repeat(40)}…" contains the control character \\u0000 at index 100; identifiers must be printable text`,
    );
  });

  it('isCalendarDate knows month lengths and leap years', () => {
    // Prepare / Act / Assess
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-04-31')).toBe(false);
    expect(isCalendarDate('2024-00-10')).toBe(false);
    expect(isCalendarDate('yesterday')).toBe(false);
  });

  it('names every missing field', () => {
    // Prepare / Act / Assess
    expect(checkFieldSet({ a: 1 }, ['a', 'b', 'c'])).toBe('missing field(s): b, c');
  });

  it('allows optional fields and names unexpected ones', () => {
    // Prepare / Act / Assess
    expect(checkFieldSet({ a: 1, o: 2 }, ['a'], ['o'])).toBeUndefined();
    expect(checkFieldSet({ a: 1, x: 2 }, ['a'], ['o'])).toBe('unexpected field(s): x (allowed: a, o)');
  });

  it('checkFiniteNumber applies min, nullability and names NaN spellings', () => {
    // Prepare / Act / Assess
    expect(checkFiniteNumber({ v: 5 }, 'v', { min: 0 })).toBeUndefined();
    expect(checkFiniteNumber({ v: -1 }, 'v', { min: 0 })).toBe('v must be >= 0, got -1');
    expect(checkFiniteNumber({ v: null }, 'v', { nullable: true })).toBeUndefined();
    expect(checkFiniteNumber({ v: null }, 'v')).toBe('v must be a number, got null');
    expect(checkFiniteNumber({ v: Number.POSITIVE_INFINITY }, 'v')).toBe(
      'v must be a finite number, got Infinity',
    );
    expect(checkFiniteNumber({ v: ' +Inf ' }, 'v')).toBe('v must be a finite number, got " +Inf "');
    expect(checkFiniteNumber({ v: 'nan' }, 'v')).toBe('v must be a finite number, got "nan"');
  });

  it('describeType names the type and shortens long strings', () => {
    // Prepare / Act / Assess
    expect(describeType(undefined)).toBe('undefined');
    expect(describeType([1])).toBe('an array');
    expect(describeType({})).toBe('object');
    expect(describeType(true)).toBe('boolean true');
    expect(describeType('x'.repeat(50))).toBe(`the string "${'x'.repeat(40)}…"`);
  });

  it('parseTimestamp accepts exactly 24 h of skew and rejects a millisecond more', () => {
    // Prepare
    const limit = new Date(ARRIVAL_MS + MAX_FUTURE_SKEW_MS).toISOString();
    const beyond = new Date(ARRIVAL_MS + MAX_FUTURE_SKEW_MS + 1).toISOString();

    // Act / Assess
    expect(parseTimestamp(limit, 'timestamp', ARRIVAL_MS)).toEqual({ ms: ARRIVAL_MS + MAX_FUTURE_SKEW_MS });
    expect(parseTimestamp(beyond, 'timestamp', ARRIVAL_MS)).toEqual({
      reason: `timestamp ${beyond} is more than 24 h after the record reached the stream (2024-03-01T13:00:00.000Z)`,
    });
  });

  it('parseTimestamp accepts 2000-01-01T00:00Z and shortens long unparseable values', () => {
    // Prepare / Act / Assess
    expect(parseTimestamp('2000-01-01T00:00:00Z', 'at', ARRIVAL_MS)).toEqual({ ms: Date.UTC(2000, 0, 1) });
    expect(parseTimestamp('y'.repeat(60), 'at', ARRIVAL_MS)).toEqual({
      reason: `at "${'y'.repeat(40)}…" is not ISO-8601 with a zone (e.g. 2024-03-01T13:00:00Z)`,
    });
  });
});
