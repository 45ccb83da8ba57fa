/**
 * A state machine's states and the ways between them, read from its ASL: what a page draws as a
 * graph. Only the top level is a graph; a Map's or Parallel's inner states are listed with it.
 */
export interface StateGraph {
  startAt: string;
  comment?: string;
  /** The way a run goes when nothing fails (breadth first from StartAt), then the states errors lead to. */
  states: GraphState[];
}

export interface GraphState {
  name: string;
  /** Task, Choice, Map, Parallel, Pass, Wait, Succeed, Fail. */
  type: string;
  comment?: string;
  edges: GraphEdge[];
  /** Ends the execution: a Succeed or Fail state, or `End: true`. */
  end: boolean;
  /** A Map's item states or a Parallel's branches' states, in their order. */
  inner: string[];
}

export interface GraphEdge {
  to: string;
  /** next: Next; choice: a Choice rule; default: a Choice's Default; catch: an error a Catch routes. */
  kind: 'next' | 'choice' | 'default' | 'catch';
  /** The errors a Catch takes (`States.ALL`), or the condition of a Choice rule. */
  label?: string;
}

interface AslState {
  Type?: string;
  Comment?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ({ Next?: string } & Record<string, unknown>)[];
  Catch?: { ErrorEquals?: string[]; Next?: string }[];
  ItemProcessor?: AslMachine;
  Iterator?: AslMachine;
  Branches?: AslMachine[];
}

interface AslMachine {
  StartAt?: string;
  Comment?: string;
  States?: Record<string, AslState>;
}

export function stateGraphOf(asl: unknown): StateGraph {
  const machine = (asl ?? {}) as AslMachine;
  const states = machine.States ?? {};
  const byName = new Map(Object.entries(states).map(([name, state]) => [name, graphState(name, state)]));
  // The way a run goes when nothing fails first, then the states errors lead to, then the rest.
  const ordered: GraphState[] = [];
  const walk = (from: string[], follow: (edge: GraphEdge) => boolean) => {
    const queue = [...from];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const state = byName.get(next);
      if (!state || ordered.includes(state)) continue;
      ordered.push(state);
      queue.push(...state.edges.filter(follow).map((edge) => edge.to));
    }
  };
  walk([machine.StartAt ?? ''], (edge) => edge.kind !== 'catch');
  walk(
    ordered.flatMap((state) => state.edges.filter((edge) => edge.kind === 'catch').map((edge) => edge.to)),
    () => true,
  );
  walk([...byName.keys()], () => true);
  return {
    startAt: machine.StartAt ?? '',
    ...(machine.Comment ? { comment: machine.Comment } : {}),
    states: ordered,
  };
}

function graphState(name: string, state: AslState): GraphState {
  const edges: GraphEdge[] = [];
  if (state.Next) edges.push({ to: state.Next, kind: 'next' });
  for (const choice of state.Choices ?? [])
    if (choice.Next) edges.push({ to: choice.Next, kind: 'choice', label: conditionOf(choice) });
  if (state.Default) edges.push({ to: state.Default, kind: 'default' });
  for (const rule of state.Catch ?? [])
    if (rule.Next)
      edges.push({ to: rule.Next, kind: 'catch', label: (rule.ErrorEquals ?? ['States.ALL']).join(', ') });
  const type = state.Type ?? 'Unknown';
  const innerMachines = [state.ItemProcessor ?? state.Iterator, ...(state.Branches ?? [])];
  return {
    name,
    type,
    ...(state.Comment ? { comment: state.Comment } : {}),
    edges,
    end: state.End === true || type === 'Succeed' || type === 'Fail',
    inner: innerMachines.flatMap((inner) => Object.keys(inner?.States ?? {})),
  };
}

/** A Choice rule in a few words: `$.objectCount NumericEquals 0`. */
function conditionOf(choice: Record<string, unknown>): string {
  if (typeof choice.Condition === 'string') return choice.Condition;
  const variable = typeof choice.Variable === 'string' ? choice.Variable : '';
  const test = Object.entries(choice).find(([key]) => !['Variable', 'Next', 'Comment'].includes(key));
  if (!test) return variable || 'rule';
  const [operator, value] = test;
  return `${variable} ${operator} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`.trim();
}
