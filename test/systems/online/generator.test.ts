import { describe, expect, it } from 'vitest';
import { pearson } from '../../../systems/online/model/variable-analysis.js';
import {
  conceptAt,
  conceptDrifts,
  defectAt,
  generateOnlineRecords,
  INFORMATIVE,
  ONLINE_DEFECTS,
  ONLINE_FEATURES,
  onlineRecordAt,
  servedRecordAt,
  tickAt,
} from '../../../systems/online/records/generator.js';
import { type OnlineRecord, onlineRecordSpec } from '../../../systems/online/records/record.js';

const ARRIVAL = Date.parse('2025-01-01T00:00:00Z');
const correlation = (records: OnlineRecord[], feature: string, against: 'label' | 'target') =>
  pearson(
    records.map((r) => r.features[feature] as number),
    records.map((r) => r[against]),
  ) ?? 0;
const labelRate = (records: OnlineRecord[]) => records.filter((r) => r.label === 1).length / records.length;
const meanTarget = (records: OnlineRecord[]) => records.reduce((s, r) => s + r.target, 0) / records.length;

describe('online generator', () => {
  it('is deterministic: the same tick and seed give the same record, asked alone or in a run', () => {
    // Act
    const run = generateOnlineRecords({ seed: 13, count: 50, startTick: 1000 });
    const alone = onlineRecordAt(1020);
    // Assess
    expect(run[20]).toEqual(alone);
    expect(generateOnlineRecords({ seed: 13, count: 50, startTick: 1000 })).toEqual(run);
    expect(generateOnlineRecords({ seed: 14, count: 50, startTick: 1000 })).not.toEqual(run);
  });

  it('produces valid records, one every 2 s of source time, with the named features', () => {
    // Act
    const records = generateOnlineRecords({ seed: 13, count: 500 });
    // Assess
    expect(records.every((r) => onlineRecordSpec.validate(r, ARRIVAL).ok)).toBe(true);
    expect(records[1]?.time).toBe('2024-01-01T00:00:02.000Z');
    expect(Object.keys(records[0]?.features ?? {})).toEqual([...ONLINE_FEATURES]);
    expect(records.map((r) => r.tick)).toEqual(records.map((_, i) => i));
  });

  it('makes the label depend on its informative features and not on the irrelevant ones', () => {
    // Prepare
    const before = generateOnlineRecords({ seed: 13, count: 3000 });
    // Act
    const informative = INFORMATIVE.label.map((f) => Math.abs(correlation(before, f, 'label')));
    const irrelevant = INFORMATIVE.irrelevant.map((f) => Math.abs(correlation(before, f, 'label')));
    // Assess
    expect(Math.min(...informative)).toBeGreaterThan(0.15);
    expect(Math.max(...irrelevant)).toBeLessThan(0.06);
  });

  it('drifts abruptly at tick 3,000: heat stops predicting faults and the power draw rises', () => {
    // Prepare
    const before = generateOnlineRecords({ seed: 13, count: 2000, startTick: 1000 });
    const after = generateOnlineRecords({ seed: 13, count: 2000, startTick: 3000 });
    // Act
    const tempBefore = correlation(before, 'motor_temp_c', 'label');
    const tempAfter = correlation(after, 'motor_temp_c', 'label');
    // Assess
    expect(conceptDrifts[0]).toMatchObject({ kind: 'abrupt', tick: 3000 });
    expect(conceptAt(2999)).toBe('heat');
    expect(conceptAt(3000)).toBe('bearings');
    expect(tempBefore).toBeGreaterThan(0.45);
    expect(tempAfter).toBeLessThan(0.05);
    expect(meanTarget(after) - meanTarget(before)).toBeGreaterThan(2);
  });

  it('drifts gradually from tick 6,000 to 7,000: the share of the new concept rises from 0 to 1', () => {
    // Act
    const share = (from: number) =>
      Array.from({ length: 250 }, (_, i) => conceptAt(from + i)).filter((c) => c === 'overload').length / 250;
    // Assess
    expect(conceptDrifts[1]).toMatchObject({ kind: 'gradual', startTick: 6000, endTick: 7000 });
    expect(share(5750)).toBe(0);
    expect(share(6000)).toBeLessThan(0.25);
    expect(share(6375)).toBeGreaterThan(0.3);
    expect(share(6375)).toBeLessThan(0.7);
    expect(share(6750)).toBeGreaterThan(0.75);
    expect(share(7000)).toBe(1);
  });

  it('switches concepts every 2,000 ticks from tick 9,000 on, and the label rate moves with them', () => {
    // Prepare
    const heat = generateOnlineRecords({ seed: 13, count: 2000, startTick: 9000 });
    const overload = generateOnlineRecords({ seed: 13, count: 2000, startTick: 11000 });
    // Act
    const concepts = [9000, 10999, 11000, 12999, 13000, 15000].map((t) => conceptAt(t));
    // Assess
    expect(concepts).toEqual(['heat', 'heat', 'overload', 'overload', 'heat', 'overload']);
    expect(correlation(overload, 'load_pct', 'label')).toBeGreaterThan(
      correlation(heat, 'load_pct', 'label'),
    );
    expect(Math.abs(labelRate(heat) - labelRate(overload))).toBeLessThan(0.2);
  });

  it('serves a few broken records on a seeded schedule, each refused by the record spec', () => {
    // Act
    const served = Array.from({ length: 10_000 }, (_, tick) => servedRecordAt(tick));
    const broken = served.filter((s) => s.defect !== undefined);
    // Assess
    expect(broken.length).toBeGreaterThan(15);
    expect(broken.length).toBeLessThan(80);
    expect(new Set(broken.map((s) => s.defect))).toEqual(new Set(ONLINE_DEFECTS));
    for (const s of broken) expect(onlineRecordSpec.validate(s.data, ARRIVAL).ok, s.defect).toBe(false);
    const clean = served.filter((s) => s.defect === undefined);
    expect(clean.every((s) => onlineRecordSpec.validate(s.data, ARRIVAL).ok)).toBe(true);
    expect(defectAt(123)).toBe(servedRecordAt(123).defect);
  });

  it('numbers wall-clock moments in 2-second ticks since the epoch', () => {
    // Prepare
    const epoch = Date.parse('2024-01-01T00:00:00Z');
    // Act & Assess
    expect(tickAt(epoch, epoch + 1999)).toBe(0);
    expect(tickAt(epoch, epoch + 2000)).toBe(1);
    expect(tickAt(epoch, epoch + 86_400_000)).toBe(43_200);
  });

  it('refuses a tick that is not a whole number >= 0', () => {
    expect(() => onlineRecordAt(-1)).toThrow('tick must be a whole number >= 0, got -1');
    expect(() => onlineRecordAt(1.5)).toThrow('tick must be a whole number >= 0, got 1.5');
  });
});
