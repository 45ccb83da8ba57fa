/**
 * The console's JSON API, as types only: the server builds these and the web pages
 * (web/src) import them with `import type`, so both sides change together. No runtime code
 * here: the browser bundle must not pull in Node modules through this file.
 */
import type { ChampionPointer, HistoryEntry, PromotionResult } from '../../core/registry/types.js';
import type { GraphEdge, GraphState, StateGraph } from '../../ops/step-functions/graph.js';

export type { ChampionPointer, GraphEdge, GraphState, HistoryEntry, PromotionResult, StateGraph };

/** `GET /api/systems`: every system of the pipeline definition, each model with its champion. */
export interface SystemsView {
  systems: SystemView[];
}

export interface SystemView {
  name: string;
  title: string;
  /** The system's page in the repository. */
  docs: string;
  models: { name: string; champion: ChampionPointer | null }[];
  stateMachines: string[];
  /** The system's own page of the web front end (`/systems/<name>`), when it declares one. */
  web: { title: string } | null;
}

/** `GET /api/systems/:system/models/:model`: the registry of one model. */
export interface ModelView {
  system: string;
  model: string;
  champion: ChampionPointer | null;
  /** Complete versions, newest first. */
  versions: VersionView[];
  /** Champion changes, newest first. */
  history: HistoryEntry[];
}

export interface VersionView {
  version: string;
  registeredAt: string;
  champion: boolean;
  metrics: Record<string, number>;
  parameters: Record<string, unknown>;
  codeVersion: string;
  trainedOnObjects: number;
  artifact: { bytes: number; sha256: string };
  /** Where the artifact downloads as a file. */
  downloadUrl: string;
}

/** `POST /api/systems/:system/models/:model/rollback` answers with this. */
export interface RollbackView {
  result: PromotionResult;
  /** Rolled back, or the version asked for already is the champion. */
  settled: boolean;
  message: string;
}

/** `GET /api/systems/:system/reports`: the report runs under reports/<system>/, newest first. */
export interface ReportsView {
  system: string;
  runs: ReportRunView[];
}

export interface ReportRunView {
  run: string;
  /** When its newest file was written. */
  writtenAt: string;
  files: ReportFileView[];
}

export interface ReportFileView {
  name: string;
  kind: 'picture' | 'json' | 'other';
  bytes: number;
  url: string;
}

/** `GET /api/quarantine`: what ingest set aside, per system (and `unknown` for records naming none). */
export interface QuarantineView {
  systems: QuarantineSystemView[];
}

export interface QuarantineSystemView {
  system: string;
  total: number;
  objects: number;
  /** Reasons grouped by their wording with the values taken out, most frequent first. */
  byReason: { reason: string; count: number; example: string }[];
  /** The most recent records, newest first. */
  samples: QuarantineSampleView[];
}

/** One quarantined record: why, where it came from, and its text as it arrived. */
export interface QuarantineSampleView {
  reason: string;
  arrivalTime: string;
  shardId: string;
  sequenceNumber: string;
  text: string;
  truncated: boolean;
}

/** `GET /api/stream`: the ingest event source of this process. */
export interface StreamView {
  /** Since the console started. */
  totals: StreamTotals;
  /** Records delivered to ingest per bucket of `bucketSeconds`, oldest first, the last one still filling. */
  recordsIn: { at: number; records: number }[];
  bucketSeconds: number;
  shards: {
    shardId: string;
    millisBehindLatest: number | null;
    buffered: number;
  }[];
  /** Batches given up on, as sent to the on-failure destination, newest first. */
  onFailure: OnFailureView[];
  /** Failed invocations and polls, newest first. */
  recentErrors: { at: string; shardId: string; message: string }[];
}

/** One on-failure message: a batch the event source gave up on. */
export interface OnFailureView {
  at: string;
  condition: string;
  shardId: string;
  records: number;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  functionError: string | null;
}

export interface StreamTotals {
  recordsIn: number;
  failedRecords: number;
  batches: number;
  errors: number;
  onFailureRecords: number;
}

/** `GET /api/state-machines`: every state machine of the Step Functions endpoint. */
export interface StateMachinesView {
  machines: StateMachineSummaryView[];
}

export interface StateMachineSummaryView {
  /** The name in the definitions (`water-retrain`): what the pages and the CLI call it. */
  name: string;
  /** `smlp-local-water-retrain` */
  deployedName: string;
  schedule: ScheduleView | null;
  lastExecution: ExecutionSummaryView | null;
}

export interface ScheduleView {
  expression: string;
  description: string;
}

/** One execution in a list (ListExecutions). Times are ISO-8601. */
export interface ExecutionSummaryView {
  name: string;
  status: string;
  startDate: string;
  stopDate: string | null;
  redriveCount: number;
}

/** `GET /api/state-machines/:name`: its states, schedule, newest executions and this console's backfills. */
export interface StateMachineView {
  name: string;
  deployedName: string;
  stateMachineArn: string;
  schedule: ScheduleView | null;
  graph: StateGraph;
  /** Newest first. */
  executions: ExecutionSummaryView[];
  /** Backfills started from this console (since it started), newest first. */
  backfills: BackfillView[];
}

/** `POST /api/state-machines/:name/executions` answers with this (201). */
export interface StartedExecutionView {
  name: string;
  executionArn: string;
  startDate: string;
  /** The execution's page in the console. */
  page: string;
}

/** `GET /api/executions/:machine/:name`: DescribeExecution and the timeline of its states. */
export interface ExecutionView {
  machine: string;
  name: string;
  executionArn: string;
  status: string;
  startDate: string;
  stopDate: string | null;
  /** JSON text, as Step Functions keeps it. */
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  redriveCount: number;
  redriveDate: string | null;
  /** RedriveExecution would be accepted now. */
  redrivable: boolean;
  /** Why not, when the endpoint says. */
  notRedrivableReason: string | null;
  timeline: TimelineRowView[];
}

/** One state's run (see ops/step-functions/timeline.ts), times as ISO-8601. */
export interface TimelineRowView {
  state: string;
  type: string;
  enteredAt: string;
  exitedAt: string | null;
  durationMs: number | null;
  outcome: 'ok' | 'failed' | 'running';
  errors: { error: string; cause: string }[];
  input: string | null;
  output: string | null;
  /** The redrive count of the run that ran it (↻1), null in the first run. */
  redrive: number | null;
}

/** `POST /api/executions/:machine/:name/redrive` answers with this. */
export interface RedrivenView {
  name: string;
  redriveDate: string;
  message: string;
}

/**
 * `GET /api/backfills/:id`, and `POST /api/state-machines/:name/backfill` (202): a backfill the
 * console runs in the background with `smlp backfill`'s code, one scheduled time after another.
 */
export interface BackfillView {
  id: string;
  machine: string;
  from: string;
  to: string;
  /** Merged over the schedule's input. */
  input: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  /** running; finished (every time has its outcome, failed runs included); stopped: it could not go on. */
  status: 'running' | 'finished' | 'stopped';
  /** Why it stopped. */
  error: string | null;
  runs: BackfillRunView[];
}

export interface BackfillRunView {
  scheduledTime: string;
  name: string;
  /** waiting: not started yet; running: started (or found running) and followed; ended. */
  progress: 'waiting' | 'running' | 'ended';
  /** The execution's status once ended. */
  status: string | null;
  /** `ran: SUCCEEDED`, `already ran: SUCCEEDED`, `ran: FAILED (…)`, as `smlp backfill` says. */
  outcome: string | null;
  /** A backfill before this one had run that time. */
  previously: boolean;
}

/** Every error answer of the API. */
export interface ErrorView {
  error: string;
}
