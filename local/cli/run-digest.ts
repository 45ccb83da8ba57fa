import type { StateMachineDefinition } from '../../lib/config/system-definition.js';
import { parseScheduleExpression } from '../schedule-expression.js';

/** Machines scheduled more often than this print a digest instead of a line per run. */
const FREQUENT_MS = 3_600_000;

/**
 * `npm start` prints one line per execution, which reads well for hourly and daily runs; a
 * machine on `rate(1 minute)` (the online poller) would drown them at ×360. Its successful runs
 * are counted and summed up once per simulated hour instead, with the fires skipped while a run
 * was on; the first run and every failure still get their own line.
 */
export class RunDigest {
  private readonly frequent = new Set<string>();
  private readonly counts = new Map<string, { runs: number; since: number; skipped: number }>();

  constructor(definitions: readonly StateMachineDefinition[]) {
    for (const definition of definitions) {
      if (!definition.schedule) continue;
      const schedule = parseScheduleExpression(definition.schedule.expression);
      const first = schedule.next(0);
      if (schedule.next(first) - first < FREQUENT_MS) this.frequent.add(definition.name);
    }
  }

  /**
   * Whether a start, or a fire skipped while a run is on, gets its own line: always for a machine
   * scheduled hourly or less often; for a frequent one only before its first run ended.
   */
  announces(machine: string): boolean {
    return !this.frequent.has(machine) || !this.counts.has(machine);
  }

  /** A fire of a frequent machine skipped while its run was on: counted into the digest. */
  skipped(machine: string): void {
    const count = this.counts.get(machine);
    if (count) count.skipped++;
  }

  /**
   * Whether this run gets a line of its own now. A successful run of a frequent machine does not,
   * except its first; the digest line is returned when a simulated hour of them has passed.
   */
  record(machine: string, succeeded: boolean, atMs: number): { ownLine: boolean; digest?: string } {
    if (!this.frequent.has(machine) || !succeeded) return { ownLine: true };
    const count = this.counts.get(machine);
    if (!count) {
      this.counts.set(machine, { runs: 0, since: atMs, skipped: 0 });
      return { ownLine: true };
    }
    count.runs++;
    if (atMs - count.since < FREQUENT_MS) return { ownLine: false };
    const skipped =
      count.skipped > 0
        ? ` (${count.skipped} fire${count.skipped === 1 ? '' : 's'} skipped while a run was on)`
        : '';
    const digest = `${machine} ✔ ${count.runs} more run${count.runs === 1 ? '' : 's'} succeeded in the last simulated hour${skipped}`;
    this.counts.set(machine, { runs: 0, since: atMs, skipped: 0 });
    return { ownLine: false, digest };
  }
}

/** A Distributed Map run's progress as `npm start` prints it: `TrainStores: 450/1,115 items, 2 failed`. */
export function mapRunLine(run: {
  stateName: string;
  status: string;
  itemCounts: { total: number; succeeded: number; failed: number };
}): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const { total, succeeded, failed } = run.itemCounts;
  const status = run.status === 'RUNNING' ? '' : ` (${run.status.toLowerCase()})`;
  return `${run.stateName}: ${count(succeeded + failed)}/${count(total)} items${failed > 0 ? `, ${count(failed)} failed` : ''}${status}`;
}
