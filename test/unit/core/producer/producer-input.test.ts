import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../core/data/input-fields.js';
import { defineStep, stepHandler } from '../../../../lambdas/platform/step.js';
import { parseProducerInput } from '../../../../lambdas/producer/input.js';
import { systems } from '../../../../systems/index.js';
import { defaultWaterGeneratorOptions } from '../../../../systems/water/records/generator.js';

const NOW = new Date('2024-03-01T13:05:00Z');
const now = () => NOW;

/** Reads a console input for the water system (its pipeline is the one field without a default). */
const parseWater = (input: Record<string, unknown>) =>
  parseProducerInput({ pipeline: 'water', ...input }, systems, {}, now);

/**
 * The producer's step (as `createHandler` builds it) with a run that returns what it parsed: the
 * input as the deployed function reads it, from a console start or a state machine's event.
 */
const parsedByHandler = stepHandler({
  steps: {
    produce: defineStep({
      parse: (input, bound) => parseProducerInput(input, systems, bound, now),
      run: async (input) => input,
    }),
  },
});

/** The InputError thrown for the water input `input` (fails the test if none is thrown). */
function inputError(input: Record<string, unknown>): InputError {
  try {
    parseWater(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected parseProducerInput to throw');
}

describe('parseProducerInput defaults', () => {
  it('gives the documented defaults for { pipeline: "water" }', () => {
    // Prepare / Act
    const input = parseWater({});

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

  it("keeps back the system's own initial share: 20% for water, nothing for a system without a first model", () => {
    // Act
    const water = parseWater({});
    const sensors = parseProducerInput({ pipeline: 'sensors' }, systems, {}, now);
    const overridden = parseProducerInput({ pipeline: 'sensors', initialShare: 0.5 }, systems, {}, now);

    // Assess
    expect(water.initialShare).toBe(0.2);
    expect(sensors.initialShare).toBe(0);
    expect(overridden.initialShare).toBe(0.5);
  });

  it('takes the pipeline a state machine binds beside the input, so {} works from a stream schedule', async () => {
    // Prepare
    const event = {
      input: {},
      pipeline: 'water',
      execution: { name: 'water-stream-1', startTime: '2024-03-01T13:00:00Z' },
    };

    // Act
    const bound = parseProducerInput({}, systems, { pipeline: 'water' }, now);
    const fromEvent = await parsedByHandler(event);

    // Assess
    expect(bound).toEqual(parseWater({}));
    expect(fromEvent).toEqual(parseWater({}));
  });

  it('treats a missing console input (undefined or null) like {}', async () => {
    // Prepare
    const missingPipeline =
      'pipeline must name a system ("water", "sensors", "online", "churn", "sales"), got null';

    // Act / Assess
    await expect(parsedByHandler(undefined)).rejects.toThrow(missingPipeline);
    await expect(parsedByHandler(null)).rejects.toThrow(missingPipeline);
    await expect(parsedByHandler({})).rejects.toThrow(missingPipeline);
    await expect(parsedByHandler({ input: null, pipeline: 'water' })).resolves.toEqual(parseWater({}));
  });

  it('unwraps the { input, execution } shape a state machine sends', async () => {
    // Prepare
    const event = {
      input: { batchSize: 50, numBatches: 2, scheduledTime: '2024-03-01T12:00:00Z' },
      pipeline: 'water',
      execution: { name: 'water-stream-abc', startTime: '2024-03-01T12:00:01Z' },
    };

    // Act
    const input = (await parsedByHandler(event)) as ReturnType<typeof parseWater>;

    // Assess
    expect(input.pipeline).toBe('water');
    expect(input.batchSize).toBe(50);
    expect(input.numBatches).toBe(2);
    expect(input.scheduledTime).toEqual(new Date('2024-03-01T12:00:00Z'));
  });

  it('treats the literal scheduler placeholder as an absent scheduledTime', () => {
    // Prepare / Act
    const input = parseWater({ scheduledTime: '<aws.scheduler.scheduled-time>' });

    // Assess
    expect(input.scheduledTime).toEqual(NOW);
  });

  it('reads generated-source options, converting days to hours', () => {
    // Prepare / Act
    const input = parseWater({ source: { kind: 'generated', seed: 9, days: 10, zones: 3 } });

    // Assess
    expect(input.source).toEqual({
      kind: 'generated',
      options: { ...defaultWaterGeneratorOptions, seed: 9, hours: 240, zones: 3 },
    });
  });

  it('takes a source with an s3:// uri as a CSV source', () => {
    // Prepare / Act
    const input = parseWater({ source: { uri: 's3://bucket/uploads/water.csv' } });

    // Assess
    expect(input.source).toEqual({ kind: 'csv', uri: 's3://bucket/uploads/water.csv' });
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
    const input = parseWater({ numBatches: 8, intervalSeconds: 120 });

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

  it('rejects an input that is not an object, from the console or from a state machine', async () => {
    // Prepare / Act / Assess
    await expect(parsedByHandler([1])).rejects.toMatchObject({
      name: 'InputError',
      message: 'step input must be a JSON object, got [1]',
    });
    await expect(parsedByHandler({ input: [1], pipeline: 'water' })).rejects.toMatchObject({
      name: 'InputError',
      message: 'input must be a JSON object, got [1]',
    });
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

  it('rejects a pipeline that names no system (such as one unsafe in a path), naming the systems', () => {
    // Prepare / Act / Assess
    expect(inputError({ pipeline: '../water' }).message).toBe(
      'pipeline must name a system ("water", "sensors", "online", "churn", "sales"), got "../water"',
    );
    expect(inputError({ pipeline: 'sewage' }).message).toBe(
      'pipeline must name a system ("water", "sensors", "online", "churn", "sales"), got "sewage"',
    );
  });

  it('rejects a pipeline other than the one the state machine streams', () => {
    // Prepare / Act / Assess
    expect(() => parseProducerInput({ pipeline: 'sensors' }, systems, { pipeline: 'water' }, now)).toThrow(
      new InputError(
        'this state machine streams "water"; pipeline "sensors" has its own stream state machine',
      ),
    );
  });
});
