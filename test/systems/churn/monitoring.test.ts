import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/data/seeded-random.js';
import {
  type MonitoredPeriod,
  monitorPeriods,
  parseMonitoringThresholds,
} from '../../../systems/churn/model/monitoring.js';
import { renderMonitoringReport } from '../../../systems/churn/model/monitoring-report.js';
import { scoreCustomers, splitByTime, trainChurnModel } from '../../../systems/churn/model/training.js';
import { parseTrainingSettings } from '../../../systems/churn/model/training-settings.js';
import type { LabelledMatrix } from '../../../systems/churn/model/types.js';
import { days, FAST_SETTINGS, population } from './model-fixtures.js';

/**
 * A champion trained on January (its reference: the last two January days), then 20 scored days in February: the population shifts from
 * 12 February (more care calls and dropped calls, higher charges), and labels are known up to
 * 15 February (the 30-day horizon has not passed for the later days).
 */
const settings = parseTrainingSettings({ ...FAST_SETTINGS, holdoutSnapshots: 2 });
const training = splitByTime(population({ customers: 600, days: days('2024-01-01', 7), seed: 31 }), settings);
const model = trainChurnModel(training.train, training.calibration, settings, training.holdout);
const SHIFT = '2024-02-12';
const LABELS_UNTIL = '2024-02-15';
const february = days('2024-02-01', 20);

function periodsOf(matrix: LabelledMatrix, labelsUntil: string): MonitoredPeriod[] {
  return [...new Set(matrix.snapshots)].map((period) => {
    const rows = matrix.snapshots.flatMap((s, i) => (s === period ? [i] : []));
    const features = rows.map((i) => matrix.features[i] as number[]);
    const { probabilities, decisions } = scoreCustomers(model, {
      featureNames: matrix.featureNames,
      features,
    });
    return {
      period,
      features,
      probabilities,
      decisions,
      labels: rows.map((i) => (period <= labelsUntil ? (matrix.labels[i] as 0 | 1) : null)),
    };
  });
}

const shifted = population({ customers: 800, days: february, seed: 32, shiftFrom: SHIFT });
const result = monitorPeriods(model.reference, periodsOf(shifted, LABELS_UNTIL));
const labelledDays = result.periods.filter((p) => p.realised !== null);
const aucMae =
  labelledDays.reduce(
    (s, p) => s + Math.abs((p.estimated.rocAuc as number) - (p.realised?.rocAuc as number)),
    0,
  ) / labelledDays.length;

describe('churn monitoring', () => {
  it('flags the injected covariate shift from its first day and raises nothing before it', () => {
    // Assess
    expect(result.firstAlert['data-drift']).toBe(SHIFT);
    for (const period of result.periods) {
      if (period.period < SHIFT) expect(period.alerts, period.period).toEqual([]);
      else {
        expect(period.alerts.map((a) => a.kind)).toContain('data-drift');
        expect(period.driftedFeatures).toContain('careCalls30d');
        expect(period.pca.drifted).toBe(true);
      }
    }
  });

  it(`estimates performance before labels exist, beside the realised values once they do (ROC-AUC MAE ${aucMae.toFixed(3)} over ${labelledDays.length} days)`, () => {
    // Assess
    expect(labelledDays.map((p) => p.period)).toEqual(february.filter((d) => d <= LABELS_UNTIL));
    expect(aucMae).toBeLessThan(0.05);
    const unlabelled = result.periods.filter((p) => p.period > LABELS_UNTIL);
    expect(unlabelled.every((p) => p.realised === null && p.estimated.rocAuc !== null)).toBe(true);
  });

  it('misses pure concept drift in the estimate, and the realised metrics catch it once labels arrive', () => {
    // Prepare: the same kind of customers, but care calls no longer drive churn; charges do.
    const quiet = population({ customers: 800, days: days('2024-03-01', 4), seed: 33 });
    const random = seededRandom(34);
    const relabelled = {
      ...quiet,
      labels: quiet.features.map((row) => {
        const p = 1 / (1 + Math.exp(-(-2.2 + 0.05 * ((row[2] as number) - 60))));
        return random() < p ? 1 : 0;
      }),
    };
    // Act
    const concept = monitorPeriods(model.reference, periodsOf(relabelled, '2024-12-31'));
    // Assess
    expect(concept.firstAlert['estimated-performance-drop']).toBeUndefined();
    expect(concept.firstAlert['data-drift']).toBeUndefined();
    expect(concept.firstAlert['realised-performance-drop']).toBe('2024-03-01');
  });

  it('checks a period before using it and reads thresholds with field-named errors', () => {
    const [first] = periodsOf(shifted, LABELS_UNTIL);
    if (!first) throw new Error('no period');
    expect(() => monitorPeriods(model.reference, [{ ...first, probabilities: [0.1] }])).toThrow(
      /period 2024-02-01 has 800 feature rows, 1 probabilities/,
    );
    expect(() => monitorPeriods(model.reference, [{ ...first, period: '1 Feb' }])).toThrow(/YYYY-MM-DD/);
    expect(parseMonitoringThresholds({})).toMatchObject({ psi: 0.2, ksPValue: 0.05, minLabelledShare: 0.9 });
    expect(() => parseMonitoringThresholds({ psi: -1 })).toThrow(/psi must be a number from 0 to 10, got -1/);
  });
});

describe('monitoring report', () => {
  it('draws each metric with its threshold, estimated beside realised, and drift per feature with the PCA band', () => {
    // Act
    const report = renderMonitoringReport(result);
    // Assess
    for (const name of ['ROC-AUC', 'F1', 'accuracy', 'precision', 'recall'])
      expect(report.metricsSvg).toContain(`${name} per day: estimated beside realised`);
    expect(report.metricsSvg).toContain('estimated ROC-AUC (CBPE)');
    expect(report.metricsSvg).toContain('realised ROC-AUC');
    const lastThreshold = result.periods.at(-1)?.thresholds.rocAuc.toFixed(3) as string;
    expect(report.metricsSvg).toContain(`threshold ${lastThreshold}`);
    expect(report.metricsSvg).toContain(`first data-drift`);
    expect(report.driftSvg).toContain('PCA reconstruction error');
    expect(report.driftSvg).toContain('reference band');
    for (const name of model.featureNames) expect(report.driftSvg).toContain(`>${name}<`);
    expect(report.driftSvg).toContain('PSI 0.2');
    expect(report.json.summary).toMatchObject({ periods: 20, from: '2024-02-01', to: '2024-02-20' });
    expect(report.json.summary.firstAlert['data-drift']).toBe(SHIFT);
    expect(JSON.parse(JSON.stringify(report.json)).result.periods).toHaveLength(20);
  });
});

describe("CBPE's own calibrator", () => {
  it('is fitted on a reference with enough churners, and left out of one with a dozen (a flat map would make every estimated ROC-AUC 0.5)', () => {
    // Prepare
    const large = population({ customers: 3000, days: days('2024-01-01', 7), seed: 41 });
    const small = population({ customers: 150, days: days('2024-01-01', 7), seed: 42 });
    const trained = (matrix: LabelledMatrix) => {
      const parts = splitByTime(matrix, settings);
      return trainChurnModel(parts.train, parts.calibration, settings, parts.holdout);
    };
    // Act
    const largeModel = trained(large);
    const smallModel = trained(small);
    // Assess
    expect(largeModel.reference.cbpeCalibration?.kind).toBe('isotonic');
    expect(smallModel.reference.cbpeCalibration).toBeUndefined();
    const smallDays = monitorPeriods(smallModel.reference, periodsOf(small, '2024-01-01'));
    expect(smallDays.periods.some((p) => p.estimated.rocAuc !== 0.5)).toBe(true);
  });
});
