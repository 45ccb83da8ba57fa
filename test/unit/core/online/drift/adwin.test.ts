import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../../../core/data/seeded-random.js';
import { Adwin } from '../../../../../core/online/drift/adwin.js';

function normalStream(seed: number, parts: readonly { mean: number; count: number }[]): number[] {
  const random = seededRandom(seed);
  return parts.flatMap(({ mean, count }) => Array.from({ length: count }, () => mean + gaussian(random)));
}

function detections(adwin: Adwin, values: readonly number[]): number[] {
  const at: number[] = [];
  values.forEach((value, index) => {
    if (adwin.update(value)) at.push(index);
  });
  return at;
}

describe('Adwin', () => {
  it('detects an abrupt mean shift within 200 values of it, once', () => {
    // Prepare: 3,000 values around 0, then 3,000 around 1.5 (unit variance).
    const values = normalStream(11, [
      { mean: 0, count: 3000 },
      { mean: 1.5, count: 3000 },
    ]);

    // Act
    const at = detections(new Adwin(), values);

    // Assess: one detection, after the change and within 200 values of it (the check runs every 32).
    expect(at).toHaveLength(1);
    expect(at[0]).toBeGreaterThanOrEqual(3000);
    expect(at[0]).toBeLessThan(3200);
  });

  it('does not fire on a stationary stream of 10,000 values', () => {
    // Prepare
    const values = normalStream(12, [{ mean: 5, count: 10_000 }]);
    const adwin = new Adwin();

    // Act
    const at = detections(adwin, values);

    // Assess: no change, and the window kept everything it saw.
    expect(at).toEqual([]);
    expect(adwin.width).toBe(10_000);
    expect(adwin.estimation).toBeCloseTo(5, 1);
  });

  it('after a change, estimates the new mean from the values since the change', () => {
    // Prepare
    const values = normalStream(13, [
      { mean: 0, count: 2000 },
      { mean: 4, count: 2000 },
    ]);
    const adwin = new Adwin();

    // Act
    detections(adwin, values);

    // Assess: the window holds only values after the change.
    expect(adwin.width).toBeLessThan(2000);
    expect(adwin.estimation).toBeCloseTo(4, 1);
  });

  it('reports a switch from coin flips to 4..7 at the first check after it', () => {
    // Prepare: the shape of River's docstring example (River 0.26.1 reports index 1023 there).
    const random = seededRandom(12345);
    const values = [
      ...Array.from({ length: 1000 }, () => (random() < 0.5 ? 0 : 1)),
      ...Array.from({ length: 1000 }, () => 4 + Math.floor(random() * 4)),
    ];

    // Act
    const at = detections(new Adwin(), values);

    // Assess: checks run every 32 updates; the first after the change is update 1024 (index 1023).
    expect(at).toEqual([1023]);
  });

  it('continues identically after a JSON round trip of its state', () => {
    // Prepare
    const values = normalStream(14, [
      { mean: 0, count: 1500 },
      { mean: 2, count: 1500 },
      { mean: -1, count: 1500 },
    ]);
    const straight = new Adwin(0.01);
    const first = detections(straight, values);
    let resumed = new Adwin(0.01);
    const second: number[] = [];

    // Act: checkpoint through JSON every 700 values.
    values.forEach((value, index) => {
      if (index % 700 === 0) resumed = Adwin.restore(JSON.parse(JSON.stringify(resumed.state())));
      if (resumed.update(value)) second.push(index);
    });

    // Assess
    expect(second).toEqual(first);
    expect(resumed.state()).toEqual(straight.state());
    expect(first.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a delta outside (0, 1)', () => {
    expect(() => new Adwin(0)).toThrow(/delta must be in \(0, 1\)/);
    expect(() => new Adwin(1.5)).toThrow(/got 1.5/);
  });
});
