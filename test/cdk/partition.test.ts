import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { addPipelineStacks } from '../../bin/app.js';
import { defaultConfig } from '../../lib/config/app-config.js';
import { inPartition, LAMBDA_INVOKE, taskStates } from '../../lib/config/asl.js';
import { CDK_JSON_CONTEXT } from '../support/cdk-app.js';

interface StateMachineProperties {
  StateMachineName: string;
  DefinitionString: string;
  DefinitionSubstitutions: Record<string, unknown>;
}

/** cdk.json targets aws and aws-cn: the same templates must deploy to both. */
describe.each([
  ['environment-agnostic (partition known only at deploy time)', undefined],
  ['bound to cn-north-1 (aws-cn)', { account: '123456789012', region: 'cn-north-1' }],
])('partitions, stacks %s', (_name, env) => {
  let templates: Template[];
  let stateMachines: StateMachineProperties[];

  beforeAll(() => {
    // Prepare / Act: bundling off, ARNs do not depend on the code
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const stacks = addPipelineStacks(app, defaultConfig, env);
    templates = [Template.fromStack(stacks.data), Template.fromStack(stacks.pipeline)];
    stateMachines = Object.values(
      (templates[1] as Template).findResources('AWS::StepFunctions::StateMachine'),
    ).map((resource) => resource.Properties as StateMachineProperties);
  });

  it('hard-codes no partition in any ARN of either template', () => {
    // Assess
    for (const template of templates)
      expect(JSON.stringify(template.toJSON())).not.toMatch(/arn:aws[-a-z]*:/);
  });

  it("has CloudFormation substitute every definition's partition from AWS::Partition", () => {
    // Assess
    expect(stateMachines.length).toBeGreaterThan(0);
    for (const { StateMachineName, DefinitionString, DefinitionSubstitutions } of stateMachines) {
      expect(DefinitionSubstitutions.Partition, StateMachineName).toEqual({ Ref: 'AWS::Partition' });
      expect(DefinitionString, StateMachineName).toContain(LAMBDA_INVOKE);
    }
  });

  it('deploys definitions whose Tasks call the aws-cn integration when AWS::Partition is aws-cn', () => {
    // Act: what CloudFormation makes of each definition in the aws-cn partition
    const deployed = stateMachines.map(({ StateMachineName, DefinitionString }) => ({
      name: StateMachineName,
      asl: JSON.parse(inPartition(DefinitionString, 'aws-cn')),
    }));

    // Assess
    for (const { name, asl } of deployed) {
      const tasks = taskStates(asl.States);
      expect(tasks.length, name).toBeGreaterThan(0);
      for (const [state, task] of tasks)
        expect(task.Resource, `${name} ${state}`).toBe('arn:aws-cn:states:::lambda:invoke');
    }
  });
});
