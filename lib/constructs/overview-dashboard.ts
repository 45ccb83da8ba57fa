import { Aws, CfnCondition, Duration, Fn } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  PlatformDimension,
  PlatformMetricName,
  UNKNOWN_PIPELINE,
} from '../../core/metrics/platform-metrics.js';
import type { SystemDefinition } from '../config/system-definition.js';

export interface OverviewDashboardProps {
  /** The dashboard's name, unique in the account and region (`<prefix>-<stage>-overview`). */
  readonly dashboardName: string;
  /** The stream the systems' records arrive on. */
  readonly stream: IStream;
  /** The function consuming the stream. */
  readonly ingestFunction: IFunction;
  /** The stream consumer's on-failure queue (batches given up on). */
  readonly deadLetterQueue: IQueue;
  /**
   * The schedules' dead-letter queue.
   * @default - no graph line for it (nothing is scheduled)
   */
  readonly scheduleDeadLetterQueue?: IQueue;
  /** State machines by their short name (`archive`, `water-retrain`): one executions graph each. */
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  /** The deployed systems (the pipeline definition's list): one row of model graphs per model. */
  readonly systems: readonly SystemDefinition[];
  /** The CloudWatch namespace ingest and the promote step publish this deployment's metrics in. */
  readonly metricsNamespace: string;
  /**
   * The service names (function keys) of the functions that publish the platform's metrics:
   * Powertools adds each as the `service` dimension, so the graphs must name it to find them.
   */
  readonly metricsPublishers: { readonly ingest: string; readonly promote: string };
  /**
   * The alarm on the ingest function's iterator age: its threshold is drawn on the lag graph.
   * @default - no threshold line
   */
  readonly iteratorAgeAlarm?: Alarm;
  /**
   * Alarms whose state the dashboard shows at its top.
   * @default - no alarm status widget
   */
  readonly alarms?: readonly IAlarm[];
}

/** Which function publishes a platform metric. */
type Publisher = keyof OverviewDashboardProps['metricsPublishers'];

/** Streams and ingest are read by the minute, executions by the hour, model decisions by the day. */
const MINUTE = Duration.minutes(1);
const HOUR = Duration.hours(1);
const DAY = Duration.days(1);
/** Decisions come once a day at most: a month of them, whatever range the dashboard shows. */
const MODEL_RANGE = '-P30D';

/**
 * One CloudWatch dashboard for a deployment, the overview `npm start` shows locally: ingest rate,
 * ingest lag, quarantined records, the queues of given-up work, executions by status of every
 * state machine, and each system's champion/challenger decisions. Systems, models and state
 * machines are iterated from what it is given; the platform's own metric names come from
 * core/metrics/platform-metrics.ts, the module the handlers publish them with.
 *
 * Plain `AWS::CloudWatch::Dashboard` (no custom resource), so LocalStack creates it too.
 */
export class OverviewDashboard extends Construct {
  public readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console of the stack's region and partition. */
  public readonly url: string;
  private readonly namespace: string;
  private readonly publishers: OverviewDashboardProps['metricsPublishers'];

  constructor(scope: Construct, id: string, props: OverviewDashboardProps) {
    super(scope, id);
    this.namespace = props.metricsNamespace;
    this.publishers = props.metricsPublishers;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${props.dashboardName}\nIngest by the minute, executions by the hour, model decisions by the day (last 30 days). Metrics of this deployment: namespace \`${props.metricsNamespace}\`.`,
        width: 24,
        height: 2,
      }),
    );
    if (props.alarms && props.alarms.length > 0)
      this.dashboard.addWidgets(
        new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 }),
      );
    this.dashboard.addWidgets(...this.ingestWidgets(props));
    this.dashboard.addWidgets(...this.quarantineWidgets(props));
    this.dashboard.addWidgets(...this.executionWidgets(props.stateMachines));
    for (const system of props.systems) this.dashboard.addWidgets(...this.modelWidgets(system));

    // The console lives on another domain in China; CloudFormation knows the partition, synthesis
    // may not (environment-agnostic stacks).
    const inChina = new CfnCondition(this, 'InAwsCn', {
      expression: Fn.conditionEquals(Aws.PARTITION, 'aws-cn'),
    });
    const consoleDomain = Fn.conditionIf(
      inChina.logicalId,
      'console.amazonaws.cn',
      'console.aws.amazon.com',
    ).toString();
    this.url = `https://${Aws.REGION}.${consoleDomain}/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }

  private ingestWidgets(props: OverviewDashboardProps): IWidget[] {
    const fn = props.ingestFunction;
    const perMinute = { period: MINUTE, statistic: 'Sum' };
    return [
      new GraphWidget({
        title: 'Ingest rate: records per minute',
        width: 8,
        left: [
          props.stream.metricIncomingRecords({ ...perMinute, label: 'put on the stream (IncomingRecords)' }),
          // Every record ingest wrote, valid or not, of every system: it should follow the line above.
          this.search({
            publisher: 'ingest',
            metricNames: [PlatformMetricName.recordsIngested, PlatformMetricName.recordsQuarantined],
            dimensionNames: [PlatformDimension.pipeline],
            statistic: 'Sum',
            period: MINUTE,
            label: 'processed by ingest (raw/ + quarantine/)',
            sum: true,
          }),
          ...props.systems.map((system) =>
            this.platformMetric(
              'ingest',
              PlatformMetricName.recordsIngested,
              { [PlatformDimension.pipeline]: system.name },
              {
                ...perMinute,
                label: `${system.name}: to raw/`,
              },
            ),
          ),
        ],
      }),
      new GraphWidget({
        title: 'Ingest function: per minute',
        width: 8,
        left: [
          fn.metricInvocations({ ...perMinute, label: 'invocations (batches)' }),
          fn.metricErrors({ ...perMinute, label: 'errors' }),
          fn.metricThrottles({ ...perMinute, label: 'throttles' }),
        ],
      }),
      new GraphWidget({
        title: 'Iterator age: how far ingest is behind (ms)',
        width: 8,
        left: [
          fn.metric('IteratorAge', {
            period: MINUTE,
            statistic: 'Maximum',
            label: 'ingest IteratorAge (max)',
          }),
          props.stream.metricGetRecordsIteratorAgeMilliseconds({
            period: MINUTE,
            statistic: 'Maximum',
            label: 'stream GetRecords.IteratorAgeMilliseconds (max)',
          }),
        ],
        leftAnnotations: props.iteratorAgeAlarm ? [props.iteratorAgeAlarm.toAnnotation()] : [],
      }),
    ];
  }

  private quarantineWidgets(props: OverviewDashboardProps): IWidget[] {
    const perFiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    const queueDepth = { period: Duration.minutes(5), statistic: 'Maximum' };
    return [
      new GraphWidget({
        title: 'Quarantined records per 5 minutes, by system',
        width: 8,
        left: [...props.systems.map((system) => system.name), UNKNOWN_PIPELINE].map((pipeline) =>
          this.platformMetric(
            'ingest',
            PlatformMetricName.recordsQuarantined,
            { [PlatformDimension.pipeline]: pipeline },
            {
              ...perFiveMinutes,
              label: pipeline,
            },
          ),
        ),
      }),
      new GraphWidget({
        title: 'Quarantined records per 5 minutes, by reason',
        width: 8,
        // Reasons are known only once records carry them: a search finds every one published.
        left: [
          this.search({
            publisher: 'ingest',
            metricNames: [PlatformMetricName.recordsQuarantined],
            dimensionNames: [PlatformDimension.pipeline, PlatformDimension.reason],
            statistic: 'Sum',
            period: Duration.minutes(5),
            label: `\${PROP('Dim.${PlatformDimension.pipeline}')}: \${PROP('Dim.${PlatformDimension.reason}')}`,
          }),
        ],
      }),
      new GraphWidget({
        title: 'Work given up on: messages waiting',
        width: 8,
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            ...queueDepth,
            label: 'ingest on-failure queue (stream batches)',
          }),
          ...(props.scheduleDeadLetterQueue
            ? [
                props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
                  ...queueDepth,
                  label: "schedules' dead-letter queue (runs never started)",
                }),
              ]
            : []),
        ],
      }),
    ];
  }

  private executionWidgets(stateMachines: Readonly<Record<string, IStateMachine>>): IWidget[] {
    const perHour = { period: HOUR, statistic: 'Sum' };
    return Object.entries(stateMachines).map(
      ([name, machine]) =>
        new GraphWidget({
          title: `${name}: executions per hour`,
          width: 6,
          height: 5,
          left: [
            machine.metricStarted({ ...perHour, label: 'started' }),
            machine.metricSucceeded({ ...perHour, label: 'succeeded' }),
            machine.metricFailed({ ...perHour, label: 'failed' }),
            machine.metricTimedOut({ ...perHour, label: 'timed out' }),
            machine.metricAborted({ ...perHour, label: 'aborted' }),
          ],
        }),
    );
  }

  /** Per model of the system: its decisions, and the deciding metric of both sides. */
  private modelWidgets(system: SystemDefinition): IWidget[] {
    return system.models.flatMap((model) => {
      const key = { [PlatformDimension.pipeline]: system.name, [PlatformDimension.model]: model };
      const promoted = (statistic: string, label: string) =>
        this.platformMetric('promote', PlatformMetricName.promoted, key, { period: DAY, statistic, label });
      return [
        new GraphWidget({
          title: `${system.name} / ${model}: champion/challenger decisions per day`,
          width: 12,
          start: MODEL_RANGE,
          left: [promoted('SampleCount', 'decisions'), promoted('Sum', 'promoted')],
        }),
        new GraphWidget({
          title: `${system.name} / ${model}: deciding metric of the promotion rule, challenger vs champion`,
          width: 12,
          start: MODEL_RANGE,
          // The rule's metric is the system's own (and may change): found by search, named by it.
          left: [
            this.search({
              publisher: 'promote',
              metricNames: [PlatformMetricName.challengerScore, PlatformMetricName.championScore],
              dimensionNames: [
                PlatformDimension.decidingMetric,
                PlatformDimension.model,
                PlatformDimension.pipeline,
              ],
              filter: key,
              statistic: 'Average',
              period: DAY,
              label: `\${PROP('MetricName')} \${PROP('Dim.${PlatformDimension.decidingMetric}')}`,
            }),
          ],
        }),
      ];
    });
  }

  /** One of the platform's metrics, with the `service` dimension of the function publishing it. */
  private platformMetric(
    publisher: Publisher,
    metricName: string,
    dimensions: Readonly<Record<string, string>>,
    options: { period: Duration; statistic: string; label: string },
  ): IMetric {
    return new Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { ...dimensions, [PlatformDimension.service]: this.publishers[publisher] },
      ...options,
    });
  }

  /**
   * A CloudWatch search over this deployment's namespace for metrics with exactly the given
   * dimension names, for dimension values known only at run time (reasons, the rule's metric).
   */
  private search(options: {
    publisher: Publisher;
    metricNames: readonly string[];
    dimensionNames: readonly string[];
    filter?: Readonly<Record<string, string>>;
    statistic: string;
    period: Duration;
    label: string;
    /** Adds the series the search finds into one. */
    sum?: boolean;
  }): IMetric {
    const dimensionNames = [...options.dimensionNames, PlatformDimension.service].sort();
    const filter = { ...options.filter, [PlatformDimension.service]: this.publishers[options.publisher] };
    const schema = [`"${this.namespace}"`, ...dimensionNames].join(',');
    const names = options.metricNames.map((name) => `MetricName="${name}"`).join(' OR ');
    const terms = [
      options.metricNames.length > 1 ? `(${names})` : names,
      ...Object.entries(filter).map(([name, value]) => `${name}="${value}"`),
    ].join(' ');
    const search = `SEARCH('{${schema}} ${terms}', '${options.statistic}', ${options.period.toSeconds()})`;
    return new MathExpression({
      expression: options.sum ? `SUM(${search})` : search,
      usingMetrics: {},
      period: options.period,
      label: options.label,
    });
  }
}
