import '../polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';

/**
 * Payload templates (`"key.$": "$.path"`, `$$` context paths, intrinsic functions) evaluated the
 * way the engine evaluates them: by the engine itself, in a one-state machine whose Pass state
 * holds the template. The engine replaces `$$.Execution` of any machine it runs, so the template
 * reads `{ input, context }` instead: each path is rewritten (`$.a` → `$.input.a`, `$$.Map` →
 * `$.context.Map`) outside quoted intrinsic arguments.
 */
export class PayloadTemplate {
  private readonly machine: StateMachine;

  constructor(template: unknown) {
    const parameters = rewrite(template);
    this.machine = new StateMachine(
      {
        StartAt: 'Evaluate',
        States: { Evaluate: { Type: 'Pass', Parameters: parameters, End: true } },
      } as never,
      { validationOptions: { noValidate: true } },
    );
  }

  async evaluate(input: unknown, context: unknown): Promise<unknown> {
    try {
      return await this.machine.run({ input, context } as never).result;
    } catch (error) {
      // The engine wraps what failed (a path matching nothing) in an ExecutionError.
      const failure = ((error as { cause?: unknown }).cause ?? error) as Error;
      // The paths as the ASL wrote them, not as rewritten here.
      failure.message = failure.message.replaceAll('$.input', '$').replaceAll('$.context', '$$');
      throw failure;
    }
  }
}

/** One JSONPath (`$.plan.bucket`, `$$.Map.Item.Index`) against the input and the context. */
export async function queryPath(path: string, input: unknown, context: unknown): Promise<unknown> {
  const result = (await new PayloadTemplate({ 'value.$': path }).evaluate(input, context)) as {
    value: unknown;
  };
  return result.value;
}

function rewrite(template: unknown): unknown {
  if (Array.isArray(template)) return template.map(rewrite);
  if (typeof template !== 'object' || template === null) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => [
      key,
      key.endsWith('.$') && typeof value === 'string' ? rewritePaths(value) : rewrite(value),
    ]),
  );
}

/** Rewrites every path of an expression (a path, or an intrinsic call) outside single quotes. */
export function rewritePaths(expression: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (quoted) {
      out += char;
      if (char === '\\') {
        out += expression[i + 1] ?? '';
        i++;
      } else if (char === "'") quoted = false;
    } else if (char === "'") {
      quoted = true;
      out += char;
    } else if (char === '$' && !/[\w$]/.test(expression[i - 1] ?? '')) {
      const context = expression[i + 1] === '$';
      out += context ? '$.context' : '$.input';
      if (context) i++;
    } else out += char;
  }
  return out;
}
