/**
 * The console's JSON API, as types only: the server builds these and the web pages
 * (web/src) import them with `import type`, so both sides change together. No runtime code
 * here: the browser bundle must not pull in Node modules through this file.
 */
import type { ChampionPointer, HistoryEntry, PromotionResult } from '../../core/registry/types.js';

export type { ChampionPointer, HistoryEntry, PromotionResult };

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

/** Every error answer of the API. */
export interface ErrorView {
  error: string;
}
