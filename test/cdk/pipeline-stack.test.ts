import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import { PARTITION_PLACEHOLDER } from '../../lib/config/asl.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { pascalCase, stateMachineId } from '../../lib/config/platform-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { SCHEDULED_TIME } from '../../lib/config/system-definition.js';
import { systems } from '../../systems/index.js';
import {
  actionsOf,
  logicalIdOf,
  refersTo,
  roleLogicalIdOf,
  type SynthResult,
  statementsOfRole,
  synthStacks,
} from '../support/cdk-app.js';

const { functions, stateMachines, eventSource: ingestEventSource } = pipelineDefinition(systems);
type FunctionKey = string;
const functionKeys = Object.keys(functions);
const names = resourceNames(defaultConfig);
const scheduled = stateMachines.filter((definition) => definition.schedule);

describe('PipelineStack (default config, functions bundled with esbuild)', () => {
  let synth: SynthResult;
  let pipeline: Template;
  /** Logical id of each function's resource, by function key. */
  let fnIds: Record<FunctionKey, string>;
  let streamId: string;
  let dataBucketId: string;
  let artifactsBucketId: string;

  beforeAll(() => {
    // Prepare / Act: one real synthesis (esbuild per function) shared by every test below
    synth = synthStacks();
    pipeline = synth.pipeline;
    fnIds = Object.fromEntries(
      functionKeys.map((key) => [key, logicalIdOf(synth.stacks.pipeline.functions[key] as never)]),
    ) as Record<FunctionKey, string>;
    streamId = logicalIdOf(synth.stacks.data.stream);
    dataBucketId = logicalIdOf(synth.stacks.data.dataBucket);
    artifactsBucketId = logicalIdOf(synth.stacks.data.artifactsBucket);
    // esbuild bundles every function: minutes when the other core is busy, and speed is not the verdict.
  }, 300_000);

  describe('functions', () => {
    it('creates exactly one Lambda function per functions entry', () => {
      // Assess
      pipeline.resourceCountIs('AWS::Lambda::Function', functionKeys.length);
    });

    it.each(functionKeys)(
      '%s runs on nodejs22.x arm64 with its memory, timeout, tracing and log retention',
      (key) => {
        // Prepare
        const definition = functions[key];
        if (!definition) throw new Error(`no function ${key}`);

        // Assess
        pipeline.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: names.function(key),
          Description: definition.description,
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: definition.memoryMb,
          Timeout: definition.timeoutSeconds,
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
        });
        pipeline.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/lambda/${names.function(key)}`,
          RetentionInDays: 30,
        });
      },
    );

    it.each(functionKeys)('%s gets the bucket and stream names and its Powertools settings', (key) => {
      // Prepare
      const fn = pipeline.findResources('AWS::Lambda::Function')[fnIds[key] as string];
      const variables = fn?.Properties.Environment.Variables as Record<string, unknown>;

      // Assess
      expect(variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: key, POWERTOOLS_LOG_LEVEL: 'INFO' });
      expect(refersTo(variables.DATA_BUCKET, dataBucketId)).toBe(true);
      expect(refersTo(variables.ARTIFACTS_BUCKET, artifactsBucketId)).toBe(true);
      expect(refersTo(variables.STREAM_NAME, streamId)).toBe(true);
    });
  });

  describe('IAM grants from the declared access', () => {
    /**
     * Every S3 action a role has, by bucket, with the key patterns (object ARNs or listing
     * prefixes) it covers. Per resource: with minimizePolicies (cdk.json) one statement can name
     * both buckets. Patterns are sorted: the order of a statement's resources means nothing.
     */
    function s3Grants(key: string) {
      const statements = statementsOfRole(pipeline, roleLogicalIdOf(pipeline, fnIds[key] as string));
      const grants: { bucket: string; actions: string[]; patterns: string[] }[] = [];
      for (const s of statements) {
        const prefixes =
          (s.Condition as { StringLikeIfExists?: Record<string, string[]> } | undefined)
            ?.StringLikeIfExists?.['s3:prefix'] ?? [];
        for (const bucket of ['data', 'artifacts']) {
          const bucketId = bucket === 'data' ? dataBucketId : artifactsBucketId;
          const resources = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).filter((r) =>
            refersTo(r, bucketId),
          );
          if (resources.length === 0) continue;
          // Object ARNs end in "/<pattern>"; a listing is limited by its s3:prefix condition.
          const objectPatterns = resources.flatMap((r) =>
            [...JSON.stringify(r).matchAll(/"\/([^"]*)"/g)].map((m) => m[1] as string),
          );
          const patterns = objectPatterns.length > 0 ? objectPatterns : prefixes;
          grants.push({ bucket, actions: actionsOf(s), patterns: patterns.sort() });
        }
      }
      // Data bucket first, then by action: statement order means nothing either.
      return grants.sort(
        (a, b) => a.bucket.localeCompare(b.bucket) * -1 || a.actions.join().localeCompare(b.actions.join()),
      );
    }

    it('lets the ingest function write raw/ and quarantine/ objects, look into archive/ and read the stream, and nothing else', () => {
      // Prepare
      const grants = s3Grants('ingest');
      const onStream = statementsOfRole(pipeline, roleLogicalIdOf(pipeline, fnIds.ingest as string))
        .filter((s) => refersTo(s.Resource, streamId))
        .flatMap(actionsOf);

      // Assess
      expect(grants).toEqual([
        { bucket: 'data', actions: ['s3:GetObject'], patterns: ['archive/*'] },
        { bucket: 'data', actions: ['s3:ListBucket'], patterns: ['archive/*'] },
        { bucket: 'data', actions: ['s3:PutObject'], patterns: ['quarantine/*', 'raw/*'] },
      ]);
      expect(onStream).toEqual(expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator']));
    });

    it('lets the producer put records into the stream and read them back, read uploads/ and its cursor, and write what it sets aside', () => {
      // Prepare
      const statements = statementsOfRole(pipeline, roleLogicalIdOf(pipeline, fnIds.producer as string));
      const onStream = statements.filter((s) => refersTo(s.Resource, streamId)).flatMap(actionsOf);

      // Assess: reading back is an iterator and the records, no consumer or describe APIs
      expect([...new Set(onStream)].sort()).toEqual([
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
        'kinesis:PutRecord',
        'kinesis:PutRecords',
      ]);
      expect(s3Grants('producer')).toEqual([
        { bucket: 'data', actions: ['s3:GetObject'], patterns: ['state/*', 'uploads/*'] },
        { bucket: 'data', actions: ['s3:ListBucket'], patterns: ['state/*', 'uploads/*'] },
        { bucket: 'data', actions: ['s3:PutObject'], patterns: ['datasets/*', 'quarantine/*', 'state/*'] },
      ]);
    });

    it('lets only the archive function delete, only raw/ objects, and no role delete object versions', () => {
      // Prepare
      const deleting = functionKeys.flatMap((key) =>
        s3Grants(key)
          .filter((grant) => grant.actions.some((action) => action.startsWith('s3:Delete')))
          .map((grant) => ({ key, ...grant })),
      );

      // Assess
      expect(deleting).toEqual([
        { key: 'archive', bucket: 'data', actions: ['s3:DeleteObject'], patterns: ['raw/*'] },
      ]);
    });

    it.each(functionKeys.filter((key) => pipelineDefinition(systems).systemOf(key)))(
      "%s touches only its own system's prefixes in both buckets",
      (key) => {
        // Prepare
        const system = pipelineDefinition(systems).systemOf(key)?.name as string;
        const patterns = s3Grants(key).flatMap((grant) => grant.patterns);
        const access = functions[key]?.access;

        // Assess: a function that declares no bucket (the online source) gets no grant at all
        expect(patterns.length > 0).toBe(Boolean(access?.dataBucket || access?.artifactsBucket));
        for (const pattern of patterns)
          expect(pattern, `${key}: ${pattern}`).toMatch(new RegExp(`^[a-z]+/${system}/`));
      },
    );

    it("lets the HTTP endpoints read only their own system's models and data, and write nothing", () => {
      // Assess
      expect(s3Grants('water-forecast')).toEqual([
        { bucket: 'data', actions: ['s3:GetObject'], patterns: ['datasets/water/*'] },
        { bucket: 'data', actions: ['s3:ListBucket'], patterns: ['datasets/water/*'] },
        { bucket: 'artifacts', actions: ['s3:GetObject'], patterns: ['models/water/*'] },
        { bucket: 'artifacts', actions: ['s3:ListBucket'], patterns: ['models/water/*'] },
      ]);
      expect(s3Grants('sensors-endpoint').every((grant) => !grant.actions.includes('s3:PutObject'))).toBe(
        true,
      );
      expect(s3Grants('sensors-endpoint').flatMap((grant) => grant.patterns)).toEqual([
        'features/sensors/*',
        'features/sensors/*',
        'models/sensors/*',
        'models/sensors/*',
      ]);
    });

    it('gives the lifecycle functions the models of every system and nothing of the data bucket', () => {
      // Assess
      for (const key of ['promote', 'rollback']) {
        const grants = s3Grants(key);
        expect(
          grants.every((grant) => grant.bucket === 'artifacts'),
          key,
        ).toBe(true);
        expect(
          grants.flatMap((grant) => grant.patterns),
          key,
        ).toContain('models/*');
      }
    });
  });

  /** The queue's policy denies every request made without TLS. */
  function expectTlsOnly(queueLogicalId: string) {
    const policies = Object.values(pipeline.findResources('AWS::SQS::QueuePolicy')).filter((policy) =>
      refersTo(policy.Properties.Queues, queueLogicalId),
    );
    expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
  }

  describe('stream consumer', () => {
    it('maps the stream to the ingest function with the ingestEventSource settings', () => {
      // Assess: ingest, and one mapping per system stream consumer (the online learner)
      const consumers = pipelineDefinition(systems).streamConsumers;
      pipeline.resourceCountIs('AWS::Lambda::EventSourceMapping', 1 + consumers.length);
      const mapping = Object.values(pipeline.findResources('AWS::Lambda::EventSourceMapping')).find(
        (resource) => resource.Properties.FunctionName?.Ref === fnIds[ingestEventSource.functionKey],
      );
      expect(mapping?.Properties.FilterCriteria).toBeUndefined();
      expect(mapping?.Properties).toMatchObject({
        FunctionName: { Ref: fnIds[ingestEventSource.functionKey] },
        BatchSize: ingestEventSource.batchSize,
        MaximumBatchingWindowInSeconds: ingestEventSource.maxBatchingWindowSeconds,
        MaximumRetryAttempts: ingestEventSource.retryAttempts,
        MaximumRecordAgeInSeconds: ingestEventSource.maxRecordAgeSeconds,
        BisectBatchOnFunctionError: ingestEventSource.bisectBatchOnError,
        ParallelizationFactor: ingestEventSource.parallelizationFactor,
        StartingPosition: ingestEventSource.startingPosition,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [logicalIdOf(synth.stacks.pipeline.streamConsumer.deadLetterQueue), 'Arn'],
            },
          },
        },
      });
      expect(refersTo(mapping?.Properties.EventSourceArn, streamId)).toBe(true);
    });

    it('sends failed batches to an encrypted, TLS-only queue that keeps them only while the stream keeps their records', () => {
      // Prepare
      const queueId = logicalIdOf(synth.stacks.pipeline.streamConsumer.deadLetterQueue);
      const queue = pipeline.findResources('AWS::SQS::Queue')[queueId];
      const retention = queue?.Properties.MessageRetentionPeriod as number;

      // Assess: a week's stream, less the age at which the event source gives up on a record
      expect(queue?.Properties).toMatchObject({
        QueueName: `${names.function(ingestEventSource.functionKey)}-dlq`,
        SqsManagedSseEnabled: true,
      });
      expect(defaultConfig.stream.retentionHours).toBe(168);
      expect(retention).toBe(168 * 3600 - ingestEventSource.maxRecordAgeSeconds);
      expect(retention).toBeLessThanOrEqual(defaultConfig.stream.retentionHours * 3600);
      expectTlsOnly(queueId);
    });
  });

  describe('state machines', () => {
    it('creates exactly one state machine per stateMachines entry', () => {
      // Assess
      pipeline.resourceCountIs('AWS::StepFunctions::StateMachine', stateMachines.length);
    });

    it.each(stateMachines.map((d) => [d.name, d] as const))(
      '%s substitutes every placeholder with its function ARN, the partition from AWS::Partition, and logs and traces executions',
      (name, definition) => {
        // Prepare
        const stateMachine = synth.stacks.pipeline.stateMachines[name];
        const resource =
          stateMachine &&
          pipeline.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(stateMachine)];
        const props = resource?.Properties as Record<string, unknown>;
        const definitionString = props.DefinitionString as string;
        const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
        const used = new Set([...definitionString.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]));
        const declared = [
          ...Object.keys(definition.functionPlaceholders),
          ...Object.keys(definition.values ?? {}),
          PARTITION_PLACEHOLDER,
        ];
        const afterSubstitution = definitionString.replaceAll(/\$\{([^}]+)\}/g, (whole, key: string) =>
          key in substitutions ? 'arn:aws:lambda:us-east-1:123456789012:function:x' : whole,
        );

        // Assess
        expect(props.StateMachineName).toBe(names.stateMachine(name));
        expect([...used].sort()).toEqual(declared.sort());
        expect(afterSubstitution).not.toContain('${');
        for (const [placeholder, functionKey] of Object.entries(definition.functionPlaceholders)) {
          expect(substitutions[placeholder]).toEqual({ 'Fn::GetAtt': [fnIds[functionKey], 'Arn'] });
        }
        for (const [placeholder, value] of Object.entries(definition.values ?? {}))
          expect(substitutions[placeholder]).toBe(value);
        expect(substitutions[PARTITION_PLACEHOLDER]).toEqual({ Ref: 'AWS::Partition' });
        const aslFile = JSON.parse(readFileSync(join(REPO_ROOT, definition.aslFile), 'utf8'));
        expect(JSON.parse(definitionString).TimeoutSeconds).toBe(aslFile.TimeoutSeconds);
        expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
        expect(props.TracingConfiguration).toEqual({ Enabled: true });
      },
    );

    it.each(stateMachines.map((d) => [d.name, d] as const))(
      '%s may invoke exactly the functions it calls',
      (name, definition) => {
        // Prepare
        const stateMachine = synth.stacks.pipeline.stateMachines[name];
        const roleId = roleLogicalIdOf(pipeline, stateMachine ? logicalIdOf(stateMachine) : '');
        const invoke = statementsOfRole(pipeline, roleId).filter((s) =>
          actionsOf(s).includes('lambda:InvokeFunction'),
        );
        const called = new Set(Object.values(definition.functionPlaceholders));

        // Assess
        expect(invoke.length).toBeGreaterThan(0);
        for (const key of functionKeys) {
          expect(
            invoke.some((s) => refersTo(s.Resource, fnIds[key] as string)),
            `invoke ${key}`,
          ).toBe(called.has(key));
        }
      },
    );
  });

  describe('schedules', () => {
    it('creates one schedule per scheduled state machine', () => {
      // Assess
      pipeline.resourceCountIs('AWS::Scheduler::Schedule', scheduled.length);
    });

    it.each(scheduled.map((d) => [d.name, d] as const))(
      '%s starts its state machine on the expression, enabled, with the scheduled time left for Scheduler',
      (name, definition) => {
        // Prepare
        const stateMachine = synth.stacks.pipeline.stateMachines[name];
        const schedule = Object.values(pipeline.findResources('AWS::Scheduler::Schedule')).find(
          (s) => s.Properties.Name === names.stateMachine(name),
        );
        const target = schedule?.Properties.Target;

        // Assess
        expect(schedule?.Properties).toMatchObject({
          ScheduleExpression: definition.schedule?.expression,
          State: 'ENABLED',
          FlexibleTimeWindow: { Mode: 'OFF' },
        });
        expect(target.Arn).toEqual({ Ref: stateMachine && logicalIdOf(stateMachine) });
        expect(target.Input).toContain(SCHEDULED_TIME);
        expect(JSON.parse(target.Input)).toEqual(definition.schedule?.input);
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
      },
    );

    it.each(scheduled.map((d) => [d.name] as const))(
      "%s schedule role may be assumed by this account's Scheduler and start only its state machine",
      (name) => {
        // Prepare
        const stateMachine = synth.stacks.pipeline.stateMachines[name];
        const smId = stateMachine ? logicalIdOf(stateMachine) : '';
        const schedule = Object.values(pipeline.findResources('AWS::Scheduler::Schedule')).find(
          (s) => s.Properties.Name === names.stateMachine(name),
        );
        const roleId = schedule?.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
        const statements = statementsOfRole(pipeline, roleId);

        // Assess
        expect(
          pipeline.findResources('AWS::IAM::Role')[roleId]?.Properties.AssumeRolePolicyDocument.Statement,
        ).toEqual([
          expect.objectContaining({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]);
        expect(statements).toEqual([
          expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: smId } }),
          expect.objectContaining({
            Action: 'sqs:SendMessage',
            Resource: {
              'Fn::GetAtt': [logicalIdOf(synth.stacks.pipeline.scheduleDeadLetterQueue as never), 'Arn'],
            },
          }),
        ]);
      },
    );

    it.each(scheduled.map((d) => [d.name] as const))(
      '%s schedule puts a start it gave up on in the schedules dead-letter queue',
      (name) => {
        // Prepare
        const schedule = Object.values(pipeline.findResources('AWS::Scheduler::Schedule')).find(
          (s) => s.Properties.Name === names.stateMachine(name),
        );
        const queue = synth.stacks.pipeline.scheduleDeadLetterQueue;

        // Assess
        expect(queue).toBeDefined();
        expect(schedule?.Properties.Target.DeadLetterConfig).toEqual({
          Arn: { 'Fn::GetAtt': [logicalIdOf(queue as never), 'Arn'] },
        });
      },
    );

    it('shares one encrypted, TLS-only dead-letter queue between all schedules', () => {
      // Prepare
      const queueId = logicalIdOf(synth.stacks.pipeline.scheduleDeadLetterQueue as never);

      // Assess: besides it, ingest's on-failure queue, one per system stream consumer, and the
      // event rules' dead-letter queue when a system has rules
      const definition = pipelineDefinition(systems);
      pipeline.resourceCountIs(
        'AWS::SQS::Queue',
        2 + definition.streamConsumers.length + (definition.eventRules.length > 0 ? 1 : 0),
      );
      expect(pipeline.findResources('AWS::SQS::Queue')[queueId]?.Properties).toMatchObject({
        QueueName: `${defaultConfig.prefix}-${defaultConfig.stage}-schedules-dlq`,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expectTlsOnly(queueId);
    });
  });

  describe('alarms', () => {
    it("alarms on ingest's and each stream consumer's lag, errors and DLQ, and failed or timed-out executions of each state machine", () => {
      // Prepare
      const alarms = Object.values(pipeline.findResources('AWS::CloudWatch::Alarm'));

      // Assess
      // …and the event rules' dead-letter queue, and each system's own alarms on its metrics.
      const definition = pipelineDefinition(systems);
      const consumers = definition.streamConsumers;
      const ruleQueues = definition.eventRules.length > 0 ? 1 : 0;
      expect(alarms).toHaveLength(
        4 + 3 * consumers.length + 2 * stateMachines.length + ruleQueues + definition.alarms.length,
      );
      expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(
        [
          'ApproximateNumberOfMessagesVisible',
          'ApproximateNumberOfMessagesVisible',
          'Errors',
          'IteratorAge',
          ...consumers.flatMap(() => ['ApproximateNumberOfMessagesVisible', 'Errors', 'IteratorAge']),
          ...stateMachines.map(() => 'ExecutionsFailed'),
          ...stateMachines.map(() => 'ExecutionsTimedOut'),
          ...(ruleQueues ? ['ApproximateNumberOfMessagesVisible'] : []),
          ...definition.alarms.map((alarm) => alarm.metricName),
        ].sort(),
      );
      for (const alarm of alarms) {
        expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
        expect(alarm.Properties.AlarmActions).toEqual([
          { Ref: logicalIdOf(synth.stacks.pipeline.alarms.topic) },
        ]);
      }
    });

    it.each(stateMachines.map((d) => [d.name] as const))(
      '%s alarms on its first failed and its first timed-out execution',
      (name) => {
        // Prepare
        const stateMachine = synth.stacks.pipeline.stateMachines[name];
        const prefix = `${defaultConfig.prefix}-${defaultConfig.stage}-${pascalCase(name)}`;

        // Assess
        for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
          pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
            AlarmName: `${prefix}${metric}`,
            Namespace: 'AWS/States',
            MetricName: metric,
            Statistic: 'Sum',
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
            EvaluationPeriods: 1,
            Dimensions: [
              { Name: 'StateMachineArn', Value: { Ref: stateMachine && logicalIdOf(stateMachine) } },
            ],
          });
        }
      },
    );

    it('alarms as soon as one message is in either dead-letter queue', () => {
      // Prepare
      const queues = [
        synth.stacks.pipeline.streamConsumer.deadLetterQueue,
        synth.stacks.pipeline.scheduleDeadLetterQueue,
      ];

      // Assess
      for (const queue of queues) {
        pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Statistic: 'Maximum',
          Period: 300,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          Dimensions: [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue as never), 'QueueName'] } },
          ],
        });
      }
    });

    it('alarms when ingest lags more than 5 minutes behind the stream', () => {
      // Assess
      pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Statistic: 'Maximum',
        Threshold: 5 * 60 * 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnIds.ingest } }],
      });
    });

    it('notifies an SNS topic encrypted with a key CloudWatch may use, without an email subscription', () => {
      // Prepare
      const keyId = logicalIdOf(synth.stacks.pipeline.alarms.topic).replace(/Topic.*/, 'TopicKey');

      // Assess
      pipeline.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `${defaultConfig.prefix}-${defaultConfig.stage}-alarms`,
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${keyId}`), 'Arn'] },
      });
      pipeline.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
      pipeline.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
      pipeline.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  it('puts exactly the functions that ask for one behind an IAM-authenticated Function URL and outputs each URL', () => {
    // Prepare
    const withUrl = functionKeys.filter((key) => functions[key]?.functionUrl !== undefined);
    // Assess
    expect(withUrl.sort()).toEqual([
      'churn-control',
      'online-api',
      'online-source',
      'sales-api',
      'sensors-endpoint',
      'water-forecast',
    ]);
    pipeline.resourceCountIs('AWS::Lambda::Url', withUrl.length);
    for (const key of withUrl) {
      pipeline.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'AWS_IAM',
        TargetFunctionArn: { 'Fn::GetAtt': [fnIds[key], 'Arn'] },
      });
      const output = `${pascalCase(key)}FunctionUrl`;
      expect(Object.keys(pipeline.findOutputs(output))).toEqual([output]);
    }
  });

  it('the train bundle is self-contained: the fit is our own code, no worker file or WebAssembly package beside it', () => {
    // Prepare: the asset folder CDK staged for the train function
    const resource = pipeline.toJSON().Resources[fnIds['water-train'] as string] as {
      Properties: { Code: { S3Key: string } };
    };
    const assetHash = resource.Properties.Code.S3Key.replace(/\.zip$/, '');
    const assetDir = join(Stage.of(synth.stacks.pipeline)?.outdir ?? '', `asset.${assetHash}`);
    // Assess
    expect(existsSync(join(assetDir, 'index.js'))).toBe(true);
    expect(readdirSync(assetDir).sort()).toEqual(['index.js', 'index.js.map']);
  });

  it('outputs state machine ARNs, both DLQ URLs and the alarm topic', () => {
    // Assess
    for (const definition of stateMachines) {
      const stateMachine = synth.stacks.pipeline.stateMachines[definition.name];
      pipeline.hasOutput(`${stateMachineId(definition)}Arn`, {
        Value: { Ref: stateMachine && logicalIdOf(stateMachine) },
      });
    }
    pipeline.hasOutput('IngestDeadLetterQueueUrl', {
      Value: { Ref: logicalIdOf(synth.stacks.pipeline.streamConsumer.deadLetterQueue) },
    });
    pipeline.hasOutput('ScheduleDeadLetterQueueUrl', {
      Value: { Ref: logicalIdOf(synth.stacks.pipeline.scheduleDeadLetterQueue as never) },
    });
    pipeline.hasOutput('AlarmTopicArn', { Value: { Ref: logicalIdOf(synth.stacks.pipeline.alarms.topic) } });
  });
});

describe('PipelineStack (schedules disabled, alarm email given)', () => {
  let pipeline: Template;

  beforeAll(() => {
    // Prepare / Act: bundling is skipped, these tests only look at schedules and alarms
    pipeline = synthStacks({
      bundle: false,
      config: { schedulesEnabled: false, alarmEmail: 'ops@example.com' },
    }).pipeline;
  });

  it('creates every schedule disabled', () => {
    // Prepare
    const schedules = Object.values(pipeline.findResources('AWS::Scheduler::Schedule'));

    // Assess
    expect(schedules).toHaveLength(scheduled.length);
    expect(schedules.map((s) => s.Properties.State)).toEqual(scheduled.map(() => 'DISABLED'));
  });

  it('subscribes the alarm email to the topic', () => {
    // Assess
    pipeline.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
