import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface PipelineAlarmsProps {
  /** Prefix of alarm and topic names (`<prefix>-<stage>`). */
  readonly namePrefix: string;
  /** The function consuming the stream: its lag and errors are watched. */
  readonly ingestFunction: IFunction;
  /** The stream consumer's on-failure queue: any message in it is data that needs a look. */
  readonly deadLetterQueue: IQueue;
  /**
   * The schedules' dead-letter queue: any message in it is a scheduled run that never started.
   * @default - no schedule alarm (no schedules, or no dead-letter queue for them)
   */
  readonly scheduleDeadLetterQueue?: IQueue;
  /**
   * Systems' own stream consumers by function key: their lag, errors and on-failure queue are
   * watched as ingest's are.
   * @default - none
   */
  readonly streamConsumers?: Readonly<
    Record<string, { readonly fn: IFunction; readonly deadLetterQueue: IQueue }>
  >;
  /** State machines by their short name; any failed or timed-out execution alarms. */
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  /**
   * Email address subscribed to the alarm topic.
   * @default - no subscription (subscribe later in the console)
   */
  readonly alarmEmail?: string;
  /**
   * Oldest record age the ingest function may lag behind before alarming.
   * @default Duration.minutes(5)
   */
  readonly maxIteratorAge?: Duration;
}

/**
 * The alarms that mean "data is late or lost": ingest lag and errors, records given up on,
 * scheduled runs that never started, and failed or timed-out state machine executions. All
 * notify one SNS topic.
 */
export class PipelineAlarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;

    // A customer managed key, not alias/aws/sns: the AWS managed key's policy does not let
    // CloudWatch use it, so alarms on a topic encrypted with it never notify.
    const key = new Key(this, 'TopicKey', {
      description: `Encrypts the ${props.namePrefix} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      topicName: `${props.namePrefix}-alarms`,
      displayName: `${props.namePrefix} pipeline alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL replaces the topic's default policy, which is what let CloudWatch publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    if (props.alarmEmail) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'an e-mail SNS could not deliver would land in a queue nobody reads (its alarm could only notify this same topic); the alarm states stay in CloudWatch, and every alarm also notifies when it clears',
      });
    }

    const maxIteratorAge = props.maxIteratorAge ?? Duration.minutes(5);
    this.add('IngestIteratorAge', {
      description: `Ingest is more than ${maxIteratorAge.toHumanString()} behind the stream`,
      metric: props.ingestFunction.metric('IteratorAge', {
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: maxIteratorAge.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
    });
    this.add('IngestErrors', {
      description: 'The ingest function failed (the batch is retried, then sent to the DLQ)',
      metric: props.ingestFunction.metricErrors({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    // One message is enough: the on-failure queue keeps its pointers only as long as the stream
    // keeps the records they point at.
    this.add('DeadLetterQueueDepth', {
      description:
        'Stream records were given up on: the DLQ messages say which shard and sequence numbers; replay them before the stream drops them',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    if (props.scheduleDeadLetterQueue) {
      this.add('ScheduleDeadLetterQueueDepth', {
        description:
          'A schedule could not start its state machine after its retries: each DLQ message names the schedule and the error; start that run by hand',
        metric: props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    for (const [key, consumer] of Object.entries(props.streamConsumers ?? {})) {
      const id = toPascalCase(key);
      this.add(`${id}IteratorAge`, {
        description: `${key} is more than ${maxIteratorAge.toHumanString()} behind the stream`,
        metric: consumer.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: maxIteratorAge.toMilliseconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
      });
      this.add(`${id}Errors`, {
        description: `The ${key} stream consumer failed (the batch is retried, then sent to its DLQ)`,
        metric: consumer.fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      this.add(`${id}DeadLetterQueueDepth`, {
        description: `Stream records ${key} gave up on: the DLQ messages say which shard and sequence numbers`,
        metric: consumer.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    for (const [name, stateMachine] of Object.entries(props.stateMachines)) {
      this.add(`${toPascalCase(name)}ExecutionsFailed`, {
        description: `An execution of the ${name} state machine failed`,
        metric: stateMachine.metricFailed({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      // A run that hit the execution's TimeoutSeconds counts as timed out, not failed. Aborted
      // runs raise nothing: someone stopped them on purpose.
      this.add(`${toPascalCase(name)}ExecutionsTimedOut`, {
        description: `An execution of the ${name} state machine timed out (ran longer than its TimeoutSeconds)`,
        metric: stateMachine.metricTimedOut({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
  }

  private add(
    id: string,
    options: {
      description: string;
      metric: IMetric;
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods: number;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.namePrefix}-${id}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator,
      evaluationPeriods: options.evaluationPeriods,
      // No data means no traffic or no executions, which is not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // OK actions too, so whoever got the alarm also learns that it cleared.
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}

function toPascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
