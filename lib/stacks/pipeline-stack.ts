import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type AppConfig, resourceNames } from '../config/app-config.js';
import {
  type FunctionKey,
  functions,
  ingestEventSource,
  stateMachines,
} from '../config/pipeline-definition.js';
import { PipelineAlarms } from '../constructs/pipeline-alarms.js';
import { PipelineFunction } from '../constructs/pipeline-function.js';
import { ScheduledStateMachine } from '../constructs/scheduled-state-machine.js';
import { StreamConsumer } from '../constructs/stream-consumer.js';

export interface PipelineStackProps extends StackProps {
  readonly config: AppConfig;
  readonly stream: IStream;
  readonly dataBucket: IBucket;
  readonly artifactsBucket: IBucket;
}

/**
 * The stateless half, built entirely from the pipeline definition: one function per
 * `functions` entry, the stream consumer, one state machine (and schedule) per `stateMachines`
 * entry, and the alarms.
 */
export class PipelineStack extends Stack {
  public readonly functions: Readonly<Record<FunctionKey, IFunction>>;
  /** State machines by their short name (`stream`, `archive`). */
  public readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  public readonly streamConsumer: StreamConsumer;
  public readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    // Strong on purpose (set before any child exists, as CDK requires): CloudFormation then
    // refuses to delete the data stack's stream and buckets while this stack still uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config } = props;
    const names = resourceNames(config);
    const namePrefix = `${config.prefix}-${config.stage}`;

    const built: Partial<Record<FunctionKey, IFunction>> = {};
    for (const [key, definition] of Object.entries(functions) as [
      FunctionKey,
      (typeof functions)[FunctionKey],
    ][]) {
      const pipelineFunction = new PipelineFunction(this, `${toPascalCase(key)}Function`, {
        functionKey: key,
        definition,
        functionName: names.function(key),
        stream: props.stream,
        dataBucket: props.dataBucket,
        artifactsBucket: props.artifactsBucket,
        ...(config.codeVersion ? { codeVersion: config.codeVersion } : {}),
      });
      built[key] = pipelineFunction.function;
      if (pipelineFunction.url) {
        new CfnOutput(this, `${toPascalCase(key)}FunctionUrl`, {
          value: pipelineFunction.url.url,
          description: `HTTPS endpoint of ${names.function(key)} (IAM auth: sign requests with SigV4)`,
        });
      }
    }
    this.functions = built as Record<FunctionKey, IFunction>;

    const ingestFunction = this.functions[ingestEventSource.functionKey];
    this.streamConsumer = new StreamConsumer(this, 'IngestStreamConsumer', {
      stream: props.stream,
      consumer: ingestFunction,
      definition: ingestEventSource,
      deadLetterQueueName: `${namePrefix}-${ingestEventSource.functionKey}-dlq`,
    });

    const machines: Record<string, IStateMachine> = {};
    for (const definition of stateMachines) {
      const stateMachineName = names.stateMachine(definition.name);
      const scheduled = new ScheduledStateMachine(this, definition.id, {
        definition,
        stateMachineName,
        functions: this.functions,
        scheduleEnabled: config.schedulesEnabled,
      });
      machines[definition.name] = scheduled.stateMachine;
      new CfnOutput(this, `${definition.id}Arn`, {
        value: scheduled.stateMachine.stateMachineArn,
        description: `State machine ${stateMachineName}: start it from the console or the CLI`,
      });
    }
    this.stateMachines = machines;

    this.alarms = new PipelineAlarms(this, 'Alarms', {
      namePrefix,
      ingestFunction,
      deadLetterQueue: this.streamConsumer.deadLetterQueue,
      stateMachines: machines,
      alarmEmail: config.alarmEmail,
    });

    new CfnOutput(this, 'IngestDeadLetterQueueUrl', {
      value: this.streamConsumer.deadLetterQueue.queueUrl,
      description: 'Stream batches the ingest function gave up on (shard and sequence numbers)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe here to receive pipeline alarms',
    });
  }
}

function toPascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
