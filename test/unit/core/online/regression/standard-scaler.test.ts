import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../../../core/data/seeded-random.js';
import { StandardScaler } from '../../../../../core/online/preprocessing/standard-scaler.js';

describe('StandardScaler', () => {
  it('matches a two-pass mean and population standard deviation', () => {
    // Prepare
    const random = seededRandom(3);
    const rows = Array.from({ length: 5000 }, () => ({ a: 1e6 + 3 * gaussian(random), b: random() }));
    const scaler = new StandardScaler();

    // Act
    for (const row of rows) scaler.learn(row);
    const probe = { a: 1e6 + 6, b: 0.25 };
    const scaled = scaler.transform(probe);

    // Assess: against the textbook two-pass formulas.
    for (const name of ['a', 'b'] as const) {
      const mean = rows.reduce((sum, row) => sum + row[name], 0) / rows.length;
      const variance = rows.reduce((sum, row) => sum + (row[name] - mean) ** 2, 0) / rows.length;
      expect(scaled[name]).toBeCloseTo((probe[name] - mean) / Math.sqrt(variance), 7);
    }
  });

  it('gives 0 for a constant feature and for a feature it never learned', () => {
    // Prepare
    const scaler = new StandardScaler();
    for (let i = 0; i < 10; i++) scaler.learn({ constant: 7, moving: i });

    // Act
    const scaled = scaler.transform({ constant: 9, moving: 4.5, unseen: 3 });

    // Assess
    expect(scaled).toEqual({ constant: 0, moving: 0, unseen: 0 });
  });

  it('reads a feature missing from a record as 0', () => {
    // Prepare: "late" appears only in the last two of four records.
    const scaler = new StandardScaler();
    scaler.learn({ a: 1 });
    scaler.learn({ a: 2 });
    scaler.learn({ a: 3, late: 4 });
    scaler.learn({ a: 4, late: 4 });

    // Act: late's values are 0, 0, 4, 4 → mean 2, std 2.
    const scaled = scaler.transform({ late: 6 });

    // Assess
    expect(scaled.late).toBeCloseTo(2, 12);
  });

  it('restores from JSON to the same transform', () => {
    // Prepare
    const scaler = new StandardScaler();
    for (let i = 0; i < 50; i++) scaler.learn({ x: Math.sin(i), y: i * i });

    // Act
    const restored = StandardScaler.restore(JSON.parse(JSON.stringify(scaler.state())));
    restored.learn({ x: 0.5, y: 3 });
    scaler.learn({ x: 0.5, y: 3 });

    // Assess
    expect(restored.transform({ x: 0.1, y: 10 })).toEqual(scaler.transform({ x: 0.1, y: 10 }));
  });
});
