import type { S3Client } from '@aws-sdk/client-s3';

/**
 * What `npm run demo` gives each system's scenario (the module named by the system's `demo`):
 * the scenario streams, trains and inspects through these, and returns its part of the summary.
 */
export interface DemoContext {
  /** Runs a state machine to its end; throws (with its error and cause) unless it succeeded. */
  run(stateMachine: string, input: unknown): Promise<Record<string, unknown>>;
  /**
   * Watches for the next execution of `stateMachine` that something other than `run` starts (an
   * EventBridge rule reacting to an S3 object or an event): call it before the action that may
   * trigger it. `finished` resolves with its output and rejects when it fails or after
   * `timeoutMs`; `cancel` stops watching when the scenario learns nothing will start it.
   */
  triggered(stateMachine: string, timeoutMs?: number): TriggeredExecution;
  /** Waits until the ingest event source has drained the stream. */
  waitForIngest(): Promise<void>;
  readonly s3: S3Client;
  readonly dataBucket: string;
  readonly artifactsBucket: string;
  /** Progress for people: goes to stderr, so `--json` leaves one line on stdout. */
  say(line: string): void;
  /** `--days`: how many days of data the scenario streams, where it has a choice. */
  readonly days: number;
  /** Records ingested so far, by every system. */
  ingested(): number;
  /** Where the demo keeps its data; a scenario may leave a picture there for people to open. */
  readonly dataDir: string;
}

/** An execution a rule will start, being watched for. */
export interface TriggeredExecution {
  readonly finished: Promise<Record<string, unknown>>;
  cancel(): void;
}

/** A system's part of the demo; its result appears in the summary under the system's name. */
export type DemoScenario = (context: DemoContext) => Promise<Record<string, unknown>>;
