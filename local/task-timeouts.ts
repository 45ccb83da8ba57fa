/**
 * Step Functions lets a Task without `TimeoutSeconds` run as long as the execution (its default
 * is 99,999,999 s); aws-local-stepfunctions cuts it at 60 s with States.Timeout. The engine gets
 * a copy of the definition in which every such Task, nested ones included, has the execution's
 * timeout instead, so a Task that takes two minutes locally succeeds as it does on AWS (the
 * execution's own timeout still applies). The definition AWS sees is not changed.
 */
type StateLike = { Type: string; [field: string]: unknown };

export function withExecutionLongTaskTimeouts<T extends { States: Record<string, StateLike> }>(
  asl: T,
  executionTimeoutSeconds: number,
): T {
  const copy = (states: Record<string, StateLike>): Record<string, StateLike> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        const next: StateLike = { ...state };
        if (
          state.Type === 'Task' &&
          state.TimeoutSeconds === undefined &&
          state.TimeoutSecondsPath === undefined
        )
          next.TimeoutSeconds = executionTimeoutSeconds;
        for (const key of ['ItemProcessor', 'Iterator'] as const) {
          const inner = state[key] as { States: Record<string, StateLike> } | undefined;
          if (inner) next[key] = { ...inner, States: copy(inner.States) };
        }
        const branches = state.Branches as { States: Record<string, StateLike> }[] | undefined;
        if (branches) next.Branches = branches.map((b) => ({ ...b, States: copy(b.States) }));
        return [name, next];
      }),
    );
  return { ...asl, States: copy(asl.States) };
}
