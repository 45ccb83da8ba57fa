import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { pascalCase } from '../config/platform-definition.js';
import type { MetricAlarmDefinition } from '../config/system-definition.js';

export interface SystemAlarmsProps {
  /** The systems' alarms (`pipelineDefinition(…).alarms`). */
  readonly alarms: readonly MetricAlarmDefinition[];
  /** Prefix of the alarm names (`<prefix>-<stage>`). */
  readonly namePrefix: string;
  /** Notified when an alarm fires and when it clears (the pipeline alarms' topic). */
  readonly action: IAlarmAction;
  /** The namespace of an alarm that names none: the deployment's, where the handlers publish. */
  readonly defaultNamespace: string;
}

/**
 * One CloudWatch alarm per alarm a system declares, on a metric its handlers publish (embedded
 * metric format), notifying the same topic as the platform's alarms. No data is not breaching:
 * a metric published only by a run that has not happened yet must not alarm.
 */
export class SystemAlarms extends Construct {
  public readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: SystemAlarmsProps) {
    super(scope, id);
    this.alarms = props.alarms.map((definition) => {
      const alarm = new Alarm(this, pascalCase(definition.name), {
        alarmName: `${props.namePrefix}-${definition.name}`,
        alarmDescription: definition.description,
        metric: new Metric({
          namespace: definition.namespace ?? props.defaultNamespace,
          metricName: definition.metricName,
          ...(definition.dimensions ? { dimensionsMap: { ...definition.dimensions } } : {}),
          statistic: definition.statistic,
          period: Duration.seconds(definition.periodSeconds),
        }),
        threshold: definition.threshold,
        comparisonOperator: ComparisonOperator[COMPARISON[definition.comparison]],
        evaluationPeriods: definition.evaluationPeriods,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.action);
      alarm.addOkAction(props.action);
      return alarm;
    });
  }
}

const COMPARISON = {
  GreaterThanThreshold: 'GREATER_THAN_THRESHOLD',
  LessThanThreshold: 'LESS_THAN_THRESHOLD',
} as const satisfies Record<MetricAlarmDefinition['comparison'], keyof typeof ComparisonOperator>;
