import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestEventSource } from '../../lib/config/platform-definition.js';
import { onFailureRetention, StreamConsumer } from '../../lib/constructs/stream-consumer.js';

const SIX_HOURS = Duration.hours(6);

/** A stack with a stream of the given retention and a consumer built with inline code (no bundling). */
function consumerTemplate(retentionHours: number): Template {
  const stack = new Stack(new App(), 'TestStack');
  const stream = new Stream(stack, 'Stream', { retentionPeriod: Duration.hours(retentionHours) });
  const consumer = new LambdaFunction(stack, 'Consumer', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({})'),
  });
  new StreamConsumer(stack, 'Ingest', {
    stream,
    consumer,
    definition: ingestEventSource,
    streamRetention: Duration.hours(retentionHours),
  });
  return Template.fromStack(stack);
}

describe('onFailureRetention', () => {
  it('keeps a pointer only as long as its records can still be in the stream', () => {
    // Act / Assess: records may be up to the maximum record age old when they are given up on
    expect(onFailureRetention(Duration.hours(24), SIX_HOURS).toHours()).toBe(18);
    expect(onFailureRetention(Duration.hours(168), SIX_HOURS).toHours()).toBe(162);
  });

  it('stops at the 14 days SQS allows when the stream keeps records longer', () => {
    // Act / Assess
    expect(onFailureRetention(Duration.hours(8760), SIX_HOURS).toSeconds()).toBe(14 * 24 * 3600);
  });

  it('refuses a stream that drops records before the event source gives up on them', () => {
    // Act / Assess
    expect(() => onFailureRetention(Duration.hours(6), SIX_HOURS)).toThrow(
      'The stream keeps records 6 hours but the event source gives up on a record only when it is 6 hours old: expected a stream retention longer than the maximum record age by at least a minute',
    );
  });
});

describe('StreamConsumer', () => {
  const cases = [
    [24, 18 * 3600],
    [168, 162 * 3600],
    [8760, 14 * 24 * 3600],
  ] as const;
  const templates = new Map<number, Template>();

  beforeAll(() => {
    // Act: the first synthesis loads most of aws-cdk-lib, so it runs under the hook's timeout
    for (const [retentionHours] of cases) templates.set(retentionHours, consumerTemplate(retentionHours));
  });

  it.each(cases)('with a %i-hour stream keeps on-failure messages %i seconds', (retentionHours, seconds) => {
    // Assess
    templates
      .get(retentionHours)
      ?.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: seconds });
    expect(templates.has(retentionHours)).toBe(true);
    expect(seconds).toBeLessThanOrEqual(retentionHours * 3600);
  });
});
