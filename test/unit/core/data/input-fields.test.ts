import { describe, expect, it } from 'vitest';
import {
  asBag,
  booleanField,
  InputError,
  intField,
  numberField,
  optionalString,
  stringField,
  timeField,
} from '../../../../core/data/input-fields.js';

const fallbackTime = new Date('2024-03-01T00:00:00Z');

describe('handler input fields', () => {
  it('asBag treats a missing input as {} and rejects non-objects with an InputError', () => {
    // Prepare / Act / Assess
    expect(asBag(undefined, 'input')).toEqual({});
    expect(asBag(null, 'input')).toEqual({});
    expect(() => asBag('x', 'train input')).toThrow(
      new InputError('train input must be a JSON object, got "x"'),
    );
    expect(() => asBag([], 'train input')).toThrow(InputError);
  });

  it('intField uses the fallback and names the range', () => {
    // Prepare / Act / Assess
    expect(intField({}, 'n', 3, 1, 10)).toBe(3);
    expect(intField({ n: null }, 'n', 3, 1, 10)).toBe(3);
    expect(() => intField({ n: 2.5 }, 'n', 3, 1, 10)).toThrow(
      'n must be a whole number from 1 to 10, got 2.5',
    );
    expect(() => intField({ n: 11 }, 'n', 3, 1, 10)).toThrow('n must be a whole number from 1 to 10, got 11');
  });

  it('numberField rejects non-finite numbers', () => {
    // Prepare / Act / Assess
    expect(numberField({ x: 0.5 }, 'x', 0, 0, 1)).toBe(0.5);
    expect(() => numberField({ x: Number.NaN }, 'x', 0, 0, 1)).toThrow(
      'x must be a number from 0 to 1, got null',
    );
    expect(() => numberField({ x: '0.5' }, 'x', 0, 0, 1)).toThrow(
      'x must be a number from 0 to 1, got "0.5"',
    );
  });

  it('stringField checks the pattern; optionalString allows absence only', () => {
    // Prepare / Act / Assess
    expect(stringField({}, 's', 'dflt')).toBe('dflt');
    expect(() => stringField({ s: 'A' }, 's', 'a', /^[a-z]$/)).toThrow(
      's must be a string matching /^[a-z]$/, got "A"',
    );
    expect(optionalString({}, 's')).toBeUndefined();
    expect(() => optionalString({ s: 1 }, 's')).toThrow('s must be a string, got 1');
  });

  it('booleanField rejects "true" as a string', () => {
    // Prepare / Act / Assess
    expect(booleanField({}, 'b', true)).toBe(true);
    expect(() => booleanField({ b: 'true' }, 'b', false)).toThrow('b must be true or false, got "true"');
  });

  it('timeField treats absent, empty and the scheduler placeholder as "use the fallback"', () => {
    // Prepare
    const fallback = () => fallbackTime;

    // Act / Assess
    for (const value of [undefined, null, '', '<aws.scheduler.scheduled-time>']) {
      expect(timeField({ t: value }, 't', fallback)).toBe(fallbackTime);
    }
    expect(timeField({ t: '2024-03-01T02:00:00Z' }, 't', fallback)).toEqual(new Date('2024-03-01T02:00:00Z'));
    expect(() => timeField({ t: 1_700_000_000_000 }, 't', fallback)).toThrow(
      't must be an ISO-8601 time, got 1700000000000',
    );
  });
});
