import { mean, populationStd } from '../features/stats.js';
import { psi } from './psi.js';
import { type DriftThresholds, resolveThresholds } from './thresholds.js';

export type PsiLevel = 'stable' | 'moderate' | 'drift';

export interface FeatureDrift {
  name: string;
  referenceCount: number;
  currentCount: number;
  referenceMean: number | null;
  currentMean: number | null;
  /** Population sd (ddof = 0) of each window's values. */
  referenceStd: number | null;
  currentStd: number | null;
  /** (current mean − reference mean) / reference sd; null when the reference sd is 0 or a window is empty. */
  meanShiftSd: number | null;
  /** current sd / reference sd; null when the reference sd is 0 or a window is empty. */
  stdRatio: number | null;
  psi: number | null;
  psiLevel: PsiLevel | null;
  /** False when a window had fewer than `minCount` finite values: no verdict either way. */
  judged: boolean;
  drifted: boolean;
  /** Why, with the numbers and the limits they were held against. */
  reason: string;
}

export interface DriftReport {
  features: FeatureDrift[];
  /** Names of the drifted features, in report order. */
  drifted: string[];
  /** Names of the features that had too few values to judge. */
  notJudged: string[];
  thresholds: DriftThresholds;
}

/** A window's values per feature name; nulls and non-finite values are left out before comparing. */
export type FeatureWindow = Readonly<Record<string, ArrayLike<number | null>>>;

/**
 * Compares each feature of the current window with the reference window (e.g. the previous seven
 * days of feature rows against today's). Features are reported in the reference's order, then any
 * that only the current window has.
 */
export function compareWindows(
  reference: FeatureWindow,
  current: FeatureWindow,
  overrides: Partial<DriftThresholds> = {},
): DriftReport {
  const thresholds = resolveThresholds(overrides);
  const names = [...new Set([...Object.keys(reference), ...Object.keys(current)])];
  const features = names.map((name) =>
    compareFeature(name, finite(reference[name]), finite(current[name]), thresholds),
  );
  return {
    features,
    drifted: features.filter((f) => f.drifted).map((f) => f.name),
    notJudged: features.filter((f) => !f.judged).map((f) => f.name),
    thresholds,
  };
}

export function compareFeature(
  name: string,
  reference: readonly number[],
  current: readonly number[],
  thresholds: DriftThresholds,
): FeatureDrift {
  const referenceMean = mean(reference);
  const currentMean = mean(current);
  const referenceStd = referenceMean === null ? null : populationStd(reference, referenceMean);
  const currentStd = currentMean === null ? null : populationStd(current, currentMean);
  const base = {
    name,
    referenceCount: reference.length,
    currentCount: current.length,
    referenceMean,
    currentMean,
    referenceStd,
    currentStd,
  };
  const unjudged = {
    meanShiftSd: null,
    stdRatio: null,
    psi: null,
    psiLevel: null,
    judged: false,
    drifted: false,
  };

  const fewest = Math.min(reference.length, current.length);
  if (fewest < thresholds.minCount) {
    return {
      ...base,
      ...unjudged,
      reason: `not judged: ${reference.length} reference and ${current.length} current values, fewer than ${thresholds.minCount}`,
    };
  }
  const rMean = referenceMean as number;
  const cMean = currentMean as number;
  const rStd = referenceStd as number;
  const cStd = currentStd as number;

  const psiValue = psi(reference, current, { bins: thresholds.bins, epsilon: thresholds.epsilon });
  const psiLevel: PsiLevel =
    psiValue > thresholds.psiDrift ? 'drift' : psiValue >= thresholds.psiModerate ? 'moderate' : 'stable';
  const psiCounts = fewest >= thresholds.minCountForPsi;
  const psiText = `PSI ${fmt(psiValue)}`;

  // A constant reference (e.g. a sensor that always reports full days) has no sd to measure a
  // shift in: any change at all is drift, no change is none. "Constant" allows for rounding: the
  // mean of a hundred 0.1s is not exactly 0.1, and its sd is 1e-16 rather than 0.
  const tolerance = 1e-12 * Math.max(Math.abs(rMean), Math.abs(cMean));
  if (rStd <= tolerance) {
    const unchanged = Math.abs(cMean - rMean) <= tolerance && cStd <= tolerance;
    return {
      ...base,
      meanShiftSd: unchanged ? 0 : null,
      stdRatio: unchanged ? 1 : null,
      psi: psiValue,
      psiLevel,
      judged: true,
      drifted: !unchanged,
      reason: unchanged
        ? `stable: constant at ${fmt(rMean)} in both windows`
        : `drift: reference constant at ${fmt(rMean)}, current mean ${fmt(cMean)} sd ${fmt(cStd)}`,
    };
  }

  const meanShiftSd = (cMean - rMean) / rStd;
  const stdRatio = cStd / rStd;
  const breaches: string[] = [];
  if (Math.abs(meanShiftSd) > thresholds.maxMeanShiftSd) {
    breaches.push(`mean shift ${signed(meanShiftSd)} sd beyond ±${thresholds.maxMeanShiftSd}`);
  }
  if (stdRatio > thresholds.maxStdRatio || stdRatio < 1 / thresholds.maxStdRatio) {
    breaches.push(
      `std ratio ${fmt(stdRatio)} outside [${fmt(1 / thresholds.maxStdRatio)}, ${thresholds.maxStdRatio}]`,
    );
  }
  if (psiCounts && psiLevel === 'drift') breaches.push(`${psiText} > ${thresholds.psiDrift}`);

  const measured = `mean shift ${signed(meanShiftSd)} sd, std ratio ${fmt(stdRatio)}, ${psiText}`;
  const notes: string[] = [];
  if (!psiCounts) notes.push(`PSI not used: fewer than ${thresholds.minCountForPsi} values in a window`);
  else if (psiLevel === 'moderate')
    notes.push(`moderate PSI (${thresholds.psiModerate}–${thresholds.psiDrift})`);
  const reason =
    breaches.length > 0
      ? `drift: ${breaches.join('; ')}`
      : `stable: ${measured}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`;
  return {
    ...base,
    meanShiftSd,
    stdRatio,
    psi: psiValue,
    psiLevel,
    judged: true,
    drifted: breaches.length > 0,
    reason,
  };
}

function finite(values: ArrayLike<number | null> | undefined): number[] {
  const out: number[] = [];
  if (!values) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Three significant digits: enough to compare with a threshold, short enough to read in a report. */
function fmt(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fmt(value)}`;
}
