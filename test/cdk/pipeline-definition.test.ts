import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems } from '../../systems/index.js';
import { tallySystem } from '../fixtures/systems/tally/system.js';

/** The composition refuses, with a reason, what would otherwise fail at deploy time or in a run. */
const count = tallySystem.functions['tally-count'];
if (!count) throw new Error('fixture without its function');
const machine = tallySystem.stateMachines[0];
if (!machine) throw new Error('fixture without its state machine');

function refusal(system: SystemDefinition, others: readonly SystemDefinition[] = []): string {
  try {
    pipelineDefinition([...others, system]);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the definition to be refused');
}

describe('pipelineDefinition', () => {
  it('composes the platform with every system, and knows which system owns what', () => {
    // Act
    const definition = pipelineDefinition([...systems, tallySystem]);

    // Assess
    expect(Object.keys(definition.functions)).toEqual(
      expect.arrayContaining(['producer', 'ingest', 'archive', 'promote', 'rollback', 'tally-count']),
    );
    expect(definition.stateMachines.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'archive',
        'promote',
        'rollback',
        'water-stream',
        'sensors-stream',
        'tally-count',
      ]),
    );
    expect(definition.systemOf('tally-count')?.name).toBe('tally');
    expect(definition.systemOf('promote')).toBeUndefined();
  });

  it('refuses a function or state machine not named after its system', () => {
    // Act / Assess
    expect(refusal({ ...tallySystem, functions: { counter: count } })).toContain(
      'system "tally": function "counter" must be named "tally-…"',
    );
    expect(refusal({ ...tallySystem, stateMachines: [{ ...machine, name: 'count' }] })).toContain(
      'system "tally": state machine "count" must be named "tally-…"',
    );
  });

  it("refuses a function that reaches into another system's prefixes", () => {
    // Act
    const message = refusal({
      ...tallySystem,
      functions: { 'tally-count': { ...count, access: { artifactsBucket: { read: ['models/water/'] } } } },
    });

    // Assess
    expect(message).toContain(
      'function "tally-count": artifactsBucket prefix "models/water/" is outside system "tally" (expected "<area>/tally/…")',
    );
  });

  it("refuses a state machine that calls another system's function, or one nobody defines", () => {
    // Act
    const crossing = refusal(
      {
        ...tallySystem,
        stateMachines: [{ ...machine, functionPlaceholders: { CountFunctionArn: 'water-train' } }],
      },
      systems,
    );
    const missing = refusal({
      ...tallySystem,
      stateMachines: [{ ...machine, functionPlaceholders: { CountFunctionArn: 'tally-sum' } }],
    });

    // Assess
    expect(crossing).toContain('state machine "tally-count" calls "water-train" of system "water"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes the ASL placeholder
    expect(missing).toContain('${CountFunctionArn} names function "tally-sum", which no one defines');
  });

  it('refuses two systems of one name and a record spec of another system', () => {
    // Act / Assess
    expect(refusal(tallySystem, [tallySystem])).toContain('two systems are named "tally"');
    expect(refusal({ ...tallySystem, name: 'tallies' })).toContain(
      'system "tallies": its record spec is for "tally"',
    );
  });

  it('refuses a stream consumer or a web API that is not a function of the system', () => {
    // Prepare
    const consumer = tallySystem.streamConsumers?.[0];
    if (!consumer) throw new Error('fixture without its stream consumer');

    // Act / Assess
    expect(refusal({ ...tallySystem, streamConsumers: [{ ...consumer, functionKey: 'ingest' }] })).toContain(
      'system "tally": stream consumer "ingest" is not one of its functions',
    );
    expect(refusal({ ...tallySystem, streamConsumers: [consumer, consumer] })).toContain(
      'function "tally-watch" consumes the stream twice',
    );
    expect(
      refusal({ ...tallySystem, web: { page: 'x.tsx', title: 'Tally', apiFunction: 'tally-api' } }),
    ).toContain('system "tally": web API "tally-api" is not one of its functions');
    expect(
      refusal({ ...tallySystem, web: { page: 'x.tsx', title: 'Tally', apiFunction: 'tally-count' } }),
    ).toContain('system "tally": web API "tally-count" has no functionUrl to serve it');
  });
});
