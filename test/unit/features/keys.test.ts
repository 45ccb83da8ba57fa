import { describe, expect, it } from 'vitest';
import { chunkDayPrefix, chunkKey, featuresKey, parseChunkKey } from '../../../core/features/keys.js';

describe('chunk and feature keys', () => {
  it('places a chunk under its pipeline and UTC day partition', () => {
    // Act / Assess
    expect(chunkKey('sensors', '2024-03-09', 'pump-7')).toBe('chunks/sensors/dt=2024-03-09/pump-7.ndjson.gz');
    expect(chunkDayPrefix('sensors', '2024-03-09')).toBe('chunks/sensors/dt=2024-03-09/');
    expect(featuresKey('sensors', '2024-03-09')).toBe('features/sensors/dt=2024-03-09/features.parquet');
  });

  it('encodes a key with a space or a slash and decodes it back', () => {
    // Act
    const key = chunkKey('sensors', '2024-03-09', 'hall a/pump 7');
    // Assess
    expect(key).toBe('chunks/sensors/dt=2024-03-09/hall%20a%2Fpump%207.ndjson.gz');
    expect(parseChunkKey(key)).toEqual({ pipeline: 'sensors', day: '2024-03-09', key: 'hall a/pump 7' });
  });

  it('refuses bad parts and does not parse keys outside the layout', () => {
    // Act / Assess
    expect(() => chunkKey('Sensors', '2024-03-09', 'a')).toThrow(/pipeline/);
    expect(() => chunkKey('sensors', '2024-3-9', 'a')).toThrow(/YYYY-MM-DD/);
    expect(() => chunkKey('sensors', '2024-03-09', '')).toThrow(/empty/);
    expect(parseChunkKey('raw/sensors/dt=2024-03-09/hour=01/x.ndjson.gz')).toBeUndefined();
    expect(parseChunkKey('chunks/sensors/dt=2024-03-09/%E0%A4%A.ndjson.gz')).toBeUndefined();
  });
});
