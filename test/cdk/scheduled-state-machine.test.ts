import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { FunctionDefinition, StateMachineDefinition } from '../../lib/config/system-definition.js';
import { ScheduledStateMachine } from '../../lib/constructs/scheduled-state-machine.js';

// Construct-level tests with inline-code functions: no bundling, so each stack takes milliseconds.
const ASL = {
  StartAt: 'Work',
  TimeoutSeconds: 600,
  States: {
    Work: {
      Type: 'Task',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, filled in by CloudFormation
      Resource: 'arn:${Partition}:states:::lambda:invoke',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, filled in by CloudFormation
      Parameters: { FunctionName: '${WorkerFunctionArn}', Payload: { 'input.$': '$' } },
      End: true,
    },
  },
};

/** What the renderer reads to give the Task its Retry policies. */
const functionDefinitions: Record<string, FunctionDefinition> = {
  ingest: {
    entry: 'lambdas/ingest/index.ts',
    description: 'worker',
    memoryMb: 128,
    timeoutSeconds: 3,
    access: {},
    errors: { permanent: ['InputError'] },
  },
};

function stackWithWorker() {
  const stack = new Stack(new App(), 'TestStack');
  const worker = new LambdaFunction(stack, 'Worker', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({})'),
  });
  return { stack, worker };
}

describe('ScheduledStateMachine', () => {
  let dir: string;
  let aslFile: string;
  let definition: StateMachineDefinition;

  beforeAll(() => {
    // Prepare: an ASL file outside the repository, addressed relative to the repository root
    dir = mkdtempSync(join(tmpdir(), 'scheduled-state-machine-'));
    writeFileSync(join(dir, 'work.asl.json'), JSON.stringify(ASL));
    aslFile = relative(REPO_ROOT, join(dir, 'work.asl.json'));
    definition = {
      name: 'work',
      aslFile,
      functionPlaceholders: { WorkerFunctionArn: 'ingest' },
    };
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates no schedule for a definition without one', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();

    // Act
    const construct = new ScheduledStateMachine(stack, 'Work', {
      definition,
      stateMachineName: 'test-work',
      functions: { ingest: worker },
      functionDefinitions,
    });

    // Assess
    expect(construct.schedule).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'test-work',
      DefinitionSubstitutions: {
        WorkerFunctionArn: { 'Fn::GetAtt': [stack.getLogicalId(worker.node.defaultChild as never), 'Arn'] },
        Partition: { Ref: 'AWS::Partition' },
      },
    });
  });

  it('lets the state machine invoke the function by the unqualified ARN its Task names, no version or alias', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();

    // Act
    new ScheduledStateMachine(stack, 'Work', {
      definition,
      stateMachineName: 'test-work',
      functions: { ingest: worker },
      functionDefinitions,
    });

    // Assess
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    expect(statements.filter((s) => s.Action === 'lambda:InvokeFunction')).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(worker.node.defaultChild as never), 'Arn'] },
      },
    ]);
  });

  it('refuses an ASL file that hard-codes the partition, and says what to write instead', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();
    const literal = {
      ...ASL,
      States: { Work: { ...ASL.States.Work, Resource: 'arn:aws:states:::lambda:invoke' } },
    };
    writeFileSync(join(dir, 'literal.asl.json'), JSON.stringify(literal));
    const hardCoded = { ...definition, aslFile: relative(REPO_ROOT, join(dir, 'literal.asl.json')) };

    // Act / Assess
    expect(
      () =>
        new ScheduledStateMachine(stack, 'Work', {
          definition: hardCoded,
          stateMachineName: 'test-work',
          functions: { ingest: worker },
          functionDefinitions,
        }),
    ).toThrow(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes the ASL placeholder
      'literal.asl.json hard-codes the partition in arn:aws:states:::lambda:invoke; expected arn:${Partition}:states:::lambda:invoke',
    );
  });

  it('refuses a definition that declares the built-in Partition placeholder itself', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();

    // Act / Assess
    expect(
      () =>
        new ScheduledStateMachine(stack, 'Work', {
          definition: { ...definition, values: { Partition: 'aws' } },
          stateMachineName: 'test-work',
          functions: { ingest: worker },
          functionDefinitions,
        }),
    ).toThrow(/Partition\} is built in/);
  });

  it('says which placeholder has no function and which functions were given', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();

    // Act / Assess
    expect(
      () =>
        new ScheduledStateMachine(stack, 'Work', {
          definition: { ...definition, functionPlaceholders: { WorkerFunctionArn: 'archive' } },
          stateMachineName: 'test-work',
          functions: { ingest: worker },
          functionDefinitions,
        }),
    ).toThrow(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes the ASL placeholder
      'State machine "work": placeholder ${WorkerFunctionArn} refers to function "archive", but only [ingest] were given',
    );
  });

  it('refuses an ASL file without TimeoutSeconds', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();
    const { TimeoutSeconds: _, ...withoutTimeout } = ASL;
    writeFileSync(join(dir, 'no-timeout.asl.json'), JSON.stringify(withoutTimeout));
    const noTimeout = { ...definition, aslFile: relative(REPO_ROOT, join(dir, 'no-timeout.asl.json')) };

    // Act / Assess
    expect(
      () =>
        new ScheduledStateMachine(stack, 'Work', {
          definition: noTimeout,
          stateMachineName: 'test-work',
          functions: { ingest: worker },
          functionDefinitions,
        }),
    ).toThrow('no-timeout.asl.json must set TimeoutSeconds to a whole number of seconds > 0, got undefined');
  });

  it('says which ASL file cannot be read', () => {
    // Prepare
    const { stack, worker } = stackWithWorker();

    // Act / Assess
    expect(
      () =>
        new ScheduledStateMachine(stack, 'Work', {
          definition: { ...definition, aslFile: 'state-machines/missing.asl.json' },
          stateMachineName: 'test-work',
          functions: { ingest: worker },
          functionDefinitions,
        }),
    ).toThrow('State machine "work": cannot read ASL file state-machines/missing.asl.json');
  });
});
