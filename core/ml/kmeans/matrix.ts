import { KMeansInputError } from './errors.js';

/** Row-major points: row i occupies `data[i * cols .. (i + 1) * cols)`. */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Points as arrays of rows or as a dense row-major matrix (used as is, never copied). */
export type PointsInput = readonly (readonly number[])[] | DenseMatrix;

export function isDenseMatrix(points: unknown): points is DenseMatrix {
  return (
    typeof points === 'object' &&
    points !== null &&
    !Array.isArray(points) &&
    (points as DenseMatrix).data instanceof Float64Array
  );
}

/**
 * Checks shape and finiteness and returns a dense matrix. Arrays of rows are copied into one
 * Float64Array; a DenseMatrix is checked and returned as is.
 */
export function toDenseMatrix(points: PointsInput, what = 'points'): DenseMatrix {
  if (isDenseMatrix(points)) {
    const { data, rows, cols } = points;
    if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 1))
      throw new KMeansInputError(`${what} must have whole rows >= 0 and cols >= 1, got ${rows} x ${cols}`);
    if (data.length !== rows * cols)
      throw new KMeansInputError(
        `${what}.data has ${data.length} values; expected rows x cols = ${rows * cols}`,
      );
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i] as number)) {
        const row = Math.floor(i / cols);
        throw new KMeansInputError(
          `${what} row ${row} column ${i - row * cols} is ${data[i]}; expected a finite number`,
        );
      }
    }
    return points;
  }
  if (!Array.isArray(points))
    throw new KMeansInputError(`${what} must be an array of rows or a { data, rows, cols } matrix`);
  const rows = points.length;
  const first = points[0];
  if (rows > 0 && !Array.isArray(first)) throw new KMeansInputError(`${what} row 0 is not an array`);
  const cols = first ? first.length : 0;
  if (rows > 0 && cols === 0) throw new KMeansInputError(`${what} rows must have at least one feature`);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = points[i];
    if (!Array.isArray(row)) throw new KMeansInputError(`${what} row ${i} is not an array`);
    if (row.length !== cols)
      throw new KMeansInputError(`${what} row ${i} has ${row.length} features; row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) {
      const value = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new KMeansInputError(
          `${what} row ${i} column ${j} is ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}; expected a finite number`,
        );
      data[i * cols + j] = value;
    }
  }
  return { data, rows, cols: Math.max(cols, 1) };
}

/** Rows of a dense matrix as plain arrays (for JSON and tests). */
export function toRows(matrix: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < matrix.rows; i++)
    out.push(Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols)));
  return out;
}
