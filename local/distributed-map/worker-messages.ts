import type { ChildContext, ChildResult } from './child-execution.js';
import type { ItemProcessor } from './map-state.js';

/** Main thread → worker: run one child execution. */
export interface WorkerRequest {
  id: number;
  /** Names the ItemProcessor (machine and state), so a worker loads each one once. */
  processorKey: string;
  processor: ItemProcessor;
  /** Task state name → absolute path of the handler's entry file. */
  tasks: Record<string, string>;
  input: unknown;
  context: ChildContext;
  retryIntervalMs: number;
}

/** Worker → main thread: how it ended. */
export interface WorkerReply {
  id: number;
  result: ChildResult;
}
