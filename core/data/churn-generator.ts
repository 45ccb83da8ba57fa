import { gaussian, poisson, seededRandom } from './seeded-random.js';

/**
 * Deterministic churn-like customer table standing in for the original system's call-detail-record
 * features. The churn signal is deliberately nonlinear (tenure saturates, support calls have a
 * threshold, dropped calls matter mostly for new customers, heavy day-time users on expensive plans
 * leave) so that tree ensembles beat a linear model, as on real CDR data. Labels are Bernoulli draws,
 * so no model reaches 100 %: the ceiling is set by the noise, as in practice.
 */
export interface ChurnGeneratorOptions {
  rows: number;
  seed: number;
  /** Target share of churners; the logit's intercept is calibrated to hit it. Default 0.2. */
  positiveRate?: number;
  /** Share of cells in the nullable columns (totalCharges, dataUsageGb, intlMinutes) set to NaN. Default 0. */
  missingRate?: number;
}

export interface ChurnData {
  featureNames: string[];
  /** Row-major, one array of `featureNames.length` numbers per customer. */
  features: number[][];
  /** 1 = churned, 0 = stayed. */
  labels: number[];
}

export const CHURN_FEATURE_NAMES = [
  'tenureMonths',
  'contractType',
  'monthlyCharges',
  'totalCharges',
  'lines',
  'fiberInternet',
  'paperlessBilling',
  'paymentMethod',
  'dayMinutes',
  'eveningMinutes',
  'nightMinutes',
  'intlMinutes',
  'droppedCalls',
  'supportCalls',
  'dataUsageGb',
] as const;

const NULLABLE = ['totalCharges', 'dataUsageGb', 'intlMinutes'].map((name) =>
  (CHURN_FEATURE_NAMES as readonly string[]).indexOf(name),
);

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** One customer's features and churn logit (before the calibrated intercept). */
function customer(random: () => number): { row: number[]; logit: number } {
  const contractDraw = random();
  const contractType = contractDraw < 0.55 ? 0 : contractDraw < 0.8 ? 1 : 2;
  // Longer contracts go with longer tenure.
  const tenureScale = [30, 48, 60][contractType] as number;
  const tenureMonths = Math.min(72, Math.floor(-tenureScale * Math.log(Math.max(random(), 1e-12)) * 0.7));
  const lines = 1 + poisson(random, 0.6);
  const fiberInternet = random() < 0.45 ? 1 : 0;
  const paperlessBilling = random() < 0.6 ? 1 : 0;
  const paymentMethod = Math.floor(random() * 4);
  const monthlyCharges = round(
    Math.max(18, 22 + 38 * fiberInternet + 9 * (lines - 1) + 14 * random() + 6 * gaussian(random)),
    2,
  );
  const totalCharges = round(monthlyCharges * tenureMonths * (0.95 + 0.1 * random()), 2);
  const dayMinutes = round(Math.max(0, 180 + 55 * gaussian(random)), 1);
  const eveningMinutes = round(Math.max(0, 200 + 50 * gaussian(random)), 1);
  const nightMinutes = round(Math.max(0, 200 + 50 * gaussian(random)), 1);
  const intlMinutes = round(Math.max(0, 10 + 2.8 * gaussian(random)), 1);
  const droppedCalls = poisson(random, 1.5 + dayMinutes / 150);
  const supportCalls = poisson(random, 1.4);
  const dataUsageGb = round(Math.exp(1.8 + 0.35 * fiberInternet + 0.7 * gaussian(random)), 2);

  const logit =
    1.1 * (contractType === 0 ? 1 : 0) -
    0.7 * (contractType === 2 ? 1 : 0) -
    2.4 * (1 - Math.exp(-tenureMonths / 10)) +
    0.025 * (monthlyCharges - 60) +
    0.6 * (fiberInternet === 1 && monthlyCharges > 85 ? 1 : 0) +
    0.5 * (paymentMethod === 0 ? 1 : 0) +
    0.25 * paperlessBilling +
    0.15 * supportCalls +
    1.9 * (supportCalls >= 4 ? 1 : 0) +
    0.08 * droppedCalls +
    0.9 * (droppedCalls >= 5 && tenureMonths < 18 ? 1 : 0) +
    1.2 * (dayMinutes > 265 ? 1 : 0) +
    0.07 * (intlMinutes - 10) -
    0.3 * (lines >= 3 ? 1 : 0);

  const row = [
    tenureMonths,
    contractType,
    monthlyCharges,
    totalCharges,
    lines,
    fiberInternet,
    paperlessBilling,
    paymentMethod,
    dayMinutes,
    eveningMinutes,
    nightMinutes,
    intlMinutes,
    droppedCalls,
    supportCalls,
    dataUsageGb,
  ];
  return { row, logit };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Intercept that makes the mean churn probability equal `rate` (bisection; the mean is monotone). */
function calibrateIntercept(logits: Float64Array, rate: number): number {
  let lo = -20;
  let hi = 20;
  for (let iteration = 0; iteration < 60; iteration++) {
    const mid = (lo + hi) / 2;
    let mean = 0;
    for (const logit of logits) mean += sigmoid(logit + mid);
    mean /= logits.length;
    if (mean < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function generateChurnData(options: ChurnGeneratorOptions): ChurnData {
  const { rows, seed } = options;
  const positiveRate = options.positiveRate ?? 0.2;
  const missingRate = options.missingRate ?? 0;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows is ${rows}; expected an integer ≥ 1`);
  if (!(positiveRate > 0 && positiveRate < 1))
    throw new Error(`positiveRate is ${positiveRate}; expected (0, 1)`);
  if (!(missingRate >= 0 && missingRate < 1))
    throw new Error(`missingRate is ${missingRate}; expected [0, 1)`);
  // Separate streams: features, labels and missingness stay stable when another option changes.
  const featureRandom = seededRandom(seed);
  const labelRandom = seededRandom(seed ^ 0x5bd1e995);
  const missingRandom = seededRandom(seed ^ 0x27d4eb2f);

  const features: number[][] = new Array(rows);
  const logits = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const { row, logit } = customer(featureRandom);
    features[i] = row;
    logits[i] = logit;
  }
  const intercept = calibrateIntercept(logits, positiveRate);
  const labels: number[] = new Array(rows);
  for (let i = 0; i < rows; i++)
    labels[i] = labelRandom() < sigmoid((logits[i] as number) + intercept) ? 1 : 0;
  if (missingRate > 0) {
    for (const row of features) {
      for (const column of NULLABLE) if (missingRandom() < missingRate) row[column] = Number.NaN;
    }
  }
  return { featureNames: [...CHURN_FEATURE_NAMES], features, labels };
}
