import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  inPartition,
  invokedFunction,
  LAMBDA_INVOKE,
  PARTITION_PLACEHOLDER,
  renderAsl,
  substitutions,
  taskStates,
} from '../../lib/config/asl.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { stateMachineId } from '../../lib/config/platform-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { retriersFor } from '../../lib/config/retry-policies.js';
import { SCHEDULED_TIME } from '../../lib/config/system-definition.js';
import { systems } from '../../systems/index.js';

// asl-validator ships CommonJS without type declarations: load it through require and type the
// part of its API used here (README: `const { isValid, errors, errorsText } = aslValidator(definition)`).
type AslValidator = (definition: unknown) => {
  isValid: boolean;
  errors: { message?: string }[];
  errorsText: (separator?: string) => string;
};
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const DUMMY_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:dummy';
const placeholdersIn = (text: string) =>
  [...new Set([...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]))].sort();
const { functions, stateMachines } = pipelineDefinition(systems);
/** Error names Step Functions and Lambda raise themselves, whatever the handler does. */
const SERVICE_ERROR = /^(States\.|Lambda\.|Sandbox\.)/;
/** What a Task's TimeoutSeconds is when the ASL leaves it out. */
const ASL_DEFAULT_TASK_TIMEOUT = 99_999_999;
/**
 * How much longer than its function a Task waits. Lambda counts the function's timeout from the
 * handler's start; a cold start and the invocation itself come on top, so a Task limit equal to
 * the function's can fire while the function still runs, and its result is lost.
 */
const TASK_TIMEOUT_MARGIN_SECONDS = 60;
/** The Retry rule Step Functions applies to an error: the first retrier whose ErrorEquals matches. */
function retrierFor(retry: readonly unknown[] | undefined, error: string) {
  return (retry as { ErrorEquals: string[]; MaxAttempts?: number }[] | undefined)?.find(
    (retrier) =>
      retrier.ErrorEquals.includes(error) ||
      retrier.ErrorEquals.includes('States.ALL') ||
      (retrier.ErrorEquals.includes('States.TaskFailed') && error !== 'States.Timeout'),
  );
}

describe('state machine definitions', () => {
  it('have unique ids and names', () => {
    // Prepare
    const ids = stateMachines.map(stateMachineId);
    const names = stateMachines.map((d) => d.name);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(stateMachines.filter((d) => d.schedule).map((d) => [d.name, d] as const))(
    '%s schedule input carries the scheduled-time placeholder for Scheduler to fill in',
    (_name, definition) => {
      // Assess
      expect(JSON.stringify(definition.schedule?.input)).toContain(SCHEDULED_TIME);
    },
  );

  describe.each(stateMachines.map((d) => [d.name, d] as const))('%s', (_name, definition) => {
    const path = join(REPO_ROOT, definition.aslFile);

    it('points at an existing ASL file', () => {
      // Assess
      expect(existsSync(path), `${definition.aslFile} exists`).toBe(true);
    });

    it('declares exactly the placeholders its ASL uses besides the built-in partition, each function one that is defined', () => {
      // Prepare
      const text = readFileSync(path, 'utf8');

      // Assess
      expect(placeholdersIn(text).filter((name) => name !== PARTITION_PLACEHOLDER)).toEqual(
        [...Object.keys(definition.functionPlaceholders), ...Object.keys(definition.values ?? {})].sort(),
      );
      for (const functionKey of Object.values(definition.functionPlaceholders)) {
        expect(Object.keys(functions)).toContain(functionKey);
      }
    });

    it('is valid ASL once rendered and the placeholders are replaced with the partition and ARNs', () => {
      // Prepare
      const text = inPartition(JSON.stringify(renderAsl(definition, functions)), 'aws').replaceAll(
        /\$\{[^}]+\}/g,
        DUMMY_ARN,
      );

      // Act
      const result = aslValidator(JSON.parse(text));

      // Assess
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

    it('names the partition of every service integration by placeholder, never literally', () => {
      // Prepare
      const text = readFileSync(path, 'utf8');
      const tasks = taskStates(renderAsl(definition, functions).States);

      // Assess
      expect(text).not.toMatch(/arn:aws[-a-z]*:/);
      expect(tasks.length).toBeGreaterThan(0);
      for (const [state, task] of tasks)
        expect(task.Resource, state).toMatch(/^arn:\$\{Partition\}:states:::/);
      expect(tasks.map(([, task]) => task.Resource)).toContain(LAMBDA_INVOKE);
    });

    it.each([
      ['aws', 'arn:aws:states:::lambda:invoke'],
      ['aws-cn', 'arn:aws-cn:states:::lambda:invoke'],
    ])('renders in the %s partition with the Partition substitution', (partition, invoke) => {
      // Prepare
      const values = substitutions(definition, () => DUMMY_ARN, partition);

      // Act
      const text = JSON.stringify(renderAsl(definition, functions)).replaceAll(
        /\$\{(\w+)\}/g,
        (match, name: string) => values[name] ?? match,
      );

      // Assess
      expect(text).not.toContain('${');
      for (const [state, task] of taskStates(JSON.parse(text).States))
        expect(task.Resource, state).toBe(invoke);
    });

    it('sets an execution timeout (both runtimes read it from the file)', () => {
      // Prepare
      const asl = JSON.parse(readFileSync(path, 'utf8')) as { TimeoutSeconds?: number };

      // Assess
      expect(asl.TimeoutSeconds).toBeGreaterThan(0);
    });

    it('writes no Retry by hand: every Task gets the shared policies for its function', () => {
      // Prepare
      const text = readFileSync(path, 'utf8');
      const tasks = taskStates(renderAsl(definition, functions).States);

      // Assess
      expect(text).not.toContain('"Retry"');
      for (const [state, task] of tasks) {
        const fn = functions[invokedFunction(definition, task) ?? ''];
        expect(task.Retry, state).toEqual(retriersFor(fn?.errors ?? {}));
      }
    });

    it("never retries a Task that ran out of time, by its own limit or its function's", () => {
      // Prepare
      const tasks = taskStates(renderAsl(definition, functions).States);

      // Assess: no retrier at all would do too (none is rendered today)
      for (const [state, task] of tasks)
        for (const error of ['States.Timeout', 'Sandbox.Timedout'])
          expect(retrierFor(task.Retry, error)?.MaxAttempts ?? 0, `${state} retries ${error}`).toBe(0);
    });

    it("gives each Task at least its function's timeout plus a start-up margin", () => {
      // Prepare
      const tasks = taskStates(renderAsl(definition, functions).States);

      // Assess
      expect(tasks.length).toBeGreaterThan(0);
      for (const [state, task] of tasks) {
        const fn = functions[invokedFunction(definition, task) ?? ''];
        if (!fn) throw new Error(`${state} invokes no defined function`);
        const taskTimeout = (task.TimeoutSeconds as number | undefined) ?? ASL_DEFAULT_TASK_TIMEOUT;
        expect(
          task.TimeoutSecondsPath,
          `${state}: a timeout from the input cannot be checked`,
        ).toBeUndefined();
        expect(
          taskTimeout,
          `${state}: TimeoutSeconds vs ${fn.entry} (${fn.timeoutSeconds} s)`,
        ).toBeGreaterThanOrEqual(fn.timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS);
      }
    });

    it('retries and catches only errors the invoked handler can raise', () => {
      // Prepare
      const tasks = taskStates(renderAsl(definition, functions).States);

      // Assess
      for (const [state, task] of tasks) {
        const errors = functions[invokedFunction(definition, task) ?? '']?.errors;
        const raisable = new Set([...(errors?.permanent ?? []), ...(errors?.retryable ?? [])]);
        const named = [...(task.Retry ?? []), ...(task.Catch ?? [])].flatMap(
          (rule) => (rule as { ErrorEquals: string[] }).ErrorEquals,
        );
        for (const name of named)
          expect(SERVICE_ERROR.test(name) || raisable.has(name), `${state} names ${name}`).toBe(true);
      }
    });
  });
});

describe('function definitions', () => {
  const stepFunctions = Object.entries(functions).filter(([, fn]) => fn.errors !== undefined);

  it.each(stepFunctions.map(([key, fn]) => [key, fn] as const))(
    '%s declares the same errors as its handler throws on purpose',
    async (_key, fn) => {
      // Prepare: the handler module as the runtime loads it
      const module = (await import(pathToFileURL(join(REPO_ROOT, fn.entry)).href)) as {
        handler: { errors?: { permanent: string[]; retryable: string[] } };
      };

      // Assess
      expect(module.handler.errors, fn.entry).toBeDefined();
      expect([...(module.handler.errors?.permanent ?? [])].sort()).toEqual(
        [...(fn.errors?.permanent ?? [])].sort(),
      );
      expect([...(module.handler.errors?.retryable ?? [])].sort()).toEqual(
        [...(fn.errors?.retryable ?? [])].sort(),
      );
    },
  );
});
