/**
 * Confidence-based performance estimation (NannyML's CBPE) for a binary classifier. When the
 * probabilities are calibrated, row i is a positive with probability p_i, so before any label is
 * known the confusion matrix has an expected value: E[TP] = Σ p over predicted positives,
 * E[FP] = Σ (1 − p) over them, E[FN] = Σ p over predicted negatives, E[TN] = Σ (1 − p) over
 * those. The metrics follow from the expected counts. ROC-AUC is estimated as NannyML does: walk
 * the rows from the highest score down, the expected true positives so far are the running sum of
 * p and the expected false positives the running sum of 1 − p, and the area under that expected
 * curve is the estimate.
 *
 * What it can see: a covariate shift that moves rows into regions where the model is less sure
 * (more probabilities near the threshold). What it cannot: concept drift, where the same features
 * now mean a different churn risk. The probabilities do not change, so neither does the estimate;
 * only the realised metrics, once labels arrive, show it.
 */
export interface BinaryMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Null when it cannot be computed (a single class, or every probability 0 or every one 1). */
  readonly rocAuc: number | null;
}

export interface ExpectedConfusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

function checkInputs(probabilities: ArrayLike<number>, decisions: ArrayLike<number>): void {
  if (probabilities.length !== decisions.length)
    throw new Error(
      `probabilities has ${probabilities.length} entries but decisions has ${decisions.length}`,
    );
  if (probabilities.length === 0) throw new Error('performance estimation needs at least one prediction');
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (!(p >= 0 && p <= 1)) throw new Error(`probability ${i} is ${p}; expected a number in [0, 1]`);
    const d = decisions[i];
    if (d !== 0 && d !== 1) throw new Error(`decision ${i} is ${d}; expected 0 or 1`);
  }
}

export function expectedConfusion(
  probabilities: ArrayLike<number>,
  decisions: ArrayLike<number>,
): ExpectedConfusion {
  checkInputs(probabilities, decisions);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (decisions[i] === 1) {
      tp += p;
      fp += 1 - p;
    } else {
      fn += p;
      tn += 1 - p;
    }
  }
  return { tp, fp, fn, tn };
}

/** 0/0 is 0, as scikit-learn's zero_division=0 and core/ml/metrics do. */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function metricsFromConfusion(c: ExpectedConfusion): Omit<BinaryMetrics, 'rocAuc'> {
  return {
    accuracy: ratio(c.tp + c.tn, c.tp + c.fp + c.fn + c.tn),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/**
 * Expected ROC-AUC. Rows are ordered by `ranking` (the model's raw score; the calibrated
 * probability itself when left out), highest first. Tied scores are one step of the curve, so the
 * result does not depend on how a sort orders ties (NannyML's argsort does not group them).
 */
export function estimateRocAuc(
  probabilities: ArrayLike<number>,
  ranking: ArrayLike<number> = probabilities,
): number | null {
  const n = probabilities.length;
  if (ranking.length !== n) throw new Error(`ranking has ${ranking.length} entries; expected ${n}`);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (ranking[b] as number) - (ranking[a] as number),
  );
  let totalP = 0;
  for (let i = 0; i < n; i++) totalP += probabilities[i] as number;
  const totalN = n - totalP;
  if (!(totalP > 0) || !(totalN > 0)) return null;
  let tp = 0;
  let area = 0;
  for (let i = 0; i < n; ) {
    const score = ranking[order[i] as number] as number;
    let stepP = 0;
    let stepN = 0;
    while (i < n && ranking[order[i] as number] === score) {
      const p = probabilities[order[i] as number] as number;
      stepP += p;
      stepN += 1 - p;
      i++;
    }
    // Trapezoid between (fp, tp) and (fp + stepN, tp + stepP), in rates.
    area += (stepN / totalN) * ((tp + stepP / 2) / totalP);
    tp += stepP;
  }
  return area;
}

/** CBPE's estimate of every metric for one chunk of predictions. */
export function estimateMetrics(
  probabilities: ArrayLike<number>,
  decisions: ArrayLike<number>,
  ranking?: ArrayLike<number>,
): BinaryMetrics {
  return {
    ...metricsFromConfusion(expectedConfusion(probabilities, decisions)),
    rocAuc: estimateRocAuc(probabilities, ranking ?? probabilities),
  };
}

/** The same metrics from labels, so realised and estimated are computed alike. */
export function realisedMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  decisions: ArrayLike<number>,
): BinaryMetrics {
  checkInputs(
    Array.from(labels, () => 0.5),
    decisions,
  );
  if (labels.length !== scores.length)
    throw new Error(`labels has ${labels.length} entries but scores has ${scores.length}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new Error(`label ${i} is ${y}; expected 0 or 1`);
    positives += y;
    if (decisions[i] === 1) {
      if (y === 1) tp++;
      else fp++;
    } else if (y === 1) fn++;
    else tn++;
  }
  const rocAuc = positives === 0 || positives === labels.length ? null : aucFromLabels(labels, scores);
  return { ...metricsFromConfusion({ tp, fp, fn, tn }), rocAuc };
}

/** ROC-AUC with labels in place of probabilities: the same curve walk with p ∈ {0, 1}. */
function aucFromLabels(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  return estimateRocAuc(Array.from(labels, Number), scores);
}
