import { describe, expect, it } from 'vitest';
import { decidePromotion, type ModelScore } from '../../../core/lifecycle/index.js';
import { trainKMeansModel } from '../../../core/ml/kmeans/index.js';
import { type Clustering, kmeansAdapter } from '../../../systems/sensors/model/kmeans-adapter.js';
import {
  clusteringPromotionRule,
  parseTrainingSettings,
} from '../../../systems/sensors/model/training-settings.js';

/**
 * The sensors system's champion/challenger configuration of the shared rule: silhouette on the
 * same sensor-days, higher is better, the challenger may be worse by up to maxSilhouetteDrop.
 */
const rule = clusteringPromotionRule(0.02);
const score = (silhouette: number, k = 3): ModelScore => ({ label: `k=${k}`, metrics: { silhouette, k } });

/** A real score of a model that puts every evaluation point in one cluster. */
function oneClusterScore(): ModelScore {
  const points = [
    [0, 0],
    [0, 1],
    [1, 0],
    [10, 10],
    [10, 11],
    [11, 10],
  ];
  const farAway: Clustering = {
    kmeans: trainKMeansModel(
      [
        [100, 100],
        [100, 101],
        [300, 300],
        [300, 301],
      ],
      { featureNames: ['x', 'y'], k: 2, seed: 1 },
    ).model,
  };
  return kmeansAdapter({ kMin: 2, kMax: 2 }).score(farAway, points);
}

describe('sensors promotion rule (the shared rule, silhouette with an allowed drop)', () => {
  it('maps maxSilhouetteDrop (default 0.02) to an absolute, negative silhouette margin', () => {
    // Prepare / Act
    const defaults = parseTrainingSettings({});
    const custom = parseTrainingSettings({ maxSilhouetteDrop: 0.1 });
    // Assess
    expect(clusteringPromotionRule(defaults.maxSilhouetteDrop)).toEqual({
      metric: 'silhouette',
      better: 'higher',
      margin: { kind: 'absolute', value: -0.02 },
    });
    expect(clusteringPromotionRule(custom.maxSilhouetteDrop).margin.value).toBe(-0.1);
    expect(() => parseTrainingSettings({ maxSilhouetteDrop: -0.1 })).toThrow(
      'maxSilhouetteDrop must be a number from 0 to 2, got -0.1',
    );
  });

  it('promotes when there is no champion yet', () => {
    // Act
    const decision = decidePromotion({ challenger: score(0.5), rule });
    // Assess
    expect(decision.promote).toBe(true);
    expect(decision.reason).toMatch(/^no champion yet/);
    expect(decision.reason).toContain('challenger k=3 (silhouette 0.5000) promoted');
  });

  it('promotes a challenger that is worse by no more than the margin, exactly at the margin included', () => {
    // Act
    const slightlyWorse = decidePromotion({ challenger: score(0.69), champion: score(0.7, 4), rule });
    const atMargin = decidePromotion({ challenger: score(0.5), champion: score(0.52), rule });
    const better = decidePromotion({ challenger: score(0.8), champion: score(0.7), rule });
    // Assess
    expect(slightlyWorse).toEqual({
      promote: true,
      reason:
        'silhouette 0.6900 (k=3) vs champion 0.7000 (k=4) on the same data: worse by 0.01000 (allowed: worse by up to 0.02000): challenger promoted',
    });
    expect(atMargin.promote).toBe(true);
    expect(better.promote).toBe(true);
    expect(better.reason).toContain('better by 0.1000');
  });

  it('keeps the champion when the challenger is worse by more than the margin', () => {
    // Act
    const decision = decidePromotion({ challenger: score(0.6), champion: score(0.7), rule });
    // Assess
    expect(decision).toEqual({
      promote: false,
      reason:
        'silhouette 0.6000 (k=3) vs champion 0.7000 (k=3) on the same data: worse by 0.1000, allowed: worse by up to 0.02000; champion kept',
    });
  });

  it('keeps the champion when the challenger failed or puts every sensor-day in one cluster', () => {
    // Prepare
    const oneCluster = oneClusterScore();
    // Act
    const failed = decidePromotion({ challenger: { failed: 'boom' }, champion: score(0.7), rule });
    const degenerate = decidePromotion({ challenger: oneCluster, champion: score(0.7), rule });
    // Assess
    expect(oneCluster.metrics.silhouette).toBeNull();
    expect(oneCluster.unusable).toBe('all 6 sensor-days fall in one cluster');
    expect(failed).toEqual({ promote: false, reason: 'challenger training failed (boom); champion kept' });
    expect(degenerate).toEqual({
      promote: false,
      reason:
        'challenger k=2 has no usable silhouette (all 6 sensor-days fall in one cluster); champion kept',
    });
  });

  it('promotes over a champion that puts every sensor-day in one cluster or could not be scored', () => {
    // Act
    const overOneCluster = decidePromotion({ challenger: score(0.3), champion: oneClusterScore(), rule });
    const overFailed = decidePromotion({ challenger: score(0.3), champion: { failed: 'gone' }, rule });
    // Assess
    expect(overOneCluster.promote).toBe(true);
    expect(overOneCluster.reason).toContain('champion k=2 has no usable silhouette');
    expect(overFailed.promote).toBe(true);
    expect(overFailed.reason).toContain('champion could not be scored on the same data (gone)');
  });
});
