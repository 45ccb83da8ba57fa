import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../core/data/input-fields.js';
import { defaultWaterGeneratorOptions } from '../../../../core/water/generator.js';
import { parseProducerInput } from '../../../../lambdas/producer/input.js';

const NOW = new Date('2024-03-01T13:05:00Z');
const now = () => NOW;

/** The InputError thrown for `event` (fails the test if none is thrown). */
function inputError(event: unknown): InputError {
  try {
    parseProducerInput(event, now);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected parseProducerInput to throw');
}

describe('parseProducerInput defaults', () => {
  it('gives the documented defaults for {}', () => {
    // Prepare / Act
    const input = parseProducerInput({}, now);

    // Assess
    expect(input).toEqual({
      pipeline: 'water',
      source: { kind: 'generated', options: defaultWaterGeneratorOptions },
      initialShare: 0.2,
      batchSize: 200,
      numBatches: 3,
      intervalSeconds: 0,
      resetCursor: false,
      scheduledTime: NOW,
    });
  });

  it('treats a missing event (undefined or null) like {}', () => {
    // Prepare / Act / Assess
    expect(parseProducerInput(undefined, now)).toEqual(parseProducerInput({}, now));
    expect(parseProducerInput(null, now)).toEqual(parseProducerInput({}, now));
  });

  it('unwraps the { input, execution } shape a state machine sends', () => {
    // Prepare
    const event = {
      input: { batchSize: 50, numBatches: 2, scheduledTime: '2024-03-01T12:00:00Z' },
      execution: { id: 'arn:aws:states:us-east-1:123456789012:execution:producer:abc' },
    };

    // Act
    const input = parseProducerInput(event, now);

    // Assess
    expect(input.batchSize).toBe(50);
    expect(input.numBatches).toBe(2);
    expect(input.scheduledTime).toEqual(new Date('2024-03-01T12:00:00Z'));
  });

  it('treats the literal scheduler placeholder as an absent scheduledTime', () => {
    // Prepare / Act
    const input = parseProducerInput({ scheduledTime: '<aws.scheduler.scheduled-time>' }, now);

    // Assess
    expect(input.scheduledTime).toEqual(NOW);
  });

  it('reads generated-source options, converting days to hours', () => {
    // Prepare / Act
    const input = parseProducerInput({ source: { kind: 'generated', seed: 9, days: 10, zones: 3 } }, now);

    // Assess
    expect(input.source).toEqual({
      kind: 'generated',
      options: { ...defaultWaterGeneratorOptions, seed: 9, hours: 240, zones: 3 },
    });
  });

  it('takes a source with an s3:// uri as a CSV source', () => {
    // Prepare / Act
    const input = parseProducerInput({ source: { uri: 's3://bucket/data/water.csv' } }, now);

    // Assess
    expect(input.source).toEqual({ kind: 'csv', uri: 's3://bucket/data/water.csv' });
  });
});

describe('parseProducerInput errors name the field and what was wrong', () => {
  it('rejects batchSize 0', () => {
    // Prepare / Act / Assess
    expect(inputError({ batchSize: 0 }).message).toBe(
      'batchSize must be a whole number from 1 to 10000, got 0',
    );
  });

  it('rejects batchSize given as a string', () => {
    // Prepare / Act / Assess
    expect(inputError({ batchSize: '10' }).message).toBe(
      'batchSize must be a whole number from 1 to 10000, got "10"',
    );
  });

  it('rejects batchSize 20000', () => {
    // Prepare / Act / Assess
    expect(inputError({ batchSize: 20_000 }).message).toBe(
      'batchSize must be a whole number from 1 to 10000, got 20000',
    );
  });

  it('rejects pacing that does not fit in one Lambda run, saying how to fix it', () => {
    // Prepare / Act
    const error = inputError({ numBatches: 10, intervalSeconds: 100 });

    // Assess
    expect(error.message).toMatch(
      /^\(numBatches − 1\) × intervalSeconds = \(10 − 1\) × 100 s does not fit in one Lambda run/,
    );
    expect(error.message).toMatch(/send fewer batches per run or schedule runs more often/);
  });

  it('accepts pacing that just fits: 8 batches wait 7 × 120 s = 840 s', () => {
    // Prepare / Act
    const input = parseProducerInput({ numBatches: 8, intervalSeconds: 120 }, now);

    // Assess
    expect(input).toMatchObject({ numBatches: 8, intervalSeconds: 120 });
    expect(inputError({ numBatches: 8, intervalSeconds: 121 }).message).toMatch(
      /does not fit in one Lambda run/,
    );
  });

  it('rejects an unknown source kind', () => {
    // Prepare / Act / Assess
    expect(inputError({ source: { kind: 'kafka' } }).message).toBe(
      'source.kind must be "generated" or "csv", got "kafka"',
    );
  });

  it('rejects a csv source without an s3:// uri', () => {
    // Prepare / Act
    const local = inputError({ source: { kind: 'csv', uri: '/tmp/water.csv' } });
    const missing = inputError({ source: { kind: 'csv' } });

    // Assess
    expect(local.message).toMatch(/^uri must be a string matching .*, got "\/tmp\/water.csv"$/);
    expect(missing.message).toMatch(/^uri must be a string matching .*, got ""$/);
  });

  it('rejects a source that is not an object', () => {
    // Prepare / Act / Assess
    expect(inputError({ source: 's3://bucket/x.csv' }).message).toBe(
      'source must be a JSON object, got "s3://bucket/x.csv"',
    );
  });

  it('rejects an input that is not an object', () => {
    // Prepare / Act / Assess
    expect(inputError([1]).message).toBe('producer input must be a JSON object, got [1]');
  });

  it('rejects a scheduledTime that is not a time', () => {
    // Prepare / Act / Assess
    expect(inputError({ scheduledTime: 'tomorrow' }).message).toBe(
      'scheduledTime must be an ISO-8601 time, got "tomorrow"',
    );
  });

  it('rejects an initialShare of 1 (nothing would be streamed)', () => {
    // Prepare / Act / Assess
    expect(inputError({ initialShare: 1 }).message).toBe(
      'initialShare must be a number from 0 to 0.99, got 1',
    );
  });

  it('rejects a pipeline name unsafe in a path', () => {
    // Prepare / Act / Assess
    expect(inputError({ pipeline: '../water' }).message).toMatch(
      /^pipeline must be a string matching .*, got "\.\.\/water"$/,
    );
  });
});
