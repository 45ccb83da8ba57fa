import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Asl, invokedFunction, LAMBDA_INVOKE, renderAsl, taskStates } from '../../../lib/config/asl.js';
import { pipelineDefinition } from '../../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../../lib/config/repo-root.js';
import { systems } from '../../../systems/index.js';
import { waterSystem } from '../../../systems/water/system.js';

/** The water system's definition against its handlers and ASL files. */
const definition = pipelineDefinition(systems);

describe('water system definition', () => {
  it.each([
    ['water-series', '../../../systems/water/handlers/series.js'],
    ['water-train', '../../../systems/water/handlers/train.js'],
    ['water-report', '../../../systems/water/handlers/report.js'],
  ])('%s declares exactly the errors its step handler throws on purpose', async (key, module) => {
    // Prepare
    const { handler } = (await import(module)) as {
      handler: { errors: { permanent: string[]; retryable: string[] } };
    };
    // Act
    const declared = waterSystem.functions[key]?.errors;
    // Assess
    expect([...(declared?.permanent ?? [])].sort()).toEqual([...handler.errors.permanent].sort());
    expect([...(declared?.retryable ?? [])].sort()).toEqual([...handler.errors.retryable].sort());
  });

  it.each(waterSystem.stateMachines.map((m) => [m.name, m] as const))(
    '%s leaves Retry to the renderer and catches only errors its functions declare',
    (_, machine) => {
      // Prepare
      const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, machine.aslFile), 'utf8')) as Asl;
      const rendered = renderAsl(machine, definition.functions);
      // Act
      const tasks = taskStates(asl.States).filter(([, state]) => state.Resource === LAMBDA_INVOKE);
      // Assess
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
    },
  );

  it('never retries a training run whose fit failed, and retries a lost series merge', () => {
    // Prepare
    const retrain = waterSystem.stateMachines.find((m) => m.name === 'water-retrain');
    if (!retrain) throw new Error('water-retrain is not defined');
    // Act
    const rendered = renderAsl(retrain, definition.functions);
    // Assess
    expect(rendered.States.Train?.Retry?.[0]).toEqual({
      ErrorEquals: ['InputError', 'FitFailed'],
      MaxAttempts: 0,
    });
    expect(rendered.States.CollectNewData?.Retry).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ErrorEquals: ['PreconditionFailedError'],
          MaxAttempts: expect.any(Number),
        }),
      ]),
    );
  });
});
