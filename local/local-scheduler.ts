import { SCHEDULED_TIME, type StateMachineDefinition } from '../lib/config/system-definition.js';
import { parseScheduleExpression, type Schedule } from './schedule-expression.js';

/** Replaces the Scheduler's context placeholder anywhere in the input, as EventBridge Scheduler does. */
export function renderScheduleInput(input: unknown, scheduledTime: Date): unknown {
  return JSON.parse(JSON.stringify(input).replaceAll(SCHEDULED_TIME, scheduledTime.toISOString()));
}

/**
 * A simulated clock that starts at `start` and runs `speed` times faster than the wall clock,
 * firing the definitions' schedules at their simulated times. A schedule whose previous
 * execution is still running skips that fire (and says so) rather than piling up executions.
 */
export class LocalScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly wallStart = Date.now();
  private readonly entries: {
    definition: StateMachineDefinition;
    schedule: Schedule;
    nextMs: number;
    running: boolean;
  }[];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      definitions: readonly StateMachineDefinition[];
      start: Date;
      speed: number;
      fire: (stateMachine: string, input: unknown, scheduledTime: Date) => Promise<void>;
      skipped?: (stateMachine: string, scheduledTime: Date) => void;
      tickMs?: number;
    },
  ) {
    const startMs = options.start.getTime();
    this.entries = options.definitions
      .filter((d) => d.schedule)
      .map((definition) => {
        const schedule = parseScheduleExpression(definition.schedule?.expression ?? '');
        return { definition, schedule, nextMs: schedule.next(startMs - 1), running: false };
      });
  }

  /** The simulated time now. */
  now(): Date {
    return new Date(this.options.start.getTime() + (Date.now() - this.wallStart) * this.options.speed);
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 200);
    this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  private tick(): void {
    const nowMs = this.now().getTime();
    for (const entry of this.entries) {
      while (entry.nextMs <= nowMs) {
        const scheduledTime = new Date(entry.nextMs);
        entry.nextMs = entry.schedule.next(entry.nextMs);
        if (entry.running) {
          this.options.skipped?.(entry.definition.name, scheduledTime);
          continue;
        }
        entry.running = true;
        const run = this.options
          .fire(
            entry.definition.name,
            renderScheduleInput(entry.definition.schedule?.input, scheduledTime),
            scheduledTime,
          )
          .finally(() => {
            entry.running = false;
            this.inFlight.delete(run);
          });
        this.inFlight.add(run);
      }
    }
  }
}
