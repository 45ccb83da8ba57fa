import { asBag, InputError, stringField } from '../../core/data/input-fields.js';

/**
 * Typed Step Functions tasks. A state machine invokes a function with
 * `{ action?, input, execution: { name, startTime } }`; a step parses `input` into its typed
 * input (or throws InputError naming the field), runs, and returns its typed output. The
 * function's errors are declared once here, by class, so the ASL renderer and the Retry/Catch
 * test know which names a handler can raise.
 */
export interface StepContext {
  /** The execution's name: the run id of everything the run writes. */
  readonly runId: string;
  /** When the execution started (ISO-8601), when the caller said. */
  readonly startTime?: string;
}

export interface Step<I, O> {
  /**
   * Reads the step's input; throws InputError with the field and what was expected. `bound` holds
   * what the state machine itself adds beside the input (a shared ASL bound to one system).
   */
  parse(input: Record<string, unknown>, bound: Record<string, unknown>): I;
  run(input: I, context: StepContext): Promise<O>;
}

// biome-ignore lint/suspicious/noExplicitAny: any constructor of an Error subclass, whatever its parameters
export type ErrorClass = new (...args: any[]) => Error;

export interface StepErrors {
  /** Thrown on purpose when retrying cannot help (bad input, a fit that cannot converge). */
  readonly permanent?: readonly ErrorClass[];
  /** Thrown on purpose when retrying does help (a concurrent writer won a conditional write). */
  readonly retryable?: readonly ErrorClass[];
}

/** A handler built from steps, with the error names it declares. */
export type StepHandler = ((event: unknown) => Promise<unknown>) & {
  readonly errors: { readonly permanent: readonly string[]; readonly retryable: readonly string[] };
  readonly actions: readonly string[];
};

/** Identity with types: lets a step's input and output types be inferred where it is written. */
export function defineStep<I, O>(step: Step<I, O>): Step<I, O> {
  return step;
}

/** The `name` an error class gives its instances (what Step Functions matches in ErrorEquals). */
export function errorName(errorClass: ErrorClass): string {
  return new errorClass().name;
}

const RUN_ID = /^[\w.-]{1,80}$/;

/**
 * One function, one or more steps chosen by `action`. InputError is always permanent: every
 * step parses its input. A single step may be invoked without `action` (a console start).
 */
export function stepHandler(options: {
  // biome-ignore lint/suspicious/noExplicitAny: steps of any input and output type
  steps: Readonly<Record<string, Step<any, unknown>>>;
  errors?: StepErrors;
  now?: () => Date;
}): StepHandler {
  const actions = Object.keys(options.steps);
  if (actions.length === 0) throw new Error('a step handler needs at least one step');
  const now = options.now ?? (() => new Date());
  const handler = async (event: unknown) => {
    const outer = asBag(event, 'step input');
    const action = outer.action ?? (actions.length === 1 ? actions[0] : undefined);
    const step = typeof action === 'string' ? options.steps[action] : undefined;
    if (!step) throw new InputError(`action must be ${oneOf(actions)}, got ${JSON.stringify(outer.action)}`);
    const execution = asBag(outer.execution, 'execution');
    const context: StepContext = {
      runId: stringField(execution, 'name', `run-${now().getTime()}`, RUN_ID),
      ...(typeof execution.startTime === 'string' ? { startTime: execution.startTime } : {}),
    };
    // A console start passes the input itself; a state machine wraps it as { input, execution }
    // and may bind values beside it (a shared ASL bound to one system).
    const { action: _action, execution: _execution, input, ...rest } = outer;
    const wrapped = 'input' in outer;
    return step.run(step.parse(wrapped ? asBag(input, 'input') : rest, wrapped ? rest : {}), context);
  };
  const names = (classes: readonly ErrorClass[] | undefined) => (classes ?? []).map(errorName);
  return Object.assign(handler, {
    errors: {
      permanent: [...new Set(['InputError', ...names(options.errors?.permanent)])],
      retryable: names(options.errors?.retryable),
    },
    actions,
  });
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function oneOf(names: readonly string[]): string {
  const quoted = names.map((name) => JSON.stringify(name));
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
