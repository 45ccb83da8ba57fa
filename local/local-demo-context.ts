import type { DemoContext } from './demo-context.js';
import type { LocalRuntime } from './local-runtime.js';
import type { ExecutionRecord } from './state-machine-runner.js';

/**
 * The demo context over a local runtime: what `npm run demo` gives each system's scenario, and
 * what a system's end-to-end test gives the same scenario. `executions` collects every execution
 * the scenario ran or waited for, in the order they ended.
 */
export function localDemoContext(
  runtime: LocalRuntime,
  options: {
    say: (line: string) => void;
    days: number;
    dataDir: string;
    ingested: () => number;
    /** Called before each `run`; throwing stops the scenario (Ctrl-C). */
    beforeRun?: (stateMachine: string) => void;
  },
): { context: DemoContext; executions: ExecutionRecord[] } {
  const executions: ExecutionRecord[] = [];
  /** Names of the executions `run` started: `triggered` waits for the others. */
  const startedByRun = new Set<string>();
  let started = 0;
  const context: DemoContext = {
    async run(machine, input) {
      options.beforeRun?.(machine);
      const name = `${machine}-demo-${++started}`;
      startedByRun.add(name);
      const record = await runtime.stateMachines.startExecution(machine, input, name);
      executions.push(record);
      if (record.status !== 'SUCCEEDED')
        throw new Error(
          `${machine} execution ${record.executionName} ${record.status}: ${record.error} ${record.cause ?? ''}`,
        );
      return record.output as Record<string, unknown>;
    },
    triggered(machine, timeoutMs = 15 * 60_000) {
      let unsubscribe = () => {};
      let timer: NodeJS.Timeout | undefined;
      const finished = new Promise<Record<string, unknown>>((resolve, reject) => {
        timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`no ${machine} execution was started by its rule within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        unsubscribe = runtime.stateMachines.onExecutionEnded((record) => {
          if (record.stateMachine !== machine || startedByRun.has(record.executionName)) return;
          clearTimeout(timer);
          unsubscribe();
          executions.push(record);
          if (record.status === 'SUCCEEDED') resolve(record.output as Record<string, unknown>);
          else
            reject(
              new Error(
                `${machine} execution ${record.executionName} ${record.status}: ${record.error} ${record.cause ?? ''}`,
              ),
            );
        });
      });
      return {
        finished,
        cancel: () => {
          clearTimeout(timer);
          unsubscribe();
        },
      };
    },
    waitForIngest: () => runtime.eventSource.waitUntilIdle(),
    s3: runtime.s3,
    dataBucket: runtime.names.dataBucket,
    artifactsBucket: runtime.names.artifactsBucket,
    say: options.say,
    days: options.days,
    ingested: options.ingested,
    dataDir: options.dataDir,
  };
  return { context, executions };
}
