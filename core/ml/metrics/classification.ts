import { checkPaired, MetricInputError } from './errors.js';

export type Label = number | string | boolean;

/** Share of predictions equal to the truth. */
export function accuracy(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): number {
  checkPaired(yTrue, yPred, 'yTrue', 'yPred');
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/** Rows are true labels, columns predicted labels, both in the order of `labels`. */
export interface ConfusionMatrix {
  labels: Label[];
  matrix: number[][];
}

/**
 * Counts of (true, predicted) pairs. `labels` fixes the order (and may include labels that never
 * occur); by default it is every label seen, numbers sorted numerically and strings by code unit.
 */
export function confusionMatrix(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  labels?: Label[],
): ConfusionMatrix {
  checkPaired(yTrue, yPred, 'yTrue', 'yPred');
  const order =
    labels ??
    [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort((a, b) =>
      typeof a === 'number' && typeof b === 'number'
        ? a - b
        : String(a) < String(b)
          ? -1
          : String(a) > String(b)
            ? 1
            : 0,
    );
  const index = new Map(order.map((label, i) => [label, i]));
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i] as Label);
    const p = index.get(yPred[i] as Label);
    if (t === undefined || p === undefined) {
      throw new MetricInputError(
        `entry ${i} has label ${String(t === undefined ? yTrue[i] : yPred[i])}, which is not in labels [${order.join(', ')}]`,
      );
    }
    (matrix[t] as number[])[p] = ((matrix[t] as number[])[p] as number) + 1;
  }
  return { labels: order, matrix };
}

export interface AveragingOptions {
  /**
   * 'binary' (default): the score of the `positive` class only. 'macro': unweighted mean of the
   * per-class scores over every label in yTrue or yPred.
   */
  average?: 'binary' | 'macro';
  /** Positive class for 'binary'. Default 1. */
  positive?: Label;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function countsFor(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, positive: Label): Counts {
  const counts = { tp: 0, fp: 0, fn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    const actual = yTrue[i] === positive;
    const predicted = yPred[i] === positive;
    if (actual && predicted) counts.tp++;
    else if (predicted) counts.fp++;
    else if (actual) counts.fn++;
  }
  return counts;
}

/** 0/0 is scored 0 (scikit-learn's zero_division=0 without the warning). */
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

const scorers = {
  precision: (c: Counts) => ratio(c.tp, c.tp + c.fp),
  recall: (c: Counts) => ratio(c.tp, c.tp + c.fn),
  f1: (c: Counts) => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
};

function averaged(
  score: (c: Counts) => number,
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragingOptions,
): number {
  checkPaired(yTrue, yPred, 'yTrue', 'yPred');
  const average = options.average ?? 'binary';
  if (average === 'binary') return score(countsFor(yTrue, yPred, options.positive ?? 1));
  if (average !== 'macro')
    throw new MetricInputError(`average is ${String(average)}; expected 'binary' or 'macro'`);
  const labels = [...new Set([...Array.from(yTrue), ...Array.from(yPred)])];
  let sum = 0;
  for (const label of labels) sum += score(countsFor(yTrue, yPred, label));
  return sum / labels.length;
}

/** TP / (TP + FP). */
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragingOptions = {},
): number {
  return averaged(scorers.precision, yTrue, yPred, options);
}

/** TP / (TP + FN). */
export function recall(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragingOptions = {},
): number {
  return averaged(scorers.recall, yTrue, yPred, options);
}

/** Harmonic mean of precision and recall: 2TP / (2TP + FP + FN). */
export function f1Score(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: AveragingOptions = {},
): number {
  return averaged(scorers.f1, yTrue, yPred, options);
}
