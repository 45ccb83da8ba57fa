import { describe, expect, it } from 'vitest';
import { compactTime, isVersionId, newVersionId, registryKeys } from '../../../core/registry/layout.js';

describe('registry layout', () => {
  it('makes version ids that start with the UTC time and sort by it', () => {
    // Prepare
    const earlier = newVersionId(new Date('2024-03-01T12:00:00.999Z'), 'ffffff');
    const later = newVersionId(new Date('2024-03-01T12:00:01.000Z'), '000000');

    // Act
    const sorted = [later, earlier].sort();

    // Assess
    expect(earlier).toBe('20240301T120000Z-ffffff');
    expect(sorted).toEqual([earlier, later]);
    expect(isVersionId(earlier)).toBe(true);
    expect(isVersionId('../champion')).toBe(false);
  });

  it('puts every file of a model key under models/<pipeline>/<model>/', () => {
    // Prepare / Act
    const keys = registryKeys('water', 'forecast');

    // Assess
    expect(keys.artifact('20240301T120000Z-abcdef')).toBe(
      'models/water/forecast/versions/20240301T120000Z-abcdef/model.json',
    );
    expect(keys.metadata('20240301T120000Z-abcdef')).toBe(
      'models/water/forecast/versions/20240301T120000Z-abcdef/metadata.json',
    );
    expect(keys.pointer).toBe('models/water/forecast/champion.json');
    expect(keys.stableArtifact).toBe('models/water/forecast/champion/model.json');
    expect(keys.historyEntry('2024-03-02T08:00:00.250Z', '20240301T120000Z-abcdef')).toBe(
      'models/water/forecast/history/20240302T080000.250Z-20240301T120000Z-abcdef.json',
    );
    expect(compactTime(new Date('2024-03-02T08:00:00.250Z'))).toBe('20240302T080000.250Z');
  });

  it('rejects pipeline and model names that would escape their folder', () => {
    // Prepare / Act / Assess
    expect(() => registryKeys('../other', 'forecast')).toThrow(
      /^pipeline "\.\.\/other" is not a valid registry name/,
    );
    expect(() => registryKeys('', 'forecast')).toThrow(/not a valid registry name/);
    expect(() => registryKeys('water', '../clusters')).toThrow(
      /^model "\.\.\/clusters" is not a valid registry name/,
    );
    expect(() => registryKeys('water', '')).toThrow(/not a valid registry name/);
  });
});
