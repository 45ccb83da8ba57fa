import { describe, expect, it } from 'vitest';
import { eventPatternProblems, matchesEventPattern } from '../../../../core/events/event-pattern.js';
import { recordMatches } from '../../../../core/streaming/event-filter.js';

/** An S3 "Object Created" event as EventBridge delivers it (trimmed to what patterns read). */
const objectCreated = (key: string, size = 10) => ({
  source: 'aws.s3',
  'detail-type': 'Object Created',
  resources: ['arn:aws:s3:::data-bucket'],
  detail: { bucket: { name: 'data-bucket' }, object: { key, size }, reason: 'PutObject' },
});

describe('matchesEventPattern (EventBridge pattern semantics)', () => {
  it('matches exact values, nested fields, and any element of an array in the event', () => {
    // Prepare
    const pattern = { source: ['aws.s3'], detail: { bucket: { name: ['data-bucket', 'other'] } } };
    const onResources = { resources: ['arn:aws:s3:::data-bucket'] };

    // Act / Assess
    expect(matchesEventPattern(pattern, objectCreated('a'))).toBe(true);
    expect(matchesEventPattern({ ...pattern, source: ['aws.ec2'] }, objectCreated('a'))).toBe(false);
    expect(matchesEventPattern(onResources, objectCreated('a'))).toBe(true);
    expect(matchesEventPattern({ detail: { missing: { deeper: ['x'] } } }, objectCreated('a'))).toBe(false);
  });

  it('tells numbers from strings, and matches null only to null', () => {
    // Act / Assess
    expect(matchesEventPattern({ detail: { object: { size: [10] } } }, objectCreated('a'))).toBe(true);
    expect(matchesEventPattern({ detail: { object: { size: ['10'] } } }, objectCreated('a'))).toBe(false);
    expect(matchesEventPattern({ a: [null] }, { a: null })).toBe(true);
    expect(matchesEventPattern({ a: [null] }, {})).toBe(false);
  });

  it('matches prefix, suffix, equals-ignore-case and wildcard on strings only', () => {
    // Prepare
    const key = (matcher: unknown) => ({ detail: { object: { key: [matcher] } } }) as never;
    const event = objectCreated('predictions/churn/day=2024-05-01/part-0.parquet');

    // Act / Assess
    expect(matchesEventPattern(key({ prefix: 'predictions/churn/' }), event)).toBe(true);
    expect(matchesEventPattern(key({ prefix: 'predictions/water/' }), event)).toBe(false);
    expect(matchesEventPattern(key({ suffix: '.parquet' }), event)).toBe(true);
    expect(matchesEventPattern(key({ suffix: '.json' }), event)).toBe(false);
    expect(
      matchesEventPattern(
        key({ 'equals-ignore-case': 'PREDICTIONS/churn/day=2024-05-01/PART-0.parquet' }),
        event,
      ),
    ).toBe(true);
    expect(matchesEventPattern(key({ wildcard: 'predictions/*/day=*/*.parquet' }), event)).toBe(true);
    expect(matchesEventPattern(key({ wildcard: 'predictions/*/day=*/*.json' }), event)).toBe(false);
    expect(matchesEventPattern({ detail: { object: { size: [{ prefix: '1' }] } } }, event)).toBe(false);
  });

  it('matches anything-but a value, a list, or a prefix, and never a missing field', () => {
    // Prepare
    const reason = (operand: unknown) => ({ detail: { reason: [{ 'anything-but': operand }] } }) as never;
    const event = objectCreated('a');

    // Act / Assess
    expect(matchesEventPattern(reason('CopyObject'), event)).toBe(true);
    expect(matchesEventPattern(reason(['CopyObject', 'PutObject']), event)).toBe(false);
    expect(matchesEventPattern(reason({ prefix: 'Put' }), event)).toBe(false);
    expect(matchesEventPattern(reason({ prefix: 'Copy' }), event)).toBe(true);
    expect(matchesEventPattern({ detail: { absent: [{ 'anything-but': 'x' }] } }, event)).toBe(false);
  });

  it('matches exists on leaves: present, absent, and not on an object', () => {
    // Prepare
    const event = objectCreated('a');

    // Act / Assess
    expect(matchesEventPattern({ detail: { reason: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { absent: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { reason: [{ exists: false }] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { bucket: [{ exists: true }] } }, event)).toBe(false);
  });

  it('matches numeric ranges, on numbers only', () => {
    // Prepare
    const level = (value: unknown) => ({ detail: { level: value } });
    const range = { detail: { level: [{ numeric: ['>', 0.5, '<=', 1] }] } };

    // Act / Assess
    expect(matchesEventPattern(range, level(0.75))).toBe(true);
    expect(matchesEventPattern(range, level(1))).toBe(true);
    expect(matchesEventPattern(range, level(0.5))).toBe(false);
    expect(matchesEventPattern(range, level(1.5))).toBe(false);
    expect(matchesEventPattern(range, level('0.75'))).toBe(false);
    expect(matchesEventPattern({ detail: { level: [{ numeric: ['=', 3] }] } }, level(3))).toBe(true);
  });

  it("is the matcher of the stream consumers' Lambda event filter too", () => {
    // Prepare
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const pattern = { data: { pipeline: ['online'] } };

    // Act / Assess
    expect(recordMatches(pattern, bytes({ pipeline: 'online', id: 1 }))).toBe(true);
    expect(recordMatches(pattern, bytes({ pipeline: 'water' }))).toBe(false);
    expect(recordMatches(pattern, new TextEncoder().encode('not json'))).toBe(false);
    expect(recordMatches(pattern, bytes('a string'))).toBe(false);
  });
});

describe('eventPatternProblems', () => {
  it('accepts every operator the matcher implements', () => {
    // Act
    const problems = eventPatternProblems({
      source: ['smlp.churn', 'aws.s3'],
      detail: {
        a: [{ prefix: 'x' }, { suffix: 'y' }, { 'equals-ignore-case': 'z' }, { wildcard: 'a*' }],
        b: [{ exists: false }, { numeric: ['>=', 0, '<', 5] }, null, true, 3],
        c: [{ 'anything-but': ['p', 'q'] }, { 'anything-but': { prefix: 'tmp/' } }],
      },
    });

    // Assess
    expect(problems).toEqual([]);
  });

  it('names each part it could not match the way EventBridge does', () => {
    // Act
    const problems = eventPatternProblems({
      source: 'aws.s3',
      detail: {
        $or: [{ a: ['x'] }],
        b: [],
        c: [{ cidr: '10.0.0.0/24' }],
        d: [{ numeric: ['>', 'five'] }],
        e: [{ prefix: 'x', suffix: 'y' }],
      },
    });

    // Assess
    expect(problems).toEqual([
      'source: expected a list of values or a nested object, got "aws.s3"',
      'detail.$or: "$or" is not supported (the local bus could not match it)',
      'detail.b: an empty list matches nothing',
      expect.stringMatching(/^detail\.c: \{"cidr":"10.0.0.0\/24"\} is not supported; use one of prefix, /),
      'detail.d: "numeric" expects pairs of an operator (<, <=, =, >, >=) and a number, got [">","five"]',
      expect.stringMatching(/^detail\.e: .* is not supported/),
    ]);
    expect(eventPatternProblems({})).toEqual(['pattern: expected an object with at least one field']);
  });
});
