import { describe, expect, it } from 'vitest';
import { generatedDatasetFor } from '../../../../core/pipelines/generated-datasets.js';
import { recordSpecFor } from '../../../../core/pipelines/registry.js';
import { parseProducerInput } from '../../../../lambdas/producer/input.js';

describe('generated data sets per pipeline (the producer serves every pipeline unchanged)', () => {
  it('reads the sensors generator options with defaults and streams rows its record spec accepts', () => {
    // Act
    const input = parseProducerInput({ pipeline: 'sensors', source: { days: 2, sensors: 3 } });
    const rows =
      input.source.kind === 'generated' ? generatedDatasetFor('sensors').generate(input.source.options) : [];
    // Assess
    expect(input.source).toMatchObject({
      kind: 'generated',
      options: { days: 2, sensors: 3, readingsPerHour: 6 },
    });
    const spec = recordSpecFor('sensors');
    const valid = rows.filter((row) => spec?.validate(row, Date.UTC(2030, 0, 1)).ok);
    expect(rows.length).toBeGreaterThan(500);
    expect(valid.length / rows.length).toBeGreaterThan(0.99);
  });

  it('names the field when a generator option is out of range', () => {
    // Act / Assess
    expect(() => parseProducerInput({ pipeline: 'sensors', source: { sensors: 0 } })).toThrow(
      'sensors must be a whole number from 1 to 1000, got 0',
    );
  });

  it('says how to stream a pipeline that has no generated data set', () => {
    // Act / Assess
    expect(() => parseProducerInput({ pipeline: 'sewage' })).toThrow(
      /no generated data set for pipeline "sewage"; pass source: \{ "uri"/,
    );
  });
});
