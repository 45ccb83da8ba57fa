import { checkPaired, MetricInputError } from './errors.js';

export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 − eps] so a confident mistake costs a lot but not Infinity. */
  eps?: number;
}

/**
 * Mean negative log-likelihood (natural log).
 * Binary: `labels` are 0/1 and `probabilities[i]` is P(label = 1).
 * Multi-class: `labels` are column indices 0..K−1 and `probabilities[i]` is the row of K class
 * probabilities; only the true class's probability enters the loss.
 */
export function logLoss(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number> | ArrayLike<ArrayLike<number>>,
  options: LogLossOptions = {},
): number {
  checkPaired(labels, probabilities, 'labels', 'probabilities');
  const eps = options.eps ?? 1e-15;
  if (!(eps > 0 && eps < 0.5)) throw new MetricInputError(`eps is ${eps}; expected a number in (0, 0.5)`);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    const entry = probabilities[i];
    let p: number;
    if (typeof entry === 'number') {
      if (label !== 0 && label !== 1) throw new MetricInputError(`label ${i} is ${label}; expected 0 or 1`);
      p = label === 1 ? entry : 1 - entry;
    } else {
      const row = entry as ArrayLike<number>;
      if (!Number.isInteger(label) || label < 0 || label >= row.length) {
        throw new MetricInputError(`label ${i} is ${label}; expected a class index in 0..${row.length - 1}`);
      }
      p = row[label] as number;
    }
    if (typeof p !== 'number' || Number.isNaN(p) || p < 0 || p > 1) {
      throw new MetricInputError(`probability ${i} is ${String(p)}; expected a number in [0, 1]`);
    }
    total -= Math.log(Math.min(1 - eps, Math.max(eps, p)));
  }
  return total / labels.length;
}
