import { Worker } from 'node:worker_threads';
import type { ChildResult } from './child-execution.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

interface PoolWorker {
  worker: Worker;
  pending: Map<number, (result: ChildResult) => void>;
}

/**
 * A fixed set of worker threads that run child executions, so CPU-bound children (training)
 * use every core. Started at the first child, stopped by `close()` (the runtime's stop): no
 * thread outlives the runtime. Each worker gets a copy of this process's environment as it is
 * when the pool starts (the emulators' endpoints, the clock speed), like the handlers here.
 */
export class WorkerPool {
  private workers: PoolWorker[] = [];
  /** Threads started and not yet exited (Node's 'exit' event), terminated ones included until then. */
  private readonly alive = new Set<number>();
  private nextId = 1;
  closed = false;

  constructor(private readonly size: number) {
    if (!(Number.isInteger(size) && size > 0))
      throw new Error(`a worker pool needs at least one worker, got ${size}`);
  }

  /** How many children run at once across the pool: a few per thread, as handlers also wait on I/O. */
  get capacity(): number {
    return this.size * CHILDREN_PER_WORKER;
  }

  /** The ids of the threads that are running: none before the first child, none after `close()`. */
  get threadIds(): number[] {
    return [...this.alive];
  }

  run(request: Omit<WorkerRequest, 'id'>): Promise<ChildResult> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.workers.length === 0) this.workers = Array.from({ length: this.size }, () => this.spawn());
    const target = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve) => {
      target.pending.set(id, resolve);
      target.worker.postMessage({ ...request, id } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PoolWorker {
    const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./child-worker.ts', import.meta.url).href },
    });
    const entry: PoolWorker = { worker, pending: new Map() };
    const threadId = worker.threadId;
    this.alive.add(threadId);
    worker.on('message', (reply: WorkerReply) => {
      entry.pending.get(reply.id)?.(reply.result);
      entry.pending.delete(reply.id);
    });
    // A crashed thread fails its children (the map run's tolerance decides) and is replaced.
    const fail = (cause: string) => {
      const now = new Date().toISOString();
      for (const resolve of entry.pending.values())
        resolve({
          status: 'FAILED',
          error: 'States.Runtime',
          cause,
          startDate: now,
          stopDate: now,
          taskErrors: [],
          threadId: worker.threadId,
        });
      entry.pending.clear();
      const index = this.workers.indexOf(entry);
      if (index !== -1 && !this.closed) this.workers[index] = this.spawn();
    };
    worker.on('error', (error) => fail(`the worker thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      this.alive.delete(threadId);
      if (!this.closed) fail(`the worker thread exited (code ${code})`);
    });
    // Idle workers must not keep a finished process alive; the runtime's stop terminates them.
    worker.unref();
    return entry;
  }
}

/**
 * Children in flight per thread: two, so one computes while the other waits on S3. More would
 * not add throughput to CPU-bound children (a training batch), only delay every child's end and
 * hold more of them in memory.
 */
const CHILDREN_PER_WORKER = 2;
