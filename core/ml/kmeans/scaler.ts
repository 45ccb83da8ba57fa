import { KMeansInputError } from './errors.js';
import { type DenseMatrix, type PointsInput, toDenseMatrix } from './matrix.js';

/**
 * Per-feature standardisation: z = (x − mean) / std, with the population std (as scikit-learn's
 * StandardScaler). A constant feature gets std 1 so it maps to 0 instead of dividing by zero.
 */
export interface Scaler {
  mean: number[];
  std: number[];
}

export function fitScaler(points: PointsInput): Scaler {
  const x = toDenseMatrix(points);
  if (x.rows === 0) throw new KMeansInputError('cannot fit a scaler on zero points');
  const { data, rows, cols } = x;
  const mean = new Array<number>(cols).fill(0);
  const std = new Array<number>(cols).fill(0);
  for (let t = 0; t < cols; t++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * cols + t] as number;
    const m = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      const diff = (data[i * cols + t] as number) - m;
      squares += diff * diff;
    }
    const s = Math.sqrt(squares / rows);
    mean[t] = m;
    std[t] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** Standardised copy of the points. */
export function transform(scaler: Scaler, points: PointsInput): DenseMatrix {
  const x = toDenseMatrix(points);
  const { mean, std } = scaler;
  if (x.rows > 0 && x.cols !== mean.length)
    throw new KMeansInputError(`points have ${x.cols} features; the scaler was fitted on ${mean.length}`);
  const cols = mean.length;
  const out = new Float64Array(x.rows * cols);
  for (let i = 0; i < x.rows; i++) {
    for (let t = 0; t < cols; t++) {
      out[i * cols + t] = ((x.data[i * cols + t] as number) - (mean[t] as number)) / (std[t] as number);
    }
  }
  return { data: out, rows: x.rows, cols };
}

/** Back to feature units: x = z × std + mean (row-major, any number of rows). */
export function inverseTransform(scaler: Scaler, data: Float64Array): Float64Array {
  const cols = scaler.mean.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const t = i % cols;
    out[i] = (data[i] as number) * (scaler.std[t] as number) + (scaler.mean[t] as number);
  }
  return out;
}
