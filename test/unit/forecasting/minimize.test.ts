import { describe, expect, it } from 'vitest';
import { minimize } from '../../../core/forecasting/minimize.js';

const far = () => performance.now() + 60_000;

describe('minimize (BFGS)', () => {
  it('finds the minimum of the Rosenbrock function', async () => {
    // Act
    const result = await minimize(
      ([x, y]) => 100 * ((y as number) - (x as number) ** 2) ** 2 + (1 - (x as number)) ** 2,
      [-1.2, 1],
      { maxIterations: 500, tolerance: 1e-14, deadline: far() },
    );
    // Assess
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
    expect(result.converged).toBe(true);
  });

  it('steps back from points the objective cannot evaluate', async () => {
    // Prepare: defined only for x > 0, minimum at x = 2.
    const objective = ([x]: readonly number[]) =>
      (x as number) > 0 ? (x as number) - 2 * Math.log(x as number) : Number.NaN;
    // Act
    const result = await minimize(objective, [9], { maxIterations: 200, tolerance: 1e-14, deadline: far() });
    // Assess
    expect(result.x[0]).toBeCloseTo(2, 4);
  });

  it('stops unconverged at its deadline, with the best point so far', async () => {
    // Act
    const result = await minimize(([x]) => ((x as number) - 3) ** 2, [0], {
      maxIterations: 100,
      tolerance: 1e-14,
      deadline: performance.now() - 1,
    });
    // Assess
    expect(result).toMatchObject({ converged: false, stopped: 'deadline', iterations: 0, x: [0] });
  });
});
