import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { renderAsl, substitutions } from '../config/asl.js';
import type { FunctionDefinition, StateMachineDefinition } from '../config/system-definition.js';
import { acknowledgeWildcardResources } from './nag-acknowledgments.js';

export interface ScheduledStateMachineProps {
  readonly definition: StateMachineDefinition;
  /** Deployed state machine name (also used for the schedule and the log group). */
  readonly stateMachineName: string;
  /** The pipeline's functions by key; each placeholder of the definition must find its function here. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Their definitions: the ASL renderer builds each Task's Retry from the errors they declare. */
  readonly functionDefinitions: Readonly<Record<string, FunctionDefinition>>;
  /**
   * Whether the schedule fires. Disabled schedules are still created so enabling one is a
   * configuration change, not a new resource.
   * @default true
   */
  readonly scheduleEnabled?: boolean;
  /**
   * How long execution logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Retries of a failed StartExecution call by EventBridge Scheduler.
   * @default 3
   */
  readonly scheduleRetryAttempts?: number;
  /**
   * Where the schedule puts a start it gave up on (after its retries, or older than an hour), with
   * the input and the error, so a dropped run can be found and started by hand.
   * @default - none: a dropped start leaves no trace
   */
  readonly scheduleDeadLetterQueue?: IQueue;
}

/**
 * A Standard state machine from an ASL file kept inline in the template (so `cdk diff` shows ASL
 * changes), with function ARNs and the partition substituted by CloudFormation, and an optional
 * EventBridge Scheduler schedule that starts it.
 */
export class ScheduledStateMachine extends Construct {
  public readonly stateMachine: StateMachine;
  /** Present when the definition has a schedule. */
  public readonly schedule?: Schedule;

  constructor(scope: Construct, id: string, props: ScheduledStateMachineProps) {
    super(scope, id);
    const { definition } = props;

    const invoked = new Map<string, IFunction>();
    for (const [placeholder, functionKey] of Object.entries(definition.functionPlaceholders)) {
      const fn = props.functions[functionKey];
      if (!fn) {
        throw new Error(
          `State machine "${definition.name}": placeholder \${${placeholder}} refers to function "${functionKey}", ` +
            `but only [${Object.keys(props.functions).join(', ')}] were given; add it to the functions prop`,
        );
      }
      invoked.set(functionKey, fn);
    }

    const logGroup = new LogGroup(this, 'LogGroup', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs resource policies small (AWS advice for
      // Step Functions log delivery).
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      definitionBody: DefinitionBody.fromString(
        JSON.stringify(renderAsl(definition, props.functionDefinitions), null, 2),
      ),
      // The same substitutions the local runtime makes, with CloudFormation's values: function
      // ARNs, and the partition (AWS::Partition) of the stack's region.
      definitionSubstitutions: substitutions(
        definition,
        (key) => (invoked.get(key) as IFunction).functionArn,
        Stack.of(this).partition,
      ),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // A definition from a string gets no automatic IAM: grant exactly the functions it calls, by
    // the unqualified ARN its Tasks name (grantInvoke would add every version and alias, ARN:*).
    for (const fn of invoked.values())
      Grant.addToPrincipal({
        grantee: this.stateMachine,
        actions: ['lambda:InvokeFunction'],
        resourceArns: [fn.functionArn],
      });
    acknowledgeWildcardResources(this.stateMachine.role, [
      {
        resource: '*',
        reason:
          'log delivery to CloudWatch Logs (logs:CreateLogDelivery and the other delivery actions) and X-Ray tracing have no resource-level permissions; the functions are granted by ARN',
      },
    ]);

    if (definition.schedule) {
      const role = new Role(this, 'ScheduleRole', {
        // Only schedules of this account may assume it (confused-deputy protection).
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `Lets EventBridge Scheduler start ${props.stateMachineName}`,
      });
      this.schedule = new Schedule(this, 'Schedule', {
        scheduleName: props.stateMachineName,
        description: definition.schedule.description,
        schedule: ScheduleExpression.expression(definition.schedule.expression),
        enabled: props.scheduleEnabled ?? true,
        timeWindow: TimeWindow.off(),
        target: new StepFunctionsStartExecution(this.stateMachine, {
          role,
          // fromObject serialises the input as is: `<aws.scheduler.scheduled-time>` stays literal
          // and Scheduler replaces it at each invocation.
          input: ScheduleTargetInput.fromObject(definition.schedule.input),
          retryAttempts: props.scheduleRetryAttempts ?? 3,
          // A start that could not happen within an hour is stale: the next run catches up.
          maxEventAge: Duration.hours(1),
          // The target adds sqs:SendMessage on the queue to the role.
          deadLetterQueue: props.scheduleDeadLetterQueue,
        }),
      });
    }
  }
}
