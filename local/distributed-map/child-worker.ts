import { pathToFileURL } from 'node:url';
import { parentPort, threadId } from 'node:worker_threads';
import type { StateMachine } from 'aws-local-stepfunctions';
import { type ChildHandler, processorMachine, runChild } from './child-execution.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

/**
 * One thread of the pool: runs child executions of map runs. Each ItemProcessor is loaded once
 * per thread: its machine, and the handlers of its Tasks imported from their entry files (the
 * files the stack bundles), so the handlers' module-scope clients and caches are per thread, as
 * they are per Lambda execution environment.
 */
const loaded = new Map<string, Promise<{ machine: StateMachine; handlers: Map<string, ChildHandler> }>>();

function load(request: WorkerRequest) {
  let entry = loaded.get(request.processorKey);
  if (!entry) {
    entry = (async () => {
      const handlers = new Map<string, ChildHandler>();
      for (const [state, file] of Object.entries(request.tasks)) {
        const module = (await import(pathToFileURL(file).href)) as { handler?: ChildHandler };
        if (typeof module.handler !== 'function')
          throw new Error(`${file} does not export a handler function`);
        handlers.set(state, module.handler);
      }
      return { machine: processorMachine(request.processor), handlers };
    })();
    loaded.set(request.processorKey, entry);
  }
  return entry;
}

parentPort?.on('message', (request: WorkerRequest) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      const { machine, handlers } = await load(request);
      const result = await runChild(machine, handlers, request.input, request.context, {
        retryIntervalMs: request.retryIntervalMs,
        threadId,
      });
      reply = { id: request.id, result };
    } catch (error) {
      const now = new Date().toISOString();
      const e = error as Error;
      reply = {
        id: request.id,
        result: {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: `the worker could not load the ItemProcessor's handlers: ${e.message}`,
          startDate: now,
          stopDate: now,
          taskErrors: [],
          threadId,
        },
      };
    }
    parentPort?.postMessage(reply);
  })();
});
