import { describe, expect, it } from 'vitest';
import { RecordSpecs } from '../../../../core/pipelines/record-specs.js';
import { parseProducerInput } from '../../../../lambdas/producer/input.js';
import type { SystemDefinition } from '../../../../lib/config/system-definition.js';
import { systems } from '../../../../systems/index.js';
import { sensorsSystem } from '../../../../systems/sensors/system.js';
import { waterSystem } from '../../../../systems/water/system.js';

describe('generated data sets per system (the producer serves every system unchanged)', () => {
  it('reads the sensors generator options with defaults and streams rows its record spec accepts', () => {
    // Act
    const input = parseProducerInput({ pipeline: 'sensors', source: { days: 2, sensors: 3 } }, systems);
    const rows =
      input.source.kind === 'generated' ? (sensorsSystem.dataset?.generate(input.source.options) ?? []) : [];
    // Assess
    expect(input.source).toMatchObject({
      kind: 'generated',
      options: { days: 2, sensors: 3, readingsPerHour: 6 },
    });
    const spec = new RecordSpecs(systems.map((s) => s.recordSpec)).find('sensors');
    const valid = rows.filter((row) => spec?.validate(row, Date.UTC(2030, 0, 1)).ok);
    expect(rows.length).toBeGreaterThan(500);
    expect(valid.length / rows.length).toBeGreaterThan(0.99);
  });

  it('refuses a water start off the hour, which would send every generated reading to quarantine', () => {
    // Act / Assess
    expect(() => waterSystem.dataset?.parseOptions({ start: '2024-03-01T00:30:00Z' })).toThrow(
      /^start must be a string matching .*, got "2024-03-01T00:30:00Z"$/,
    );
    expect(waterSystem.dataset?.parseOptions({ start: '2024-03-01T05:00:00Z' })).toMatchObject({
      start: '2024-03-01T05:00:00Z',
    });
  });

  it('names the field when a generator option is out of range', () => {
    // Act / Assess
    expect(() => parseProducerInput({ pipeline: 'sensors', source: { sensors: 0 } }, systems)).toThrow(
      'sensors must be a whole number from 1 to 1000, got 0',
    );
  });

  it('says how to stream a system that has no generated data set', () => {
    // Prepare: a system like water but without a data set of its own.
    const { dataset: _dataset, ...withoutDataset } = waterSystem;
    const sewage: SystemDefinition = { ...withoutDataset, name: 'sewage' };
    // Act / Assess
    expect(() => parseProducerInput({ pipeline: 'sewage' }, [...systems, sewage])).toThrow(
      /^system "sewage" has no generated data set; pass source: \{ "uri": "s3:\/\/<data bucket>\/uploads\//,
    );
    expect(
      parseProducerInput({ pipeline: 'sewage', source: { uri: 's3://data/uploads/sewage.csv' } }, [
        ...systems,
        sewage,
      ]).source,
    ).toEqual({ kind: 'csv', uri: 's3://data/uploads/sewage.csv' });
  });
});
