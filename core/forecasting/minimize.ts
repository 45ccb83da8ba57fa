/**
 * Quasi-Newton minimisation (BFGS with a backtracking line search) with forward-difference
 * gradients, for the few smooth parameters of a likelihood. The objective may return a non-finite
 * value for a point it cannot evaluate; the line search then steps back.
 */
export interface MinimizeOptions {
  /** Iterations at most (each costs about 2·k + 2 objective evaluations). */
  maxIterations: number;
  /** Stops when an iteration improves the objective by less than this (absolute). */
  tolerance: number;
  /** Stops (unconverged) at this time, from performance.now(). */
  deadline: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped: 'tolerance', 'gradient', 'iterations', 'deadline', 'line search'. */
  stopped: string;
}

/** Forward differences: k + 1 evaluations a gradient; accurate enough that the optimum moves < 1e-6. */
const STEP = 1e-6;

/** Fits run beside pollers and servers in one process locally: they get the event loop this often. */
const YIELD_EVERY_MS = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function minimize(
  objective: (x: readonly number[]) => number,
  start: readonly number[],
  options: MinimizeOptions,
): Promise<MinimizeResult> {
  const k = start.length;
  let evaluations = 0;
  const f = (x: readonly number[]) => {
    evaluations++;
    const value = objective(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  let x = [...start];
  let value = f(x);
  if (k === 0 || !Number.isFinite(value))
    return {
      x,
      value,
      iterations: 0,
      evaluations,
      converged: k === 0,
      stopped: k === 0 ? 'tolerance' : 'line search',
    };

  // Forward differences while far from the minimum; central ones (twice the cost, far more
  // accurate) once a line search finds no descent along a forward-difference gradient.
  let central = false;
  const gradient = (point: number[], at: number): number[] =>
    point.map((xi, i) => {
      const h = STEP * Math.max(1, Math.abs(xi));
      const up = [...point];
      up[i] = xi + h;
      const fu = f(up);
      const down = [...point];
      down[i] = xi - h;
      if (!central && Number.isFinite(fu)) return (fu - at) / h;
      const fd = f(down);
      if (Number.isFinite(fu) && Number.isFinite(fd)) return (fu - fd) / (2 * h);
      if (Number.isFinite(fu)) return (fu - at) / h;
      return Number.isFinite(fd) ? (at - fd) / h : 0;
    });

  let H = identity(k);
  let g = gradient(x, value);
  let yielded = performance.now();
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    if (performance.now() - yielded > YIELD_EVERY_MS) {
      await yieldToEventLoop();
      yielded = performance.now();
    }
    if (performance.now() > options.deadline)
      return { x, value, iterations: iteration - 1, evaluations, converged: false, stopped: 'deadline' };
    if (Math.max(...g.map(Math.abs)) < 1e-8)
      return { x, value, iterations: iteration - 1, evaluations, converged: true, stopped: 'gradient' };
    let direction = multiply(H, g).map((v) => -v);
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Not a descent direction: the curvature estimate is stale, restart from steepest descent.
      H = identity(k);
      direction = g.map((v) => -v);
      slope = dot(direction, g);
    }
    // Bound the step so one iteration never jumps across the whole parameter space.
    const longest = Math.max(...direction.map(Math.abs));
    const scale = longest > 2 ? 2 / longest : 1;
    let t = scale;
    let candidate = x;
    let candidateValue = Number.POSITIVE_INFINITY;
    for (let halving = 0; halving < 40; halving++) {
      candidate = x.map((xi, i) => xi + t * (direction[i] as number));
      candidateValue = f(candidate);
      if (candidateValue <= value + 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!(candidateValue < value)) {
      if (!central) {
        central = true;
        g = gradient(x, value);
        H = identity(k);
        continue;
      }
      if (isIdentity(H))
        return { x, value, iterations: iteration, evaluations, converged: true, stopped: 'line search' };
      H = identity(k);
      continue;
    }
    const improvement = value - candidateValue;
    const nextGradient = gradient(candidate, candidateValue);
    const s = candidate.map((c, i) => c - (x[i] as number));
    const y = nextGradient.map((gi, i) => gi - (g[i] as number));
    const sy = dot(s, y);
    if (sy > 1e-12) H = bfgsUpdate(H, s, y, sy);
    x = candidate;
    value = candidateValue;
    g = nextGradient;
    if (improvement < options.tolerance)
      return { x, value, iterations: iteration, evaluations, converged: true, stopped: 'tolerance' };
  }
  return {
    x,
    value,
    iterations: options.maxIterations,
    evaluations,
    converged: false,
    stopped: 'iterations',
  };
}

function identity(k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
}

function isIdentity(H: number[][]): boolean {
  return H.every((row, i) => row.every((v, j) => v === (i === j ? 1 : 0)));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function multiply(H: number[][], v: readonly number[]): number[] {
  return H.map((row) => dot(row, v));
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, the inverse-Hessian update. */
function bfgsUpdate(H: number[][], s: number[], y: number[], sy: number): number[][] {
  const rho = 1 / sy;
  const Hy = multiply(H, y);
  const yHy = dot(y, Hy);
  const k = s.length;
  return Array.from({ length: k }, (_, i) =>
    Array.from(
      { length: k },
      (_, j) =>
        ((H[i] as number[])[j] as number) -
        rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number)) +
        (rho * rho * yHy + rho) * (s[i] as number) * (s[j] as number),
    ),
  );
}
