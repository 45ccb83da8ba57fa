/**
 * When a feature counts as drifted. Any one measure beyond its limit flags it; the report names which.
 *
 * Sampling noise sets the floors: with n values per window the mean shift of an unchanged feature
 * wanders by about 1/√n reference sd and the std ratio by about 1/√(2n), and the PSI of an
 * unchanged feature is about χ²(bins − 1) / n_eff with n_eff = n_ref·n_cur / (n_ref + n_cur). Hence
 * no verdict below `minCount` values, and PSI only counts from `minCountForPsi` values per window
 * on: at 200 and 200 (n_eff = 100, 10 bins) an unchanged feature passes 0.25 with a chance of about
 * 0.3 % (χ²(9) > 25); at 50 and 50 (n_eff = 25) the chance would be about 70 %.
 */
export interface DriftThresholds {
  /** |current mean − reference mean| / reference sd above this flags drift. */
  maxMeanShiftSd: number;
  /** current sd / reference sd above this, or below its inverse, flags drift. */
  maxStdRatio: number;
  /** PSI from here up to `psiDrift` is reported as moderate, not flagged. */
  psiModerate: number;
  /** PSI above this flags drift. */
  psiDrift: number;
  /** Bins for the PSI, cut at the reference's quantiles so each holds ~1/bins of it. */
  bins: number;
  /** Share put in place of an empty bin, so ln(current / reference) stays finite. */
  epsilon: number;
  /** Fewer finite values than this in either window: the feature is reported but not judged. */
  minCount: number;
  /** Fewer values than this in either window: the PSI is reported but does not flag. */
  minCountForPsi: number;
}

/**
 * PSI: < 0.1 stable, 0.1–0.25 moderate (watch), > 0.25 drift: the usual credit-scoring reading of
 * the index. Half a reference sd of mean shift and a 1.5× change of spread are where a change in a
 * daily sensor feature is worth a look.
 */
export const defaultDriftThresholds: DriftThresholds = {
  maxMeanShiftSd: 0.5,
  maxStdRatio: 1.5,
  psiModerate: 0.1,
  psiDrift: 0.25,
  bins: 10,
  epsilon: 1e-4,
  minCount: 30,
  minCountForPsi: 200,
};

export function resolveThresholds(overrides: Partial<DriftThresholds> = {}): DriftThresholds {
  const t = { ...defaultDriftThresholds, ...overrides };
  const positive: (keyof DriftThresholds)[] = ['maxMeanShiftSd', 'psiModerate', 'psiDrift', 'epsilon'];
  for (const name of positive) {
    if (!(t[name] > 0)) throw new Error(`drift threshold ${name} must be positive, got ${t[name]}`);
  }
  if (!(t.maxStdRatio > 1)) throw new Error(`maxStdRatio must be above 1, got ${t.maxStdRatio}`);
  if (t.psiModerate > t.psiDrift) throw new Error('psiModerate must not exceed psiDrift');
  if (!Number.isInteger(t.bins) || t.bins < 2) throw new Error(`bins must be an integer ≥ 2, got ${t.bins}`);
  if (!(t.epsilon < 1 / t.bins)) throw new Error('epsilon must be well below the share of one bin');
  if (!(t.minCount >= 2) || !(t.minCountForPsi >= t.minCount)) {
    throw new Error('minCount must be ≥ 2 and minCountForPsi ≥ minCount');
  }
  return t;
}
