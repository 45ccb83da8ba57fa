import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../lib/config/system-definition.js';
import { RunDigest } from '../../local/cli/run-digest.js';

const machine = (name: string, expression?: string): StateMachineDefinition => ({
  name,
  aslFile: 'x.asl.json',
  functionPlaceholders: {},
  ...(expression ? { schedule: { expression, input: {}, description: '' } } : {}),
});

describe("npm start's digest of frequent runs", () => {
  it('gives a minute-by-minute machine its first lines, then one line per simulated hour with its skipped fires; failures always', () => {
    // Prepare
    const digest = new RunDigest([machine('poll', 'rate(1 minute)'), machine('daily', 'cron(0 3 * * ? *)')]);
    const minute = 60_000;

    // Act: every run but the first also had two fires skipped while it was on
    const announcedBefore = digest.announces('poll');
    const outcomes = Array.from({ length: 61 }, (_, i) => {
      if (i > 0) {
        digest.skipped('poll');
        digest.skipped('poll');
      }
      return digest.record('poll', true, i * minute);
    });
    const announcedAfter = digest.announces('poll');
    const failure = digest.record('poll', false, 61 * minute);
    const daily = digest.record('daily', true, 0);
    const unscheduled = digest.record('adhoc', true, 0);

    // Assess
    expect(outcomes[0]).toEqual({ ownLine: true });
    expect(outcomes.slice(1, 60).every((o) => !o.ownLine && o.digest === undefined)).toBe(true);
    expect(outcomes[60]).toEqual({
      ownLine: false,
      digest:
        'poll ✔ 60 more runs succeeded in the last simulated hour (120 fires skipped while a run was on)',
    });
    expect([announcedBefore, announcedAfter, digest.announces('daily')]).toEqual([true, false, true]);
    expect(failure.ownLine).toBe(true);
    expect(daily.ownLine).toBe(true);
    expect(unscheduled.ownLine).toBe(true);
  });
});
