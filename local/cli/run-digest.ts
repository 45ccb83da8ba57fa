import type { StateMachineDefinition } from '../../lib/config/system-definition.js';
import { parseScheduleExpression } from '../schedule-expression.js';

/** Machines scheduled more often than this print a digest instead of a line per run. */
const FREQUENT_MS = 3_600_000;

/**
 * `npm start` prints one line per execution, which reads well for hourly and daily runs; a
 * machine on `rate(1 minute)` (the online poller) would drown them at ×360. Its successful runs
 * are counted and summed up once per simulated hour instead; the first run and every failure
 * still get their own line.
 */
export class RunDigest {
  private readonly frequent = new Set<string>();
  private readonly counts = new Map<string, { runs: number; since: number }>();

  constructor(definitions: readonly StateMachineDefinition[]) {
    for (const definition of definitions) {
      if (!definition.schedule) continue;
      const schedule = parseScheduleExpression(definition.schedule.expression);
      const first = schedule.next(0);
      if (schedule.next(first) - first < FREQUENT_MS) this.frequent.add(definition.name);
    }
  }

  /**
   * Whether this run gets a line of its own now. A successful run of a frequent machine does not,
   * except its first; the digest line is returned when a simulated hour of them has passed.
   */
  record(machine: string, succeeded: boolean, atMs: number): { ownLine: boolean; digest?: string } {
    if (!this.frequent.has(machine) || !succeeded) return { ownLine: true };
    const count = this.counts.get(machine);
    if (!count) {
      this.counts.set(machine, { runs: 0, since: atMs });
      return { ownLine: true };
    }
    count.runs++;
    if (atMs - count.since < FREQUENT_MS) return { ownLine: false };
    const digest = `${machine} ✔ ${count.runs} more run${count.runs === 1 ? '' : 's'} succeeded in the last simulated hour`;
    this.counts.set(machine, { runs: 0, since: atMs });
    return { ownLine: false, digest };
  }
}
