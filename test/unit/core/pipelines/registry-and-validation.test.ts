import { describe, expect, it } from 'vitest';
import type { RecordSpec } from '../../../../core/pipelines/record-spec.js';
import { RecordSpecs } from '../../../../core/pipelines/record-specs.js';
import {
  checkFieldSet,
  checkFiniteNumber,
  describeType,
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

describe('validation helpers', () => {
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
