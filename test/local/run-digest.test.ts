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
  it('gives a minute-by-minute machine its first line, then one line per simulated hour; failures always', () => {
    // Prepare
    const digest = new RunDigest([machine('poll', 'rate(1 minute)'), machine('daily', 'cron(0 3 * * ? *)')]);
    const minute = 60_000;

    // Act
    const outcomes = Array.from({ length: 61 }, (_, i) => digest.record('poll', true, i * minute));
    const failure = digest.record('poll', false, 61 * minute);
    const daily = digest.record('daily', true, 0);
    const unscheduled = digest.record('adhoc', true, 0);

    // Assess
    expect(outcomes[0]).toEqual({ ownLine: true });
    expect(outcomes.slice(1, 60).every((o) => !o.ownLine && o.digest === undefined)).toBe(true);
    expect(outcomes[60]).toEqual({
      ownLine: false,
      digest: 'poll ✔ 60 more runs succeeded in the last simulated hour',
    });
    expect(failure.ownLine).toBe(true);
    expect(daily.ownLine).toBe(true);
    expect(unscheduled.ownLine).toBe(true);
  });
});
