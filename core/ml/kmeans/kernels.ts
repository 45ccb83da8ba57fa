/**
 * The two hot loops of k-means, specialised per number of features. V8 does not unroll loops or
 * keep a point in registers across centroids, so for d ≤ {@link MAX_UNROLLED_FEATURES} the loops
 * are generated once per d with the feature loop unrolled (about 2x faster than the generic loops
 * below, which serve larger d and are the reference the generated code must match). The generated
 * source is built from the integer d only, never from data or user input.
 */
export interface Kernels {
  /**
   * Assigns each of the n points of x (row-major, d columns) to its closest of the k centroids c.
   * Writes labels, squared distances to the closest and the second closest centroid (Infinity
   * when k = 1), counts changed labels (the return value) and writes the inertia to stats[0]. With accumulate, also fills sums (k × d) and counts (k), which it zeroes first.
   */
  assign(
    x: Float64Array,
    n: number,
    c: Float64Array,
    k: number,
    labels: Int32Array,
    dist: Float64Array,
    second: Float64Array,
    sums: Float64Array,
    counts: Float64Array,
    stats: Float64Array,
    accumulate: boolean,
  ): number;
  /**
   * k-means++ candidate: out[i] = min(closest[i], ‖x_i − x_row‖²); returns Σ out.
   */
  candidate(x: Float64Array, n: number, row: number, closest: Float64Array, out: Float64Array): number;
  /**
   * Hamerly assignment pass: bounds are first moved by the centroid moves (delta; the largest is
   * maxMove at maxJ, the next secondMove), then only points whose bounds cannot rule out a change
   * are measured. Keeps sums and counts in step with the points that change cluster; returns how
   * many changed.
   */
  bounded(
    x: Float64Array,
    n: number,
    c: Float64Array,
    k: number,
    labels: Int32Array,
    upper: Float64Array,
    lower: Float64Array,
    delta: Float64Array,
    half: Float64Array,
    sums: Float64Array,
    counts: Float64Array,
    maxMove: number,
    secondMove: number,
    maxJ: number,
  ): number;
  /** dist[i] = ‖x_i − c_labels[i]‖²; returns Σ dist (the inertia of a given assignment). */
  inertia(x: Float64Array, n: number, c: Float64Array, labels: Int32Array, dist: Float64Array): number;
}

export const MAX_UNROLLED_FEATURES = 32;

function genericKernels(d: number): Kernels {
  return {
    assign(x, n, c, k, labels, dist, second, sums, counts, stats, accumulate) {
      if (accumulate) {
        sums.fill(0);
        counts.fill(0);
      }
      let inertia = 0;
      let changed = 0;
      for (let i = 0; i < n; i++) {
        const a = i * d;
        let best = Number.POSITIVE_INFINITY;
        let next = Number.POSITIVE_INFINITY;
        let bestJ = 0;
        for (let j = 0; j < k; j++) {
          const b = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const diff = (x[a + t] as number) - (c[b + t] as number);
            s += diff * diff;
          }
          if (s < best) {
            next = best;
            best = s;
            bestJ = j;
          } else if (s < next) {
            next = s;
          }
        }
        second[i] = next;
        if (labels[i] !== bestJ) {
          labels[i] = bestJ;
          changed++;
        }
        dist[i] = best;
        inertia += best;
        if (accumulate) {
          counts[bestJ] = (counts[bestJ] as number) + 1;
          const b = bestJ * d;
          for (let t = 0; t < d; t++) sums[b + t] = (sums[b + t] as number) + (x[a + t] as number);
        }
      }
      stats[0] = inertia;
      return changed;
    },
    candidate(x, n, row, closest, out) {
      const b = row * d;
      let potential = 0;
      for (let i = 0; i < n; i++) {
        const a = i * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = (x[a + t] as number) - (x[b + t] as number);
          s += diff * diff;
        }
        const current = closest[i] as number;
        const m = Math.min(s, current);
        out[i] = m;
        potential += m;
      }
      return potential;
    },
    bounded(x, n, c, k, labels, upper, lower, delta, half, sums, counts, maxMove, secondMove, maxJ) {
      let changed = 0;
      for (let i = 0; i < n; i++) {
        const assigned = labels[i] as number;
        const up = (upper[i] as number) + (delta[assigned] as number);
        const low = (lower[i] as number) - (assigned === maxJ ? secondMove : maxMove);
        lower[i] = low;
        const bound = Math.max(low, half[assigned] as number);
        if (up <= bound) {
          upper[i] = up;
          continue;
        }
        const a = i * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = (x[a + t] as number) - (c[assigned * d + t] as number);
          s += diff * diff;
        }
        const tight = Math.sqrt(s);
        upper[i] = tight;
        if (tight <= bound) continue;
        let best = s;
        let bestJ = assigned;
        let next = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) {
          if (j === assigned) continue;
          const b = j * d;
          let e = 0;
          for (let t = 0; t < d; t++) {
            const diff = (x[a + t] as number) - (c[b + t] as number);
            e += diff * diff;
          }
          if (e < best) {
            next = best;
            best = e;
            bestJ = j;
          } else if (e < next) {
            next = e;
          }
        }
        upper[i] = Math.sqrt(best);
        lower[i] = Math.sqrt(next);
        if (bestJ !== assigned) {
          labels[i] = bestJ;
          changed++;
          counts[assigned] = (counts[assigned] as number) - 1;
          counts[bestJ] = (counts[bestJ] as number) + 1;
          for (let t = 0; t < d; t++) {
            const v = x[a + t] as number;
            sums[assigned * d + t] = (sums[assigned * d + t] as number) - v;
            sums[bestJ * d + t] = (sums[bestJ * d + t] as number) + v;
          }
        }
      }
      return changed;
    },
    inertia(x, n, c, labels, dist) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const a = i * d;
        const b = (labels[i] as number) * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = (x[a + t] as number) - (c[b + t] as number);
          s += diff * diff;
        }
        dist[i] = s;
        total += s;
      }
      return total;
    },
  };
}

function unrolledKernels(d: number): Kernels {
  const f = Array.from({ length: d }, (_, t) => t);
  const list = (make: (t: number) => string, sep: string) => f.map(make).join(sep);
  const assignBody = `
    if (accumulate) { sums.fill(0); counts.fill(0); }
    let inertia = 0;
    let changed = 0;
    for (let i = 0, a = 0; i < n; i++, a += ${d}) {
      ${list((t) => `const x${t} = x[a + ${t}];`, ' ')}
      let best = Infinity;
      let next = Infinity;
      let bestJ = 0;
      for (let j = 0, b = 0; j < k; j++, b += ${d}) {
        ${list((t) => `const e${t} = x${t} - c[b + ${t}];`, ' ')}
        const s = ${list((t) => `e${t} * e${t}`, ' + ')};
        if (s < best) { next = best; best = s; bestJ = j; } else if (s < next) { next = s; }
      }
      second[i] = next;
      if (labels[i] !== bestJ) { labels[i] = bestJ; changed++; }
      dist[i] = best;
      inertia += best;
      if (accumulate) {
        counts[bestJ] += 1;
        const b = bestJ * ${d};
        ${list((t) => `sums[b + ${t}] += x${t};`, ' ')}
      }
    }
    stats[0] = inertia;
    return changed;`;
  const candidateBody = `
    const b = row * ${d};
    ${list((t) => `const c${t} = x[b + ${t}];`, ' ')}
    let potential = 0;
    for (let i = 0, a = 0; i < n; i++, a += ${d}) {
      ${list((t) => `const e${t} = x[a + ${t}] - c${t};`, ' ')}
      const s = ${list((t) => `e${t} * e${t}`, ' + ')};
      const current = closest[i];
      const m = s < current ? s : current;
      out[i] = m;
      potential += m;
    }
    return potential;`;
  const boundedBody = `
    let changed = 0;
    for (let i = 0, a = 0; i < n; i++, a += ${d}) {
      const assigned = labels[i];
      const up = upper[i] + delta[assigned];
      const low = lower[i] - (assigned === maxJ ? secondMove : maxMove);
      lower[i] = low;
      const h = half[assigned];
      const bound = low > h ? low : h;
      if (up <= bound) { upper[i] = up; continue; }
      ${list((t) => `const x${t} = x[a + ${t}];`, ' ')}
      let b = assigned * ${d};
      ${list((t) => `let e${t} = x${t} - c[b + ${t}];`, ' ')}
      let best = ${list((t) => `e${t} * e${t}`, ' + ')};
      const tight = Math.sqrt(best);
      upper[i] = tight;
      if (tight <= bound) continue;
      let bestJ = assigned;
      let next = Infinity;
      for (let j = 0; j < k; j++) {
        if (j === assigned) continue;
        b = j * ${d};
        ${list((t) => `e${t} = x${t} - c[b + ${t}];`, ' ')}
        const s = ${list((t) => `e${t} * e${t}`, ' + ')};
        if (s < best) { next = best; best = s; bestJ = j; } else if (s < next) { next = s; }
      }
      upper[i] = Math.sqrt(best);
      lower[i] = Math.sqrt(next);
      if (bestJ !== assigned) {
        labels[i] = bestJ;
        changed++;
        counts[assigned] -= 1;
        counts[bestJ] += 1;
        const from = assigned * ${d};
        const to = bestJ * ${d};
        ${list((t) => `sums[from + ${t}] -= x${t}; sums[to + ${t}] += x${t};`, ' ')}
      }
    }
    return changed;`;
  const inertiaBody = `
    let total = 0;
    for (let i = 0, a = 0; i < n; i++, a += ${d}) {
      const b = labels[i] * ${d};
      ${list((t) => `const e${t} = x[a + ${t}] - c[b + ${t}];`, ' ')}
      const s = ${list((t) => `e${t} * e${t}`, ' + ')};
      dist[i] = s;
      total += s;
    }
    return total;`;
  const assign = new Function(
    'x',
    'n',
    'c',
    'k',
    'labels',
    'dist',
    'second',
    'sums',
    'counts',
    'stats',
    'accumulate',
    assignBody,
  ) as Kernels['assign'];
  const candidate = new Function('x', 'n', 'row', 'closest', 'out', candidateBody) as Kernels['candidate'];
  const inertia = new Function('x', 'n', 'c', 'labels', 'dist', inertiaBody) as Kernels['inertia'];
  const bounded = new Function(
    'x',
    'n',
    'c',
    'k',
    'labels',
    'upper',
    'lower',
    'delta',
    'half',
    'sums',
    'counts',
    'maxMove',
    'secondMove',
    'maxJ',
    boundedBody,
  ) as Kernels['bounded'];
  return { assign, candidate, bounded, inertia };
}

const cache = new Map<number, Kernels>();

/** Kernels for d features (generated once per d and cached; generic beyond the unroll limit). */
export function kernelsFor(d: number, options: { generic?: boolean } = {}): Kernels {
  if (options.generic || d > MAX_UNROLLED_FEATURES) return genericKernels(d);
  let kernels = cache.get(d);
  if (!kernels) {
    kernels = unrolledKernels(d);
    cache.set(d, kernels);
  }
  return kernels;
}
