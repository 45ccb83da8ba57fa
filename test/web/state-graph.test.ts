import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { stateGraphOf } from '../../ops/step-functions/graph.js';

/** The graph the state-machine page draws, from the archive machine's own ASL. */
describe('stateGraphOf', () => {
  it('orders the states as a run meets them (errors’ states last), with Next, Choice and Catch edges, and a Map’s inner states', () => {
    // Prepare
    const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, 'state-machines', 'archive.asl.json'), 'utf8'));
    // Act
    const graph = stateGraphOf(asl);
    // Assess
    expect(graph.startAt).toBe('Plan');
    expect(graph.states[0]).toMatchObject({
      name: 'Plan',
      type: 'Task',
      end: false,
      edges: [
        { to: 'AnythingToArchive', kind: 'next' },
        { to: 'InvalidInput', kind: 'catch', label: 'InputError' },
        { to: 'ArchiveFailed', kind: 'catch', label: 'States.ALL' },
      ],
    });
    const choice = graph.states.find((state) => state.name === 'AnythingToArchive');
    expect(choice?.edges).toEqual([
      { to: 'NothingToArchive', kind: 'choice', label: '$.objectCount NumericEquals 0' },
      { to: 'MoveBatches', kind: 'default' },
    ]);
    expect(graph.states.find((state) => state.name === 'MoveBatches')?.inner).toEqual(['MoveBatch']);
    expect(graph.states.find((state) => state.name === 'ArchiveFailed')).toMatchObject({
      type: 'Fail',
      end: true,
    });
    expect(graph.states.slice(-2).map((state) => state.name)).toEqual(['InvalidInput', 'ArchiveFailed']);
    expect(new Set(graph.states.map((state) => state.name)).size).toBe(Object.keys(asl.States).length);
  });
});
