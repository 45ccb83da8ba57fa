import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addPipelineStacks } from '../../bin/app.js';
import { defaultConfig } from '../../lib/config/app-config.js';
import { selectSystems } from '../../lib/config/system-selection.js';
import { systems } from '../../systems/index.js';

describe('choosing the systems of a deployment (-c systems=…)', () => {
  it('deploys every system when none is named', () => {
    // Act / Assess
    expect(selectSystems(undefined, systems)).toBe(systems);
    expect(selectSystems('', systems)).toBe(systems);
  });

  it('deploys only the named ones, in the list’s order, and leaves the others’ functions out of the stack', () => {
    // Act
    const chosen = selectSystems('churn, water', systems);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { pipeline } = addPipelineStacks(app, defaultConfig, undefined, chosen);
    const functions = Object.values(
      Template.fromStack(pipeline).findResources('AWS::Lambda::Function') as Record<
        string,
        { Properties: { FunctionName?: string } }
      >,
    ).map((f) => JSON.stringify(f.Properties.FunctionName ?? ''));
    // Assess
    expect(chosen.map((s) => s.name)).toEqual(['water', 'churn']);
    expect(functions.some((name) => name.includes('sales-'))).toBe(false);
    expect(functions.some((name) => name.includes('churn-'))).toBe(true);
  });

  it('refuses a name that is no system, naming the systems', () => {
    // Act / Assess
    expect(() => selectSystems('water,billing', systems)).toThrow(
      /Context systems must name systems \(water, sensors, online, churn, sales\), comma-separated; got "water,billing"/,
    );
  });
});
