import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EventField, type EventPattern, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { isEventPath, withBucketNames, withEventId } from '../../core/events/event-input.js';
import { ruleEnabled } from '../../core/events/rule-flag.js';
import { pascalCase } from '../config/platform-definition.js';
import type { EventRuleDefinition } from '../config/system-definition.js';

export interface EventRulesProps {
  /** The systems' rules (`pipelineDefinition(…).eventRules`). */
  readonly rules: readonly EventRuleDefinition[];
  /** State machines by short name; each rule's target must be here. */
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  /** Its name replaces `${DataBucket}` in the patterns. */
  readonly dataBucket: IBucket;
  /** Its name replaces `${ArtifactsBucket}` in the patterns. */
  readonly artifactsBucket: IBucket;
  /** Prefix of rule, queue and alarm names (`<prefix>-<stage>`). */
  readonly namePrefix: string;
  /**
   * Notified when a start lands in the dead-letter queue.
   * @default - no alarm on the queue
   */
  readonly alarmAction?: IAlarmAction;
  /**
   * Retries of a failed StartExecution before the event goes to the dead-letter queue.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * An event older than this is not started any more (it goes to the dead-letter queue).
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
}

/**
 * The systems' EventBridge rules on the default bus, each starting one state machine with an
 * input built from the event (an input transformer). A rule whose `disableFlag` is `false` in the
 * context (`-c <flag>=false`) is left out. Starts that fail after the retries land, with the
 * event, in one encrypted dead-letter queue, which alarms.
 */
export class EventRules extends Construct {
  /** The rules created, by rule name (those not turned off). */
  public readonly rules: Readonly<Record<string, Rule>>;
  /** Undefined when no rule is created. */
  public readonly deadLetterQueue?: IQueue;
  /** The dead-letter queue's alarm (when an alarm action was given), for the overview dashboard. */
  public readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    const enabled = props.rules.filter((rule) => ruleEnabled(rule, (key) => this.node.tryGetContext(key)));
    const rules: Record<string, Rule> = {};
    this.rules = rules;
    if (enabled.length === 0) return;

    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${props.namePrefix}-event-rules-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: a message is the whole event, so the start can be made by hand.
      retentionPeriod: Duration.days(14),
    });
    const endOfTheLine =
      "this queue is itself the event rules' dead-letter queue; its messages are started by hand (an alarm fires on the first), so a queue behind it would have nothing to catch";
    Validations.of(deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: endOfTheLine },
      { id: 'Serverless-SQSRedrivePolicy', reason: endOfTheLine },
    );
    this.deadLetterQueue = deadLetterQueue;

    const buckets = { data: props.dataBucket.bucketName, artifacts: props.artifactsBucket.bucketName };
    for (const definition of enabled) {
      const stateMachine = props.stateMachines[definition.target.stateMachine];
      if (!stateMachine)
        throw new Error(
          `event rule "${definition.name}" targets state machine "${definition.target.stateMachine}", which is not among [${Object.keys(props.stateMachines).join(', ')}]`,
        );
      const id = pascalCase(definition.name);
      const role = new Role(this, `${id}Role`, {
        // Only rules of this account may assume it (confused-deputy protection).
        assumedBy: new ServicePrincipal('events.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `Lets the EventBridge rule ${props.namePrefix}-${definition.name} start its state machine`,
      });
      const rule = new Rule(this, id, {
        ruleName: `${props.namePrefix}-${definition.name}`,
        description: definition.description,
        eventPattern: withBucketNames(definition.pattern, buckets) as EventPattern,
      });
      // The target grants the role states:StartExecution on this one machine, and the queue
      // policy lets only this rule send to the dead-letter queue.
      rule.addTarget(
        new SfnStateMachine(stateMachine, {
          role,
          input: RuleTargetInput.fromObject(
            Object.fromEntries(
              Object.entries(withEventId(definition.target.input)).map(([field, value]) => [
                field,
                isEventPath(value) ? EventField.fromPath(value) : value,
              ]),
            ),
          ),
          deadLetterQueue,
          retryAttempts: props.retryAttempts ?? 3,
          maxEventAge: props.maxEventAge ?? Duration.hours(1),
        }),
      );
      rules[definition.name] = rule;
    }

    if (props.alarmAction) {
      const alarm = new Alarm(this, 'DeadLetterQueueDepth', {
        alarmName: `${props.namePrefix}-EventRulesDeadLetterQueueDepth`,
        alarmDescription:
          'An event rule could not start its state machine after its retries: each DLQ message holds the event; start that run by hand',
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.alarmAction);
      alarm.addOkAction(props.alarmAction);
      this.alarms.push(alarm);
    }
  }
}
