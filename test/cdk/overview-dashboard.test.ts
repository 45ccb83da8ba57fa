import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { addPipelineStacks } from '../../bin/app.js';
import { deploymentMetricsNamespace } from '../../core/metrics/platform-metrics.js';
import { defaultConfig, validateConfig } from '../../lib/config/app-config.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { stateMachineId } from '../../lib/config/platform-definition.js';
import { systems } from '../../systems/index.js';
import { tallySystem } from '../fixtures/systems/tally/system.js';
import { CDK_JSON_CONTEXT, logicalIdOf, type SynthResult, synthStacks } from '../support/cdk-app.js';

/** A graph's metric as the dashboard body writes it: namespace, name, dimensions, then options. */
type MetricRow = (string | Record<string, unknown>)[];
interface Widget {
  type: string;
  properties: {
    title?: string;
    metrics?: MetricRow[];
    alarms?: string[];
    annotations?: { horizontal?: { value: number }[] };
    start?: string;
  };
}

/**
 * A template value as text: `Fn::Join` joined, references written as `<Ref:Id>`,
 * `<GetAtt:Id.Attribute>`, `<Import:name>`, `<If:condition|then|else>`, so the dashboard body,
 * which CloudFormation assembles from strings and references, parses as the JSON it will be.
 */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(render).join(delimiter);
  }
  if (node.Ref) return `<Ref:${render(node.Ref)}>`;
  if (node['Fn::GetAtt']) return `<GetAtt:${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if (node['Fn::ImportValue']) return `<Import:${render(node['Fn::ImportValue'])}>`;
  if (node['Fn::If']) return `<If:${(node['Fn::If'] as unknown[]).map(render).join('|')}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

function dashboards(template: Template) {
  return Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map((resource) => ({
    name: resource.Properties.DashboardName as string,
    body: JSON.parse(render(resource.Properties.DashboardBody)) as { widgets: Widget[] },
  }));
}

/** The widget titled exactly `title`, or a clear failure naming the titles there are. */
function widget(widgets: Widget[], title: string): Widget {
  const found = widgets.find((w) => w.properties.title === title);
  if (!found)
    throw new Error(`no widget "${title}"; there are: ${widgets.map((w) => w.properties.title).join(', ')}`);
  return found;
}

/**
 * The metric rows of a widget without their options: `[namespace, name, dimension, value, …]`.
 * The platform's metrics carry `service`, the publishing function's key, as Powertools publishes
 * them (test/handlers/ingest-metrics.test.ts and promote-metrics.test.ts check that side).
 */
const rows = (w: Widget) =>
  (w.properties.metrics ?? []).map((row) => row.filter((cell) => typeof cell === 'string'));
/** The search and math expressions of a widget. */
const expressions = (w: Widget) =>
  (w.properties.metrics ?? []).flatMap((row) =>
    row.flatMap((cell) =>
      typeof cell === 'object' && typeof cell.expression === 'string' ? [cell.expression] : [],
    ),
  );

describe('OverviewDashboard in the pipeline stack (default config)', () => {
  const definition = pipelineDefinition(systems);
  const namespace = deploymentMetricsNamespace(defaultConfig);
  let synth: SynthResult;
  let widgets: Widget[];
  const ref = (construct: Parameters<typeof logicalIdOf>[0]) => `<Ref:${logicalIdOf(construct)}>`;

  beforeAll(() => {
    // Prepare / Act: bundling off, the dashboard does not depend on the code
    synth = synthStacks({ bundle: false });
    const [only] = dashboards(synth.pipeline);
    widgets = only?.body.widgets ?? [];
  });

  it("creates one dashboard, named from the deployment's prefix and stage", () => {
    // Assess
    synth.pipeline.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    synth.pipeline.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'smlp-dev-overview',
    });
  });

  it('graphs the ingest rate: records put on the stream, records ingest wrote, and the function by the minute', () => {
    // Prepare
    const stream = `<Import:${'smlp-dev-data'}:ExportsOutputRef${logicalIdOf(synth.stacks.data.stream)}`;
    const ingest = ref(synth.stacks.pipeline.functions.ingest as never);
    const rate = widget(widgets, 'Ingest rate: records per minute');
    const fn = widget(widgets, 'Ingest function: per minute');

    // Assess
    expect(rows(rate)).toContainEqual([
      'AWS/Kinesis',
      'IncomingRecords',
      'StreamName',
      expect.stringContaining(stream),
    ]);
    for (const system of definition.systems)
      expect(rows(rate)).toContainEqual([
        namespace,
        'RecordsIngested',
        'Pipeline',
        system.name,
        'service',
        'ingest',
      ]);
    expect(expressions(rate)).toEqual([
      `SUM(SEARCH('{"${namespace}",Pipeline,service} (MetricName="RecordsIngested" OR MetricName="RecordsQuarantined") service="ingest"', 'Sum', 60))`,
    ]);
    expect(rows(fn)).toEqual([
      ['AWS/Lambda', 'Invocations', 'FunctionName', ingest],
      ['AWS/Lambda', 'Errors', 'FunctionName', ingest],
      ['AWS/Lambda', 'Throttles', 'FunctionName', ingest],
    ]);
    expect(rate.properties.metrics?.[0]?.at(-1)).toMatchObject({ period: 60, stat: 'Sum' });
  });

  it("graphs the iterator age with the alarm's threshold drawn on it", () => {
    // Prepare
    const lag = widget(widgets, 'Iterator age: how far ingest is behind (ms)');
    const alarm = Object.values(synth.pipeline.findResources('AWS::CloudWatch::Alarm')).find(
      (resource) => resource.Properties.AlarmName === 'smlp-dev-IngestIteratorAge',
    );

    // Assess
    expect(rows(lag)).toEqual([
      ['AWS/Lambda', 'IteratorAge', 'FunctionName', ref(synth.stacks.pipeline.functions.ingest as never)],
      [
        'AWS/Kinesis',
        'GetRecords.IteratorAgeMilliseconds',
        'StreamName',
        expect.stringContaining('<Import:'),
      ],
    ]);
    expect(lag.properties.metrics?.map((row) => row.at(-1))).toEqual([
      expect.objectContaining({ stat: 'Maximum', period: 60 }),
      expect.objectContaining({ stat: 'Maximum', period: 60 }),
    ]);
    expect(alarm?.Properties.Threshold).toBe(300_000);
    expect(lag.properties.annotations?.horizontal).toEqual([expect.objectContaining({ value: 300_000 })]);
  });

  it('graphs quarantined records of every system (and of none), by reason, and both queues of given-up work', () => {
    // Prepare
    const bySystem = widget(widgets, 'Quarantined records per 5 minutes, by system');
    const byReason = widget(widgets, 'Quarantined records per 5 minutes, by reason');
    const queues = widget(widgets, 'Work given up on: messages waiting');

    // Assess
    expect(rows(bySystem)).toEqual(
      [...definition.systems.map((system) => system.name), 'unknown'].map((name) => [
        namespace,
        'RecordsQuarantined',
        'Pipeline',
        name,
        'service',
        'ingest',
      ]),
    );
    expect(expressions(byReason)).toEqual([
      `SEARCH('{"${namespace}",Pipeline,Reason,service} MetricName="RecordsQuarantined" service="ingest"', 'Sum', 300)`,
    ]);
    expect(rows(queues)).toEqual([
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        `<GetAtt:${logicalIdOf(synth.stacks.pipeline.streamConsumer.deadLetterQueue)}.QueueName>`,
      ],
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        `<GetAtt:${logicalIdOf(synth.stacks.pipeline.scheduleDeadLetterQueue as never)}.QueueName>`,
      ],
    ]);
  });

  it.each(definition.stateMachines.map((machine) => machine.name))(
    'graphs the executions of %s by status',
    (name) => {
      // Prepare
      const machine = synth.stacks.pipeline.stateMachines[name];
      const executions = widget(widgets, `${name}: executions per hour`);

      // Assess
      expect(machine).toBeDefined();
      expect(logicalIdOf(machine as never)).toMatch(new RegExp(`^${stateMachineId({ name })}`));
      expect(rows(executions)).toEqual(
        ['Started', 'Succeeded', 'Failed', 'TimedOut', 'Aborted'].map((status) => [
          'AWS/States',
          `Executions${status}`,
          'StateMachineArn',
          ref(machine as never),
        ]),
      );
    },
  );

  it.each(definition.systems.flatMap((system) => system.models.map((model) => [system.name, model])))(
    "graphs %s's %s model: decisions per day and the rule's deciding metric of challenger and champion",
    (system, model) => {
      // Prepare
      const decisions = widget(widgets, `${system} / ${model}: champion/challenger decisions per day`);
      const scores = widget(
        widgets,
        `${system} / ${model}: deciding metric of the promotion rule, challenger vs champion`,
      );

      // Assess
      expect(rows(decisions)).toEqual([
        [namespace, 'Promoted', 'Model', model, 'Pipeline', system, 'service', 'promote'],
        [namespace, 'Promoted', 'Model', model, 'Pipeline', system, 'service', 'promote'],
      ]);
      expect(decisions.properties.metrics?.map((row) => row.at(-1))).toEqual([
        expect.objectContaining({ stat: 'SampleCount', period: 86_400 }),
        expect.objectContaining({ stat: 'Sum', period: 86_400 }),
      ]);
      expect(expressions(scores)).toEqual([
        `SEARCH('{"${namespace}",DecidingMetric,Model,Pipeline,service} (MetricName="ChallengerScore" OR MetricName="ChampionScore") Pipeline="${system}" Model="${model}" service="promote"', 'Average', 86400)`,
      ]);
      expect([decisions.properties.start, scores.properties.start]).toEqual(['-P30D', '-P30D']);
    },
  );

  it('shows the state of every alarm of the stack', () => {
    // Prepare
    const alarmIds = Object.keys(synth.pipeline.findResources('AWS::CloudWatch::Alarm'));
    const status = widgets.find((w) => w.type === 'alarm');

    // Assess
    expect(status?.properties.alarms?.sort()).toEqual(alarmIds.map((id) => `<GetAtt:${id}.Arn>`).sort());
  });

  it('outputs the console URL of the dashboard in the stack region, on the China console in aws-cn', () => {
    // Prepare
    const output = synth.pipeline.findOutputs('DashboardUrl').DashboardUrl;
    const conditions = synth.pipeline.toJSON().Conditions as Record<string, unknown>;
    const [condition] = Object.entries(conditions).filter(([id]) =>
      id.startsWith('OverviewDashboardInAwsCn'),
    );

    // Assess
    expect(render(output?.Value)).toBe(
      `https://<Ref:AWS::Region>.<If:${condition?.[0]}|console.amazonaws.cn|console.aws.amazon.com>/cloudwatch/home?region=<Ref:AWS::Region>#dashboards:name=${ref(synth.stacks.pipeline.dashboard.dashboard)}`,
    );
    expect(condition?.[1]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-cn'] });
  });

  it('gives every function the namespace the dashboard reads, so published metrics land where it looks', () => {
    // Prepare
    const functions = Object.values(synth.pipeline.findResources('AWS::Lambda::Function'));

    // Assess
    expect(functions).toHaveLength(Object.keys(definition.functions).length);
    for (const fn of functions) expect(fn.Properties.Environment.Variables.METRICS_NAMESPACE).toBe(namespace);
  });
});

describe('OverviewDashboard per deployment and per definition', () => {
  it('builds the model graphs from the systems it is given, naming no other', () => {
    // Prepare
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });

    // Act
    const stacks = addPipelineStacks(app, defaultConfig, undefined, [tallySystem]);

    // Assess
    const [dashboard] = dashboards(Template.fromStack(stacks.pipeline));
    const titles = dashboard?.body.widgets.map((w) => w.properties.title ?? '') ?? [];
    expect(titles).toEqual(
      expect.arrayContaining([
        `tally / ${tallySystem.models[0]}: champion/challenger decisions per day`,
        ...pipelineDefinition([tallySystem]).stateMachines.map(
          (machine) => `${machine.name}: executions per hour`,
        ),
      ]),
    );
    expect(titles).toContain('tally-count: executions per hour');
    expect(JSON.stringify(dashboard?.body)).not.toMatch(/water|sensors/);
  });

  it('gives two stages of one account their own dashboard and namespace', () => {
    // Prepare
    const build = (stage: string) => {
      const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
      return dashboards(
        Template.fromStack(addPipelineStacks(app, validateConfig({ ...defaultConfig, stage })).pipeline),
      );
    };

    // Act
    const [dev, prod] = [build('dev'), build('prod')];

    // Assess
    expect([dev.map((d) => d.name), prod.map((d) => d.name)]).toEqual([
      ['smlp-dev-overview'],
      ['smlp-prod-overview'],
    ]);
    expect(JSON.stringify(prod[0]?.body)).toContain('"StreamingMlPipelines/smlp-prod"');
    expect(JSON.stringify(prod[0]?.body)).not.toContain('smlp-dev');
  });
});
