import { describe, expect, it } from 'vitest';
import { onlineRecordAt } from '../../../systems/online/records/generator.js';
import { onlineRecordSpec } from '../../../systems/online/records/record.js';

const ARRIVAL = Date.parse('2024-01-01T12:00:00Z');
const good = () => JSON.parse(JSON.stringify(onlineRecordAt(5))) as Record<string, unknown>;
const withFeature = (name: string, value: unknown) => {
  const record = good();
  record.features = { ...(record.features as object), [name]: value };
  return record;
};

describe('online record spec', () => {
  it('accepts a generated record, keyed by its tick on the one partition key "online"', () => {
    // Prepare
    const record = good();
    // Act
    const verdict = onlineRecordSpec.validate(record, ARRIVAL);
    // Assess
    expect(verdict).toEqual({ ok: true, value: record });
    if (!verdict.ok) return;
    expect(onlineRecordSpec.naturalKey(verdict.value)).toBe('5');
    expect(onlineRecordSpec.partitionKey(verdict.value)).toBe('online');
    expect(onlineRecordSpec.eventTimeMs(verdict.value)).toBe(Date.parse('2024-01-01T00:00:10Z'));
  });

  it.each([
    ['a non-integer tick', { ...good(), tick: 4.5 }, 'tick must be a whole number >= 0, got number 4.5'],
    ['a negative tick', { ...good(), tick: -1 }, 'tick must be a whole number >= 0, got number -1'],
    ['a tick as text', { ...good(), tick: '7' }, 'tick must be a whole number >= 0, got the string "7"'],
    ['a time without a zone', { ...good(), time: '2024-01-01T00:00:10' }, 'is not ISO-8601 with a zone'],
    ['a null feature (a sensor dropout)', withFeature('rpm', null), 'feature rpm must be a number, got null'],
    ['a "NaN" feature', withFeature('rpm', 'NaN'), 'feature rpm must be a finite number, got "NaN"'],
    [
      'a feature name with a space',
      withFeature('motor temp', 1),
      'feature name "motor temp" must start with a letter',
    ],
    ['no features', { ...good(), features: {} }, 'features must have at least one feature'],
    [
      'features as an array',
      { ...good(), features: [1, 2] },
      'features must be an object of name → number, got an array',
    ],
    ['a label of 2', { ...good(), label: 2 }, 'label must be 0 or 1, got number 2'],
    ['a label as a boolean', { ...good(), label: true }, 'label must be 0 or 1, got boolean true'],
    [
      'an "Infinity" target',
      { ...good(), target: 'Infinity' },
      'target must be a finite number, got "Infinity"',
    ],
    ['no target', (({ target: _t, ...rest }) => rest)(good()), 'missing field(s): target'],
    ['an extra field', { ...good(), source: 'x' }, 'unexpected field(s): source'],
    ['a list instead of a record', [1, 2], 'an online record must be a JSON object, got an array'],
  ])('refuses %s with its reason', (_, record, reason) => {
    // Act
    const verdict = onlineRecordSpec.validate(record, ARRIVAL);
    // Assess
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain(reason);
  });

  it('refuses more features than a record may carry', () => {
    // Prepare
    const features = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, i]));
    // Act
    const verdict = onlineRecordSpec.validate({ ...good(), features }, ARRIVAL);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'features may have at most 64 entries, got 65' });
  });

  it('reads a flat CSV row: every column besides tick, time, label and target is a feature', () => {
    // Act
    const data = onlineRecordSpec.fromCsvRow({
      tick: '3',
      time: '2024-01-01T00:00:06Z',
      rpm: '1450.5',
      load_pct: '61',
      label: '1',
      target: '9.25',
    });
    // Assess
    expect(onlineRecordSpec.validate(data, ARRIVAL)).toEqual({
      ok: true,
      value: {
        tick: 3,
        time: '2024-01-01T00:00:06.000Z',
        features: { rpm: 1450.5, load_pct: 61 },
        label: 1,
        target: 9.25,
      },
    });
  });
});
