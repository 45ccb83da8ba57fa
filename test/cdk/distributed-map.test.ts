import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPipelineStacks, type PipelineStacks } from '../../bin/app.js';
import { defaultConfig } from '../../lib/config/app-config.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { fanoutSystem } from '../fixtures/systems/fanout/system.js';
import {
  actionsOf,
  CDK_JSON_CONTEXT,
  logicalIdOf,
  type PolicyStatementJson,
  roleLogicalIdOf,
  statementsOfRole,
} from '../support/cdk-app.js';
import { runNag } from '../support/nag-findings.js';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe("a state machine with a Distributed Map: its role's permissions", () => {
  let stacks: PipelineStacks;
  let template: Template;
  const statementsOf = (machine: string): PolicyStatementJson[] =>
    statementsOfRole(
      template,
      roleLogicalIdOf(template, logicalIdOf(stacks.pipeline.stateMachines[machine] as never)),
    );
  const withAction = (statements: PolicyStatementJson[], action: string) =>
    statements.filter((statement) => actionsOf(statement).includes(action));

  beforeAll(() => {
    // Prepare / Act: the pipeline with the fixture system, no bundling (only the policies matter)
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    stacks = addPipelineStacks(app, defaultConfig, undefined, [fanoutSystem]);
    template = Template.fromStack(stacks.pipeline);
  });

  it('may start, follow, stop and redrive executions of itself, and of no other machine', () => {
    // Assess
    const statements = statementsOf('fanout-run');
    const start = withAction(statements, 'states:StartExecution');
    expect(start).toHaveLength(1);
    expect(JSON.stringify(start[0]?.Resource)).toMatch(/:stateMachine:smlp-dev-fanout-run"/);
    const follow = withAction(statements, 'states:DescribeExecution');
    expect(follow).toHaveLength(1);
    expect(actionsOf(follow[0] as PolicyStatementJson)).toEqual(
      expect.arrayContaining(['states:StopExecution', 'states:RedriveExecution']),
    );
    expect(JSON.stringify(follow[0]?.Resource)).toMatch(/:execution:smlp-dev-fanout-run\/\*"/);
  });

  it('reads and writes S3 on exactly the prefixes its s3Access declares', () => {
    // Assess
    const statements = statementsOf('fanout-run');
    const reads = withAction(statements, 's3:GetObject').map((s) => JSON.stringify(s.Resource));
    expect(reads.some((r) => r.includes('/plans/fanout/*'))).toBe(true);
    const writes = withAction(statements, 's3:PutObject');
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0]?.Resource)).toContain('/results/fanout/*');
    expect(actionsOf(writes[0] as PolicyStatementJson)).toEqual(
      expect.arrayContaining(['s3:ListMultipartUploadParts', 's3:AbortMultipartUpload']),
    );
    expect(withAction(statements, 's3:DeleteObject')).toEqual([]);
  });

  it('gives a machine without S3 access none, and no StartExecution without a Distributed Map', () => {
    // Assess: fanout-each has a Distributed Map but no reader or writer; relay-like machines have neither
    const each = statementsOf('fanout-each');
    expect(withAction(each, 's3:GetObject')).toEqual([]);
    expect(withAction(each, 's3:PutObject')).toEqual([]);
    expect(withAction(each, 'states:StartExecution')).toHaveLength(1);
    expect(withAction(statementsOf('archive'), 'states:StartExecution')).toEqual([]);
  });

  it('leaves cdk-nag nothing unacknowledged', () => {
    // Act
    const findings = runNag(
      (app) => addPipelineStacks(app, defaultConfig, undefined, [fanoutSystem]),
      outdirs,
    );

    // Assess
    expect(findings, `unacknowledged cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
  });
});

describe('the pipeline definition and a Distributed Map', () => {
  it('refuses a machine whose Distributed Map reads and writes S3 without declaring s3Access', () => {
    // Prepare
    const [run, each] = fanoutSystem.stateMachines;
    const undeclared = {
      ...fanoutSystem,
      stateMachines: [{ ...run, s3Access: undefined }, each] as typeof fanoutSystem.stateMachines,
    };

    // Act / Assess
    expect(() => pipelineDefinition([undeclared])).toThrow(
      /state machine "fanout-run": Distributed Map "Work" reads its items from S3 \(ItemReader\); declare[\s\S]*state machine "fanout-run": Distributed Map "Work" writes its results to S3 \(ResultWriter\)/,
    );
  });

  it("refuses s3Access outside the system's own prefixes", () => {
    // Prepare
    const [run, each] = fanoutSystem.stateMachines;
    const trespassing = {
      ...fanoutSystem,
      stateMachines: [
        { ...run, s3Access: { dataBucket: { read: ['plans/fanout/'], write: ['results/water/'] } } },
        each,
      ] as typeof fanoutSystem.stateMachines,
    };

    // Act / Assess
    expect(() => pipelineDefinition([trespassing])).toThrow(
      'state machine "fanout-run": dataBucket prefix "results/water/" is outside system "fanout"',
    );
  });
});
