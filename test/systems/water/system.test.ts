import { describe, expect, it } from 'vitest';
import { renderAsl } from '../../../lib/config/asl.js';
import { pipelineDefinition } from '../../../lib/config/pipeline-definition.js';
import { systems } from '../../../systems/index.js';
import { waterSystem } from '../../../systems/water/system.js';
import { expectRetryLeftToRendererAndDeclaredCatches } from '../../support/asl-declared-errors.js';

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
    (_, machine) => expectRetryLeftToRendererAndDeclaredCatches(machine, definition),
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
