import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { renderAsl, substitutions } from '../config/asl.js';
import { distributedMapStates } from '../config/distributed-maps.js';
import type { FunctionDefinition, StateMachineDefinition } from '../config/system-definition.js';
import { acknowledgeWildcardResources, type WildcardResource } from './nag-acknowledgments.js';
import { grantPrefixAccess } from './prefix-grants.js';

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
  /**
   * The buckets the definition's `s3Access` names (a Distributed Map's ItemReader and
   * ResultWriter): the role gets exactly its prefixes.
   * @default - none; a definition that declares access to a bucket not given here is an error
   */
  readonly dataBucket?: IBucket;
  readonly artifactsBucket?: IBucket;
}

/** What AWS lists for a ResultWriter besides PutObject (results larger than one part). */
const RESULT_WRITER_ACTIONS = ['s3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'];

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

    const rendered = renderAsl(definition, props.functionDefinitions);
    const logGroup = new LogGroup(this, 'LogGroup', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs resource policies small (AWS advice for
      // Step Functions log delivery).
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      definitionBody: DefinitionBody.fromString(JSON.stringify(rendered, null, 2)),
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
      ...this.grantDistributedMaps(props, rendered.States as never),
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

  /**
   * A Distributed Map runs its children as executions of this state machine: it may start them
   * (StartExecution on itself), follow and stop them (DescribeExecution, StopExecution on its
   * own executions, which AWS names `<machine>/<map run label>:<id>`) and redrive a map run; and it
   * reads and writes S3 itself (ItemReader, ResultWriter) on exactly the prefixes `s3Access`
   * declares. The ARNs are built from the name: a reference to the machine from its own role
   * would be a circular dependency.
   */
  private grantDistributedMaps(
    props: ScheduledStateMachineProps,
    states: Parameters<typeof distributedMapStates>[0],
  ): WildcardResource[] {
    const { definition } = props;
    const access = definition.s3Access;
    const wildcards: WildcardResource[] = [];
    const role = this.stateMachine;
    for (const [bucketKey, bucket, name] of [
      ['dataBucket', props.dataBucket, 'data'],
      ['artifactsBucket', props.artifactsBucket, 'artifacts'],
    ] as const) {
      const prefixes = access?.[bucketKey];
      if (!prefixes) continue;
      if (!bucket)
        throw new Error(
          `State machine "${definition.name}": s3Access names the ${name} bucket, which was not given; pass ${bucketKey} in the props`,
        );
      wildcards.push(
        ...grantPrefixAccess(role, bucket, name, prefixes, {
          who: `state machine ${definition.name}`,
          extraWriteActions: RESULT_WRITER_ACTIONS,
        }),
      );
    }
    if (distributedMapStates(states).length === 0) return wildcards;
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'states',
        resource,
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    Grant.addToPrincipal({
      grantee: role,
      actions: ['states:StartExecution'],
      resourceArns: [arn('stateMachine', props.stateMachineName)],
    });
    const children = arn('execution', `${props.stateMachineName}/*`);
    Grant.addToPrincipal({
      grantee: role,
      actions: ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
      resourceArns: [children],
    });
    wildcards.push({
      resource: children,
      reason: `a Distributed Map's child executions are named by AWS at run time (<machine>/<map run label>:<id>); the grant covers only executions of ${props.stateMachineName} itself`,
    });
    return wildcards;
  }
}
