import { binShares, psiFromShares, quantileBinEdges } from '../drift/psi.js';
import { ksTestSorted } from './ks.js';

/**
 * One feature's reference for univariate drift: PSI bins cut at the reference's quantiles (with a
 * bin of its own for missing values, so a feature that starts going missing drifts too) and a
 * sorted sample of its values for the KS test.
 */
export interface FeatureReference {
  readonly name: string;
  /** Interior PSI bin edges over the finite values. */
  readonly edges: readonly number[];
  /** Shares per bin (edges.length + 1 value bins, then the missing bin); they sum to 1. */
  readonly shares: readonly number[];
  /** Finite reference values for KS, ascending (capped in size by the caller's sample). */
  readonly sample: readonly number[];
}

export interface FeatureDrift {
  readonly name: string;
  readonly psi: number;
  readonly ksStatistic: number;
  readonly ksPValue: number;
}

/** Empty bins count as this share, so one empty bin does not make PSI infinite. */
const EPSILON = 1e-4;

function sharesWithMissing(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i] as number)) finite.push(values[i] as number);
  const missingShare = values.length === 0 ? 0 : (values.length - finite.length) / values.length;
  const valueShares =
    finite.length === 0 ? new Array<number>(edges.length + 1).fill(0) : binShares(finite, edges);
  return [...valueShares.map((s) => s * (1 - missingShare)), missingShare];
}

export function fitFeatureReference(
  name: string,
  values: ArrayLike<number>,
  sampleRows: readonly number[],
  bins: number,
): FeatureReference {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i] as number)) finite.push(values[i] as number);
  // An all-missing reference column has one bin and no KS sample; any finite value drifts.
  const edges = finite.length === 0 ? [] : quantileBinEdges(finite, bins);
  const sample = sampleRows
    .map((i) => values[i] as number)
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  return { name, edges, shares: sharesWithMissing(values, edges), sample };
}

export function featureDrift(reference: FeatureReference, values: ArrayLike<number>): FeatureDrift {
  const psi = psiFromShares(reference.shares, sharesWithMissing(values, reference.edges), EPSILON);
  const current: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i] as number)) current.push(values[i] as number);
  current.sort((a, b) => a - b);
  const ks =
    reference.sample.length > 0 && current.length > 0
      ? ksTestSorted(reference.sample, current)
      : { statistic: Number.NaN, pValue: Number.NaN };
  return { name: reference.name, psi, ksStatistic: ks.statistic, ksPValue: ks.pValue };
}
