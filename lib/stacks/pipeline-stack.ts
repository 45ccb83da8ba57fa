import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountPrincipal, ArnPrincipal, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IFunction, IFunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { deploymentMetricsNamespace } from '../../core/metrics/platform-metrics.js';
import { type AppConfig, resourceNames } from '../config/app-config.js';
import type { PipelineDefinition } from '../config/pipeline-definition.js';
import { pascalCase, type platformFunctions, stateMachineId } from '../config/platform-definition.js';
import { REPO_ROOT } from '../config/repo-root.js';
import { EventRules } from '../constructs/event-rules.js';
import { GlueTables } from '../constructs/glue-tables.js';
import { grantOrchestration } from '../constructs/orchestration-grants.js';
import { OverviewDashboard } from '../constructs/overview-dashboard.js';
import { PipelineAlarms } from '../constructs/pipeline-alarms.js';
import { PipelineFunction } from '../constructs/pipeline-function.js';
import { ScheduledStateMachine } from '../constructs/scheduled-state-machine.js';
import { StreamConsumer } from '../constructs/stream-consumer.js';
import { SystemAlarms } from '../constructs/system-alarms.js';
import { WebDistribution } from '../constructs/web-distribution.js';

export interface PipelineStackProps extends StackProps {
  readonly config: AppConfig;
  readonly stream: IStream;
  readonly dataBucket: IBucket;
  readonly artifactsBucket: IBucket;
  /** The platform and the systems to deploy (`pipelineDefinition(systems)`). */
  readonly definition: PipelineDefinition;
  /**
   * The built pages the web distribution serves (only read with `config.webDistribution`).
   * @default - web/dist, where `npm run build:web` puts them
   */
  readonly webAssetsDir?: string;
}

/**
 * The stateless half, built entirely from the pipeline definition: one function per function of
 * the platform and of each system, the stream consumer, one state machine (and schedule) per
 * state machine, the schedules' dead-letter queue, the alarms and the overview dashboard.
 * Construct ids derive from the keys (`water-train` → `WaterTrainFunction`) and are part of the
 * deployed contract: a CDK test pins them.
 */
export class PipelineStack extends Stack {
  /** Functions by key (`producer`, `water-train`). */
  public readonly functions: Readonly<Record<string, IFunction>>;
  /** Function URLs by function key, for the functions that have one. */
  public readonly functionUrls: Readonly<Record<string, IFunctionUrl>>;
  /** State machines by their short name (`archive`, `water-retrain`). */
  public readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  public readonly streamConsumer: StreamConsumer;
  /** Systems' own stream consumers by function key (each with its filter and on-failure queue). */
  public readonly systemStreamConsumers: Readonly<Record<string, StreamConsumer>>;
  /** Where the schedules put starts they gave up on; undefined when nothing is scheduled. */
  public readonly scheduleDeadLetterQueue?: IQueue;
  public readonly alarms: PipelineAlarms;
  /** The systems' EventBridge rules (those their context flags leave on) and their dead-letter queue. */
  public readonly eventRules: EventRules;
  public readonly dashboard: OverviewDashboard;
  /** The systems' pages and APIs behind CloudFront; only with `webDistribution`. */
  public readonly webDistribution?: WebDistribution;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    // Strong on purpose (set before any child exists, as CDK requires): CloudFormation then
    // refuses to delete the data stack's stream and buckets while this stack still uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, definition: pipeline } = props;
    const names = resourceNames(config);
    const namePrefix = `${config.prefix}-${config.stage}`;
    // Every handler publishes into this deployment's own namespace; the dashboard reads it.
    const metricsNamespace = deploymentMetricsNamespace(config);

    const functionUrlCallers = config.functionUrlCallers.map(callerPrincipal);
    const built: Record<string, IFunction> = {};
    const urls: Record<string, IFunctionUrl> = {};
    for (const [key, definition] of Object.entries(pipeline.functions)) {
      const pipelineFunction = new PipelineFunction(this, `${pascalCase(key)}Function`, {
        functionKey: key,
        definition,
        functionName: names.function(key),
        stream: props.stream,
        dataBucket: props.dataBucket,
        artifactsBucket: props.artifactsBucket,
        ...(config.codeVersion ? { codeVersion: config.codeVersion } : {}),
        functionUrlCallers,
      });
      pipelineFunction.function.addEnvironment('METRICS_NAMESPACE', metricsNamespace);
      grantOrchestration(pipelineFunction.function, definition, names.stateMachine);
      built[key] = pipelineFunction.function;
      if (pipelineFunction.url) {
        urls[key] = pipelineFunction.url;
        new CfnOutput(this, `${pascalCase(key)}FunctionUrl`, {
          value: pipelineFunction.url.url,
          description: `HTTPS endpoint of ${names.function(key)} (IAM auth: sign requests with SigV4)`,
        });
      }
    }
    this.functions = built;
    this.functionUrls = urls;

    const ingestEventSource = pipeline.eventSource;
    const ingestFunction = built[ingestEventSource.functionKey];
    if (!ingestFunction)
      throw new Error(
        `the event source names function "${ingestEventSource.functionKey}", which is not defined`,
      );
    this.streamConsumer = new StreamConsumer(this, 'IngestStreamConsumer', {
      stream: props.stream,
      consumer: ingestFunction,
      definition: ingestEventSource,
      // The stream's own setting (the data stack sets it from the same config).
      streamRetention: Duration.hours(config.stream.retentionHours),
      deadLetterQueueName: `${namePrefix}-${ingestEventSource.functionKey}-dlq`,
    });

    const systemConsumers: Record<string, StreamConsumer> = {};
    for (const { definition, filter } of pipeline.streamConsumers) {
      const consumer = built[definition.functionKey];
      if (!consumer) throw new Error(`stream consumer "${definition.functionKey}" is not a defined function`);
      systemConsumers[definition.functionKey] = new StreamConsumer(
        this,
        `${pascalCase(definition.functionKey)}StreamConsumer`,
        {
          stream: props.stream,
          consumer,
          definition,
          streamRetention: Duration.hours(config.stream.retentionHours),
          deadLetterQueueName: `${namePrefix}-${definition.functionKey}-dlq`,
          filter,
        },
      );
    }
    this.systemStreamConsumers = systemConsumers;

    // One queue for every schedule of the stack: a start Scheduler gave up on lands here with its
    // input and error (message attributes name the schedule), and an alarm fires.
    if (pipeline.stateMachines.some((definition) => definition.schedule)) {
      this.scheduleDeadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
        queueName: `${namePrefix}-schedules-dlq`,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // The longest SQS allows: a message carries the whole input, so the run can be started
        // by hand whenever it is found.
        retentionPeriod: Duration.days(14),
      });
      const endOfTheLine =
        "this queue is itself the schedules' dead-letter queue; its messages are started by hand (an alarm fires on the first), so a queue behind it would have nothing to catch";
      Validations.of(this.scheduleDeadLetterQueue).acknowledge(
        { id: 'AwsSolutions-SQS3', reason: endOfTheLine },
        { id: 'Serverless-SQSRedrivePolicy', reason: endOfTheLine },
      );
    }

    const machines: Record<string, IStateMachine> = {};
    for (const definition of pipeline.stateMachines) {
      const stateMachineName = names.stateMachine(definition.name);
      const scheduled = new ScheduledStateMachine(this, stateMachineId(definition), {
        definition,
        stateMachineName,
        functions: this.functions,
        functionDefinitions: pipeline.functions,
        scheduleEnabled: config.schedulesEnabled,
        scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
        dataBucket: props.dataBucket,
        artifactsBucket: props.artifactsBucket,
      });
      machines[definition.name] = scheduled.stateMachine;
      new CfnOutput(this, `${stateMachineId(definition)}Arn`, {
        value: scheduled.stateMachine.stateMachineArn,
        description: `State machine ${stateMachineName}: start it from the console or the CLI`,
      });
    }
    this.stateMachines = machines;

    this.alarms = new PipelineAlarms(this, 'Alarms', {
      namePrefix,
      ingestFunction,
      deadLetterQueue: this.streamConsumer.deadLetterQueue,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      streamConsumers: Object.fromEntries(
        Object.entries(systemConsumers).map(([key, consumer]) => [
          key,
          { fn: built[key] as IFunction, deadLetterQueue: consumer.deadLetterQueue },
        ]),
      ),
      stateMachines: machines,
      alarmEmail: config.alarmEmail,
    });

    // The systems' own alarms and event rules notify the same topic as the platform's alarms.
    const alarmAction = new SnsAction(this.alarms.topic);
    const systemAlarms = new SystemAlarms(this, 'SystemAlarms', {
      alarms: pipeline.alarms,
      namePrefix,
      action: alarmAction,
      defaultNamespace: metricsNamespace,
    });
    this.eventRules = new EventRules(this, 'EventRules', {
      rules: pipeline.eventRules,
      stateMachines: machines,
      dataBucket: props.dataBucket,
      artifactsBucket: props.artifactsBucket,
      namePrefix,
      alarmAction,
    });

    // Its threshold is drawn on the lag graph. The id is also the alarm's name (a contract), so
    // a rename fails the dashboard test rather than silently dropping the line.
    const iteratorAgeAlarm = this.alarms.node.tryFindChild('IngestIteratorAge');
    this.dashboard = new OverviewDashboard(this, 'OverviewDashboard', {
      dashboardName: `${namePrefix}-overview`,
      stream: props.stream,
      ingestFunction,
      deadLetterQueue: this.streamConsumer.deadLetterQueue,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      stateMachines: machines,
      systems: pipeline.systems,
      metricsNamespace,
      // Function keys are the functions' Powertools service names, a dimension of their metrics.
      metricsPublishers: {
        ingest: ingestEventSource.functionKey,
        promote: 'promote' satisfies keyof typeof platformFunctions,
      },
      ...(iteratorAgeAlarm instanceof Alarm ? { iteratorAgeAlarm } : {}),
      alarms: [...this.alarms.alarms, ...systemAlarms.alarms, ...this.eventRules.alarms],
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: this.dashboard.url,
      description:
        'CloudWatch dashboard of this deployment: ingest, lag, quarantine, executions, model decisions',
    });

    // Tables are metadata derived from the systems (like the functions), not data: here rather
    // than in the stateful stack, which never changes when a system is added.
    const tables = pipeline.systems.flatMap((system) => system.tables ?? []);
    if (tables.length > 0) {
      const glue = new GlueTables(this, 'GlueTables', {
        databaseName: names.glueDatabase,
        workGroupName: names.athenaWorkGroup,
        tables,
        dataBucket: props.dataBucket,
        artifactsBucket: props.artifactsBucket,
      });
      new CfnOutput(this, 'GlueDatabaseName', {
        value: glue.database.ref,
        description: `Glue database of the systems' tables: query them with Athena in workgroup ${names.athenaWorkGroup}`,
      });
    }

    if (config.webDistribution) this.webDistribution = this.addWebDistribution(props);

    new CfnOutput(this, 'IngestDeadLetterQueueUrl', {
      value: this.streamConsumer.deadLetterQueue.queueUrl,
      description: 'Stream batches the ingest function gave up on (shard and sequence numbers)',
    });
    if (this.scheduleDeadLetterQueue) {
      new CfnOutput(this, 'ScheduleDeadLetterQueueUrl', {
        value: this.scheduleDeadLetterQueue.queueUrl,
        description:
          'Scheduled starts EventBridge Scheduler gave up on (input in the body, schedule and error in attributes)',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe here to receive pipeline alarms',
    });
  }

  private addWebDistribution(props: PipelineStackProps): WebDistribution {
    const { config, definition: pipeline } = props;
    const webAssets = props.webAssetsDir ?? WEB_ASSETS;
    if (!existsSync(path.join(webAssets, 'index.html')))
      throw new Error(
        `webDistribution is on but ${webAssets} has no built pages (index.html): run \`npm run build:web\` first`,
      );
    const apis = pipeline.systems.flatMap((system) => {
      if (!system.web) return [];
      const url = this.functionUrls[system.web.apiFunction];
      if (!url)
        throw new Error(
          `system "${system.name}": its web API "${system.web.apiFunction}" has no Function URL`,
        );
      return [{ system: system.name, functionUrl: url }];
    });
    const firstPage = pipeline.systems.find((system) => system.web);
    const web = new WebDistribution(this, 'WebDistribution', {
      webAssetDirectory: webAssets,
      apis,
      ...(firstPage ? { homePath: `/systems/${firstPage.name}` } : {}),
      ...(config.webAclArn ? { webAclId: config.webAclArn } : {}),
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    new CfnOutput(this, 'WebUrl', {
      value: `https://${web.distribution.distributionDomainName}`,
      description: "The systems' pages (the online-learning dashboard) and their APIs under /api/<system>/",
    });
    return web;
  }
}

/** Where `npm run build:web` puts the built pages. */
const WEB_ASSETS = path.join(REPO_ROOT, 'web', 'dist');

/** A caller of the Function URLs from the configuration: an account id or an IAM role ARN. */
function callerPrincipal(caller: string): IPrincipal {
  return /^\d{12}$/.test(caller) ? new AccountPrincipal(caller) : new ArnPrincipal(caller);
}
