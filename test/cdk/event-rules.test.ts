import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPipelineStacks, type PipelineStacks } from '../../bin/app.js';
import { deploymentMetricsNamespace } from '../../core/metrics/platform-metrics.js';
import { defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import type { EventRuleDefinition, SystemDefinition } from '../../lib/config/system-definition.js';
import { relaySystem } from '../fixtures/systems/relay/system.js';
import { tallySystem } from '../fixtures/systems/tally/system.js';
import {
  actionsOf,
  CDK_JSON_CONTEXT,
  logicalIdOf,
  roleLogicalIdOf,
  statementsOfRole,
} from '../support/cdk-app.js';
import { runNag } from '../support/nag-findings.js';

const names = resourceNames(defaultConfig);
const [signalRule, landedRule] = relaySystem.eventRules as [EventRuleDefinition, EventRuleDefinition];

function refusal(system: SystemDefinition, others: readonly SystemDefinition[] = []): string {
  try {
    pipelineDefinition([...others, system]);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the definition to be refused');
}

/** The fixture alone (the platform's own functions and machines come with it), bundling off. */
function synth(context: Record<string, unknown> = {}): PipelineStacks {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  return addPipelineStacks(app, defaultConfig, undefined, [relaySystem]);
}

describe('pipelineDefinition: what a system starts and reacts to stays its own', () => {
  it('collects the rules and alarms of every system', () => {
    // Act
    const definition = pipelineDefinition([tallySystem, relaySystem]);

    // Assess
    expect(definition.eventRules.map((rule) => rule.name)).toEqual([
      'relay-on-signal',
      'relay-object-landed',
    ]);
    expect(definition.alarms.map((alarm) => alarm.name)).toEqual([
      'relay-level-high',
      'relay-signals-missing',
    ]);
  });

  it("refuses a function that starts, or a rule that targets, another system's state machine", () => {
    // Prepare
    const signal = relaySystem.functions['relay-signal'];
    if (!signal) throw new Error('fixture without its function');

    // Act
    const starts = refusal(
      {
        ...relaySystem,
        functions: {
          ...relaySystem.functions,
          'relay-signal': { ...signal, startsStateMachines: ['tally-count'] },
        },
      },
      [tallySystem],
    );
    const targets = refusal({
      ...relaySystem,
      eventRules: [{ ...signalRule, target: { ...signalRule.target, stateMachine: 'archive' } }],
    });

    // Assess
    expect(starts).toContain(
      'function "relay-signal": startsStateMachines names "tally-count", which is not a state machine of system "relay" (its own: relay-react)',
    );
    expect(targets).toContain(
      'system "relay": event rule "relay-on-signal" targets "archive", which is not a state machine of the system (its own: relay-react)',
    );
  });

  it('refuses rule and alarm names, patterns, input paths and flags that would fail late', () => {
    // Prepare
    const alarm = relaySystem.alarms?.[0];
    if (!alarm) throw new Error('fixture without its alarm');

    // Act
    const message = refusal({
      ...relaySystem,
      eventRules: [
        { ...signalRule, name: 'on-signal', disableFlag: 'relay-signals' },
        {
          ...landedRule,
          pattern: { source: 'aws.s3' },
          target: { ...landedRule.target, input: { key: '$.detail.object[0]' } },
        },
      ],
      alarms: [{ ...alarm, name: 'level-high', periodSeconds: 90 }, alarm, alarm],
    });

    // Assess
    expect(message).toContain('system "relay": event rule "on-signal" must be named "relay-…"');
    expect(message).toContain(
      'event rule "on-signal": disableFlag "relay-signals" must be letters and digits',
    );
    expect(message).toContain(
      'event rule "relay-object-landed": pattern source: expected a list of values or a nested object, got "aws.s3"',
    );
    expect(message).toContain(
      'input "key": "$.detail.object[0]" is not a path of the form $.detail.object.key',
    );
    expect(message).toContain('system "relay": alarm "level-high" must be named "relay-…"');
    expect(message).toContain('alarm "level-high": periodSeconds must be 10, 30 or a multiple of 60, got 90');
    expect(message).toContain('alarm "relay-level-high" is defined twice');
  });
});

describe('the pipeline stack of a system with event rules, alarms and orchestrating functions', () => {
  let stacks: PipelineStacks;
  let pipeline: Template;
  let data: Template;
  const outdirs: string[] = [];

  beforeAll(() => {
    // Template.fromStack fails on a circular dependency: its success is the first assertion.
    stacks = synth();
    pipeline = Template.fromStack(stacks.pipeline);
    data = Template.fromStack(stacks.data);
  });
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it('has the data bucket, and only it, send its events to EventBridge, without a custom resource', () => {
    // Act
    const notifying = Object.keys(
      data.findResources('AWS::S3::Bucket', {
        Properties: { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } },
      }),
    );

    // Assess
    expect(notifying).toEqual([logicalIdOf(stacks.data.dataBucket)]);
    expect(data.findResources('Custom::S3BucketNotifications')).toEqual({});
    expect(
      data.findResources('AWS::Lambda::Function', {
        Properties: { Runtime: Match.stringLikeRegexp('python') },
      }),
    ).toEqual({});
  });

  it('builds one rule per definition: its pattern, its input transformer, its role, retries and dead-letter queue', () => {
    // Prepare
    const machineId = logicalIdOf(stacks.pipeline.stateMachines['relay-react'] as never);
    const queues = pipeline.findResources('AWS::SQS::Queue', {
      Properties: { QueueName: `${defaultConfig.prefix}-${defaultConfig.stage}-event-rules-dlq` },
    });
    const [queueId] = Object.keys(queues);

    // Assess
    pipeline.hasResourceProperties('AWS::Events::Rule', {
      Name: `${defaultConfig.prefix}-${defaultConfig.stage}-relay-on-signal`,
      EventPattern: {
        source: ['smlp.relay'],
        'detail-type': ['Relay Signal'],
        detail: { level: [{ numeric: ['>', 0.5] }] },
      },
      Targets: [
        {
          Arn: { Ref: machineId },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventRulesRelayOnSignalRole'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          InputTransformer: {
            InputPathsMap: { 'detail-reason': '$.detail.reason', 'detail-level': '$.detail.level' },
            // The event's id rides along: LocalStack's Step Functions target names the execution after it.
            InputTemplate: '{"trigger":"signal","reason":<detail-reason>,"level":<detail-level>,"id":<id>}',
          },
        },
      ],
    });
    // The bucket's name, from the data stack, in place of ${DataBucket}.
    pipeline.hasResourceProperties('AWS::Events::Rule', {
      Name: `${defaultConfig.prefix}-${defaultConfig.stage}-relay-object-landed`,
      EventPattern: {
        source: ['aws.s3'],
        detail: {
          bucket: { name: [{ 'Fn::ImportValue': Match.stringLikeRegexp('DataBucket') }] },
          object: { key: [{ prefix: 'landing/relay/' }] },
        },
      },
    });
    pipeline.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `${defaultConfig.prefix}-${defaultConfig.stage}-event-rules-dlq`,
      SqsManagedSseEnabled: true,
    });
    // Only the rules may send to it, and only over TLS.
    const queuePolicy = JSON.stringify(pipeline.findResources('AWS::SQS::QueuePolicy'));
    expect(queuePolicy).toContain('events.amazonaws.com');
    expect(queuePolicy).toContain('aws:SecureTransport');
    pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${defaultConfig.prefix}-${defaultConfig.stage}-EventRulesDeadLetterQueueDepth`,
    });
  });

  it("gives each rule's role StartExecution on its own state machine and nothing else", () => {
    // Prepare
    const machineId = logicalIdOf(stacks.pipeline.stateMachines['relay-react'] as never);
    const roleId = Object.keys(pipeline.findResources('AWS::IAM::Role')).find((id) =>
      id.startsWith('EventRulesRelayOnSignalRole'),
    );
    if (!roleId) throw new Error('no role for the rule');

    // Act
    const statements = statementsOfRole(pipeline, roleId);

    // Assess
    expect(statements.flatMap(actionsOf)).toEqual(['states:StartExecution']);
    expect(statements[0]?.Resource).toEqual({ Ref: machineId });
    pipeline.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });

  it('lets a function start the machines it names, by an ARN built from the name, and put events on the default bus', () => {
    // Prepare
    const functionId = logicalIdOf(stacks.pipeline.functions['relay-signal'] as never);
    const machineId = logicalIdOf(stacks.pipeline.stateMachines['relay-react'] as never);
    const statements = statementsOfRole(pipeline, roleLogicalIdOf(pipeline, functionId));
    const fn = pipeline.findResources('AWS::Lambda::Function')[functionId];
    const arnOf = (action: string) =>
      JSON.stringify(statements.find((statement) => actionsOf(statement).includes(action))?.Resource);

    // Assess
    expect(arnOf('states:StartExecution')).toContain(`:stateMachine:${names.stateMachine('relay-react')}`);
    expect(arnOf('states:StartExecution')).toContain('AWS::Partition');
    expect(arnOf('events:PutEvents')).toContain(':event-bus/default');
    const env = JSON.stringify(fn?.Properties.Environment.Variables.STATE_MACHINE_ARNS);
    expect(env).toContain(`\\"relay-react\\":\\"arn:`);
    expect(env).toContain(`:stateMachine:${names.stateMachine('relay-react')}`);
    // No reference to the machine (which references the function): no cycle.
    expect(JSON.stringify(fn)).not.toContain(machineId);
    // A function that declares neither gets neither.
    const react = statementsOfRole(
      pipeline,
      roleLogicalIdOf(pipeline, logicalIdOf(stacks.pipeline.functions['relay-react'] as never)),
    ).flatMap(actionsOf);
    expect(react).not.toContain('states:StartExecution');
    expect(react).not.toContain('events:PutEvents');
  });

  it("builds the system's alarm on its own metric, notifying the pipeline's alarm topic", () => {
    // Prepare
    const topicId = logicalIdOf(stacks.pipeline.alarms.topic);

    // Assess
    pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${defaultConfig.prefix}-${defaultConfig.stage}-relay-level-high`,
      AlarmDescription: 'The relay level stayed above 0.9',
      Namespace: 'smlp/relay',
      MetricName: 'RelayLevel',
      Dimensions: [{ Name: 'service', Value: 'relay-signal' }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 0.9,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${defaultConfig.prefix}-${defaultConfig.stage}-relay-signals-missing`,
      Namespace: deploymentMetricsNamespace(defaultConfig),
      ComparisonOperator: 'LessThanThreshold',
      Statistic: 'Sum',
      Period: 3600,
    });
  });

  it('leaves a rule out when its context flag is false, and only that rule', () => {
    // Act
    const template = Template.fromStack(synth({ relaySignals: 'false' }).pipeline);

    // Assess
    const ruleNames = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) => rule.Properties.Name,
    );
    expect(ruleNames).toEqual([`${defaultConfig.prefix}-${defaultConfig.stage}-relay-object-landed`]);
  });

  it('finds nothing unacknowledged by cdk-nag', () => {
    // Act
    const findings = runNag((app) => {
      addPipelineStacks(app, defaultConfig, undefined, [relaySystem]);
    }, outdirs);

    // Assess
    expect(findings, `unacknowledged cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
  });
});
