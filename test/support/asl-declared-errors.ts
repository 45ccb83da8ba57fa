import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { type Asl, invokedFunction, LAMBDA_INVOKE, renderAsl, taskStates } from '../../lib/config/asl.js';
import type { PipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { StateMachineDefinition } from '../../lib/config/system-definition.js';

/**
 * A system's ASL leaves Retry out of its Lambda Tasks (the renderer fills it in from the
 * functions' declared errors) and catches only `States.*` or errors those functions declare.
 */
export function expectRetryLeftToRendererAndDeclaredCatches(
  machine: StateMachineDefinition,
  definition: PipelineDefinition,
): void {
  const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, machine.aslFile), 'utf8')) as Asl;
  const rendered = renderAsl(machine, definition.functions);
  const tasks = taskStates(asl.States).filter(([, state]) => state.Resource === LAMBDA_INVOKE);
  expect(tasks.length).toBeGreaterThan(0);
  for (const [name, state] of tasks) {
    expect(state.Retry, `${machine.name} ${name}`).toBeUndefined();
    const errors = definition.functions[invokedFunction(machine, state) ?? '']?.errors ?? {};
    const declared = [...(errors.permanent ?? []), ...(errors.retryable ?? [])];
    for (const caught of (state.Catch ?? []).flatMap((c) => c.ErrorEquals))
      expect(
        caught.startsWith('States.') || declared.includes(caught),
        `${machine.name} ${name} catches ${caught}`,
      ).toBe(true);
    expect(rendered.States[name]?.Retry, `${machine.name} ${name}`).toEqual(expect.any(Array));
  }
}
