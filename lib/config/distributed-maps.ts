/**
 * Distributed Map states of an ASL definition: the stack grants what they need on AWS (starting
 * child executions of the machine itself, S3 for ItemReader and ResultWriter), the pipeline
 * definition checks they declare their S3 access, the local runtime runs them.
 */

interface StateLike {
  Type: string;
  [field: string]: unknown;
}

export function isDistributedMap(state: StateLike): boolean {
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** Every Distributed Map of a definition, nested ones included, by state name. */
export function distributedMapStates(states: Record<string, StateLike>): [string, StateLike][] {
  return Object.entries(states).flatMap(([name, state]) => {
    const nested = [
      (state.ItemProcessor ?? state.Iterator) as { States: Record<string, StateLike> } | undefined,
      ...((state.Branches ?? []) as { States: Record<string, StateLike> }[]),
    ].flatMap((child) => (child ? distributedMapStates(child.States) : []));
    return [...(isDistributedMap(state) ? [[name, state] as [string, StateLike]] : []), ...nested];
  });
}
