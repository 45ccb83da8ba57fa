import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../../core/data/seeded-random.js';
import { fitKMeans, KMeansInputError } from '../../../../core/ml/kmeans/index.js';
import { kernelsFor } from '../../../../core/ml/kmeans/kernels.js';

const TWO_BLOBS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [10, 10],
  [10, 11],
  [11, 10],
];

/** Seeded Gaussian blobs: `perCentre` points around each centre with unit spread. */
function blobs(centres: number[][], perCentre: number, seed: number, spread = 1): number[][] {
  const random = seededRandom(seed);
  return centres.flatMap((centre) =>
    Array.from({ length: perCentre }, () => centre.map((c) => c + gaussian(random) * spread)),
  );
}

function rowsOf(centroids: Float64Array, d: number): number[][] {
  return Array.from({ length: centroids.length / d }, (_, j) =>
    Array.from(centroids.subarray(j * d, (j + 1) * d)),
  );
}

/** Plain Lloyd from given centroids until no label changes: the reference for the bounded passes. */
function referenceLloyd(points: number[][], start: number[][]): { labels: number[]; centroids: number[][] } {
  let centroids = start.map((c) => [...c]);
  let labels: number[] = [];
  for (let iter = 0; iter < 1000; iter++) {
    const next = points.map((p) => {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      centroids.forEach((c, j) => {
        const distance = c.reduce((s, v, t) => s + (v - (p[t] ?? 0)) ** 2, 0);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = j;
        }
      });
      return best;
    });
    if (next.join() === labels.join()) break;
    labels = next;
    centroids = centroids.map((c, j) => {
      const members = points.filter((_, i) => labels[i] === j);
      return c.map((_, t) => members.reduce((s, p) => s + (p[t] ?? 0), 0) / members.length);
    });
  }
  return { labels, centroids };
}

describe('fitKMeans on hand-checked data', () => {
  it('finds two obvious blobs with their exact means and inertia', () => {
    // Prepare / Act
    const result = fitKMeans(TWO_BLOBS, { k: 2, seed: 1 });

    // Assess
    const centroids = rowsOf(result.centroids, 2).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    expect(centroids[0]?.[0]).toBeCloseTo(1 / 3, 12);
    expect(centroids[0]?.[1]).toBeCloseTo(1 / 3, 12);
    expect(centroids[1]?.[0]).toBeCloseTo(31 / 3, 12);
    expect(centroids[1]?.[1]).toBeCloseTo(31 / 3, 12);
    expect(result.inertia).toBeCloseTo(8 / 3, 12);
    const labels = Array.from(result.labels);
    expect(new Set(labels.slice(0, 3)).size).toBe(1);
    expect(new Set(labels.slice(3)).size).toBe(1);
    expect(labels[0]).not.toBe(labels[3]);
    expect(result.converged).toBe(true);
  });

  it('gives inertia 0 with k = n and the single mean with k = 1', () => {
    // Prepare / Act
    const each = fitKMeans(TWO_BLOBS, { k: 6, seed: 2 });
    const one = fitKMeans(TWO_BLOBS, { k: 1 });

    // Assess
    expect(each.inertia).toBe(0);
    expect(new Set(each.labels).size).toBe(6);
    expect(Array.from(one.centroids)).toEqual([32 / 6, 32 / 6]);
  });
});

describe('fitKMeans initialisations', () => {
  // Nine blobs on a grid clustered with k = 4: plenty of local optima for single runs.
  const grid = blobs(
    [0, 6, 12].flatMap((x) => [0, 6, 12].map((y) => [x, y])),
    40,
    3,
  );

  it('is deterministic for a seed', () => {
    // Prepare / Act
    const first = fitKMeans(grid, { k: 4, nInit: 3, seed: 11 });
    const second = fitKMeans(grid, { k: 4, nInit: 3, seed: 11 });

    // Assess
    expect(second).toEqual(first);
  });

  it('keeps the lowest inertia of several initialisations', () => {
    // Prepare / Act
    const result = fitKMeans(grid, { k: 4, nInit: 10, seed: 5 });

    // Assess
    const inertias = result.runs.map((run) => run.inertia);
    expect(result.runs).toHaveLength(10);
    expect(new Set(inertias.map((v) => v.toFixed(6))).size).toBeGreaterThan(1);
    expect(result.inertia).toBe(Math.min(...inertias));
    expect(result.inertia).toBeLessThan(Math.max(...inertias));
  });

  it('run r of a fit does not depend on nInit: 10 runs contain the single run of the same seed', () => {
    // Prepare / Act
    const single = fitKMeans(grid, { k: 4, nInit: 1, seed: 5 });
    const ten = fitKMeans(grid, { k: 4, nInit: 10, seed: 5 });

    // Assess
    expect(ten.runs[0]?.inertia).toBe(single.inertia);
    expect(ten.inertia).toBeLessThanOrEqual(single.inertia);
  });
});

describe('fitKMeans warm start', () => {
  const data = blobs(
    [
      [0, 0, 0],
      [8, 0, 0],
      [0, 8, 8],
    ],
    200,
    9,
  );

  it('converges in at most 2 iterations from good centroids and wins the tie', () => {
    // Prepare
    const fresh = fitKMeans(data, { k: 3, nInit: 5, seed: 1 });

    // Act
    const warm = fitKMeans(data, { k: 3, nInit: 5, seed: 1, initialCentroids: rowsOf(fresh.centroids, 3) });

    // Assess
    const warmRun = warm.runs[0];
    expect(warmRun?.init).toBe('warm-start');
    expect(warmRun?.nIter).toBeLessThanOrEqual(2);
    expect(warmRun?.converged).toBe(true);
    expect(warm.init).toBe('warm-start');
    expect(warm.inertia).toBeCloseTo(fresh.inertia, 8);
    expect(warm.runs).toHaveLength(6);
  });

  it('loses to a fresh run when the warm start is a poor local optimum', () => {
    // Prepare: two centroids share one blob, one sits between the other two
    const poor = [
      [-0.5, 0, 0],
      [0.5, 0, 0],
      [4, 4, 4],
    ];

    // Act
    const result = fitKMeans(data, { k: 3, nInit: 3, seed: 1, initialCentroids: poor });

    // Assess
    expect(result.runs[0]?.init).toBe('warm-start');
    expect(result.runs[0]?.inertia).toBeGreaterThan(result.inertia);
    expect(result.init).toBe('k-means++');
  });

  it('can run the warm start alone (nInit 0)', () => {
    // Prepare / Act
    const result = fitKMeans(data, {
      k: 3,
      nInit: 0,
      initialCentroids: [
        [1, 1, 1],
        [7, 1, 1],
        [1, 7, 7],
      ],
    });

    // Assess
    expect(result.runs).toHaveLength(1);
    expect(result.init).toBe('warm-start');
    expect(result.converged).toBe(true);
  });
});

describe('fitKMeans edge cases', () => {
  it('reseeds an empty cluster from the farthest point', () => {
    // Prepare: the third centroid is far from every point, so its cluster starts empty
    const start = [
      [0, 0],
      [10, 10],
      [1000, 1000],
    ];

    // Act
    const result = fitKMeans(TWO_BLOBS, { k: 3, nInit: 0, initialCentroids: start });

    // Assess
    expect(result.runs[0]?.emptyClustersReseeded).toBeGreaterThanOrEqual(1);
    expect(new Set(result.labels).size).toBe(3);
    expect(result.inertia).toBeLessThan(8 / 3);
  });

  it('copes with fewer distinct points than k', () => {
    // Prepare
    const duplicates = [
      [1, 1],
      [1, 1],
      [1, 1],
      [2, 2],
      [2, 2],
    ];

    // Act
    const result = fitKMeans(duplicates, { k: 3, seed: 4 });

    // Assess
    expect(result.inertia).toBe(0);
    expect(new Set(result.labels).size).toBe(3);
    expect(Array.from(result.centroids).every(Number.isFinite)).toBe(true);
  });

  it('accepts a dense matrix and gives the same result as rows', () => {
    // Prepare
    const dense = { data: Float64Array.from(TWO_BLOBS.flat()), rows: 6, cols: 2 };

    // Act
    const fromDense = fitKMeans(dense, { k: 2, seed: 3 });
    const fromRows = fitKMeans(TWO_BLOBS, { k: 2, seed: 3 });

    // Assess
    expect(fromDense).toEqual(fromRows);
  });

  it.each([
    [2, 11],
    [35, 12],
  ])('matches plain Lloyd from the same start (d = %i: unrolled and generic kernels)', (d, seed) => {
    // Prepare: overlapping blobs so many points change cluster on the way
    const random = seededRandom(seed);
    const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, () => gaussian(random) * 1.5));
    const points = blobs(centres, 60, seed + 1);
    const start = [points[0], points[70], points[130], points[200]] as number[][];

    // Act
    const ours = fitKMeans(points, { k: 4, nInit: 0, tol: 0, maxIter: 1000, initialCentroids: start });
    const reference = referenceLloyd(points, start);

    // Assess
    expect(Array.from(ours.labels)).toEqual(reference.labels);
    rowsOf(ours.centroids, d).forEach((row, j) => {
      row.forEach((v, t) => {
        expect(v).toBeCloseTo(reference.centroids[j]?.[t] ?? Number.NaN, 9);
      });
    });
  });

  it('generated kernels agree with the generic ones', () => {
    // Prepare
    const random = seededRandom(21);
    const n = 300;
    const d = 7;
    const k = 5;
    const x = Float64Array.from({ length: n * d }, () => gaussian(random));
    const c = Float64Array.from({ length: k * d }, () => gaussian(random));
    const run = (generic: boolean) => {
      const kernels = kernelsFor(d, { generic });
      const labels = new Int32Array(n).fill(-1);
      const dist = new Float64Array(n);
      const second = new Float64Array(n);
      const sums = new Float64Array(k * d);
      const counts = new Float64Array(k);
      const stats = new Float64Array(1);
      const changed = kernels.assign(x, n, c, k, labels, dist, second, sums, counts, stats, true);
      const out = new Float64Array(n);
      const potential = kernels.candidate(x, n, 17, dist, out);
      const inertia = kernels.inertia(x, n, c, labels, new Float64Array(n));
      return { changed, labels, dist, second, sums, counts, stats, out, potential, inertia };
    };

    // Act
    const generated = run(false);
    const generic = run(true);

    // Assess
    expect(generated.labels).toEqual(generic.labels);
    expect(generated.changed).toBe(n);
    for (const key of ['dist', 'second', 'sums', 'counts', 'out'] as const) {
      generated[key].forEach((v, i) => {
        expect(v).toBeCloseTo(generic[key][i] ?? Number.NaN, 10);
      });
    }
    expect(generated.potential).toBeCloseTo(generic.potential, 8);
    expect(generated.inertia).toBeCloseTo(generated.stats[0] ?? Number.NaN, 8);
  });
});

describe('fitKMeans rejects bad input with a clear error', () => {
  it.each([
    ['k above n', TWO_BLOBS, { k: 7 }, 'k = 7 exceeds the number of points (6)'],
    ['k of 0', TWO_BLOBS, { k: 0 }, 'k must be a whole number >= 1, got 0'],
    ['no points', [], { k: 1 }, 'points is empty'],
    ['ragged rows', [[1, 2], [3]], { k: 1 }, 'points row 1 has 1 features; row 0 has 2'],
    ['NaN', [[1, Number.NaN]], { k: 1 }, 'points row 0 column 1 is NaN; expected a finite number'],
    ['a string', [[1, '2']], { k: 1 }, 'points row 0 column 1 is "2"; expected a finite number'],
    [
      'nInit 0 without a warm start',
      TWO_BLOBS,
      { k: 2, nInit: 0 },
      'nInit must be a whole number >= 1, got 0',
    ],
    ['a negative tol', TWO_BLOBS, { k: 2, tol: -1 }, 'tol must be a finite number >= 0, got -1'],
    [
      'warm-start centroids of the wrong shape',
      TWO_BLOBS,
      { k: 2, initialCentroids: [[0, 0]] },
      'initialCentroids is 1 x 2; expected k x nFeatures = 2 x 2',
    ],
    [
      'a dense matrix of the wrong size',
      { data: new Float64Array(5), rows: 3, cols: 2 },
      { k: 1 },
      'points.data has 5 values; expected rows x cols = 6',
    ],
  ])('%s', (_name, points, options, message) => {
    // Prepare / Act / Assess
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
    const act = () => fitKMeans(points as any, options as any);
    expect(act).toThrow(KMeansInputError);
    expect(act).toThrow(message);
  });
});
