import type { GraphEdge, StateGraph } from '../api';

const EDGE_WORDS: Record<GraphEdge['kind'], string> = {
  next: 'then',
  choice: 'when',
  default: 'otherwise',
  catch: 'on error',
};

/**
 * A machine's states top to bottom in the order a run meets them, each with the ways out of it:
 * its Next, its Choice rules, and (drawn apart, in red) the errors its Catch routes elsewhere.
 */
export function StateGraphView({ graph, machine }: { graph: StateGraph; machine: string }) {
  return (
    <ol class="state-graph" aria-label={`States of ${machine}`}>
      {graph.states.map((state) => (
        <li
          key={state.name}
          id={`state-${state.name}`}
          class={`graph-state type-${state.type.toLowerCase()}`}
          aria-label={`${state.name} (${state.type})`}
        >
          <div class="graph-state-head">
            <strong>{state.name}</strong>
            <span class="state-type">{state.type}</span>
            {state.name === graph.startAt && <span class="state-mark">start</span>}
            {state.end && <span class="state-mark">end</span>}
          </div>
          {state.comment && <p class="muted small">{state.comment}</p>}
          {state.inner.length > 0 && (
            <p class="small">
              <span class="muted">{state.type === 'Map' ? 'for each item:' : 'branches:'}</span>{' '}
              {state.inner.join(' → ')}
            </p>
          )}
          {state.edges.length > 0 && (
            <ul class="edges" aria-label={`Ways out of ${state.name}`}>
              {state.edges.map((edge) => (
                <li key={`${edge.kind}-${edge.to}-${edge.label ?? ''}`} class={`edge edge-${edge.kind}`}>
                  <span class="muted">
                    {EDGE_WORDS[edge.kind]}
                    {edge.label ? ` ${edge.label}` : ''}
                  </span>{' '}
                  → <a href={`#state-${edge.to}`}>{edge.to}</a>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
