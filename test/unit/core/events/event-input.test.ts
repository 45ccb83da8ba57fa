import { describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '../../../../core/events/event-envelope.js';
import {
  ARTIFACTS_BUCKET,
  DATA_BUCKET,
  eventInput,
  eventInputProblems,
  withBucketNames,
} from '../../../../core/events/event-input.js';
import { ruleEnabled } from '../../../../core/events/rule-flag.js';

const origin = {
  id: 'e-1',
  account: '000000000000',
  region: 'us-east-1',
  time: new Date('2024-05-01T12:00:00.250Z'),
};

describe("a rule's execution input", () => {
  it("takes each path from the event, keeps constants, gives null for a path the event lacks, and adds the event's id", () => {
    // Prepare
    const event = { id: 'e-1', 'detail-type': 'Object Created', detail: { object: { key: 'k', size: 3 } } };

    // Act
    const input = eventInput(
      {
        key: '$.detail.object.key',
        size: '$.detail.object.size',
        kind: '$.detail-type',
        trigger: 'object',
        gone: '$.detail.nothing.here',
      },
      event,
    );

    // Assess
    expect(input).toEqual({
      key: 'k',
      size: 3,
      kind: 'Object Created',
      trigger: 'object',
      gone: null,
      id: 'e-1',
    });
  });

  it('refuses paths the input transformer could not read', () => {
    // Act / Assess
    expect(eventInputProblems({ a: '$.detail.x', b: 'constant', c: '$' })).toEqual([]);
    expect(eventInputProblems({ a: '$.detail[0]', b: '$detail' })).toEqual([
      'input "a": "$.detail[0]" is not a path of the form $.detail.object.key',
      'input "b": "$detail" is not a path of the form $.detail.object.key',
    ]);
  });

  it('puts the bucket names into a pattern', () => {
    // Act
    const pattern = withBucketNames(
      { detail: { bucket: { name: [DATA_BUCKET] } }, resources: [`arn:aws:s3:::${ARTIFACTS_BUCKET}`] },
      { data: 'd-1', artifacts: 'a-1' },
    );

    // Assess
    expect(pattern).toEqual({ detail: { bucket: { name: ['d-1'] } }, resources: ['arn:aws:s3:::a-1'] });
  });
});

describe('objectCreatedEvent', () => {
  it("turns an S3 notification record into EventBridge's Object Created event, with the key as written", () => {
    // Prepare
    const record = {
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'data' },
        object: { key: 'landing/relay/day=2024-05-01/a b.json', size: 5, eTag: 'abc' },
      },
    };

    // Act
    const event = objectCreatedEvent(record, origin);

    // Assess
    expect(event).toMatchObject({
      version: '0',
      id: 'e-1',
      source: 'aws.s3',
      'detail-type': 'Object Created',
      time: '2024-05-01T12:00:00Z',
      region: 'us-east-1',
      account: '000000000000',
      resources: ['arn:aws:s3:::data'],
      detail: {
        bucket: { name: 'data' },
        object: { key: 'landing/relay/day=2024-05-01/a b.json', size: 5, etag: 'abc' },
        reason: 'PutObject',
      },
    });
    expect(objectCreatedEvent({ ...record, eventName: 'ObjectCreated:Copy' }, origin)?.detail).toMatchObject({
      reason: 'CopyObject',
    });
    expect(objectCreatedEvent({ ...record, eventName: 'ObjectRemoved:Delete' }, origin)).toBeUndefined();
  });
});

describe('ruleEnabled', () => {
  it('turns a rule off only when its flag is false, and refuses a flag that is neither', () => {
    // Prepare
    const rule = { name: 'x-rule', disableFlag: 'xRule' };
    const context = (value: unknown) => (key: string) => (key === 'xRule' ? value : undefined);

    // Act / Assess
    expect(ruleEnabled(rule, context(undefined))).toBe(true);
    expect(ruleEnabled(rule, context('true'))).toBe(true);
    expect(ruleEnabled(rule, context(false))).toBe(false);
    expect(ruleEnabled(rule, context('false'))).toBe(false);
    expect(ruleEnabled({ name: 'always' }, context('false'))).toBe(true);
    expect(() => ruleEnabled(rule, context('no'))).toThrow(
      'Context xRule (turns event rule "x-rule" off) must be true or false, got "no"',
    );
  });
});
