import { type PipelineDefinition, pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { type LocalHandler, LocalStateMachines } from '../../local/state-machine-runner.js';
import { systems as allSystems } from '../../systems/index.js';

/** A local ARN for a function key, as the runtime gives them. */
export const arnOf = (key: string) => `arn:aws:lambda:us-east-1:000000000000:function:${key}`;

/**
 * The project's ASL files, run locally with stand-in handlers (by function key): tests of the
 * state machines' own logic. A function without a stand-in fails the test if it is called.
 */
export function machinesWith(
  handlers: Readonly<Record<string, LocalHandler>>,
  systems: readonly SystemDefinition[] = allSystems,
): LocalStateMachines {
  const definition: PipelineDefinition = pipelineDefinition(systems);
  const unused: LocalHandler = async () => {
    throw new Error('not expected to be called');
  };
  return new LocalStateMachines({
    repoRoot: REPO_ROOT,
    definition,
    functionArn: arnOf,
    handlers: new Map(Object.keys(definition.functions).map((key) => [arnOf(key), handlers[key] ?? unused])),
    retryIntervalMs: 1,
  });
}
