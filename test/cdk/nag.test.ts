import { rmSync } from 'node:fs';
import { type App, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { addPipelineStacks } from '../../bin/app.js';
import { type AppConfig, defaultConfig, validateConfig } from '../../lib/config/app-config.js';
import { acknowledgeWildcardResources, flattenReference } from '../../lib/constructs/nag-acknowledgments.js';
import { actionsOf, type PolicyStatementJson, synthStacks } from '../support/cdk-app.js';
import { runNag } from '../support/nag-findings.js';

const outdirs: string[] = [];

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const nagFindings = (build: (app: App) => void) => runNag(build, outdirs);

const pipelineApp = (config: AppConfig) => (app: App) => {
  addPipelineStacks(app, config);
};

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it('reports what it finds, so an empty list below means something', () => {
    // Prepare / Act: a bucket without TLS enforcement or access logs
    const findings = nagFindings((app) => {
      new Bucket(new Stack(app, 'Careless'), 'Bucket');
    });

    // Assess
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AwsSolutions-S1 Careless\/Bucket\/Resource: /),
        expect.stringMatching(/^AwsSolutions-S10 Careless\/Bucket\/Resource: /),
      ]),
    );
  });

  it('finds nothing unacknowledged in the app as bin/ builds it (default config)', () => {
    // Act
    const findings = nagFindings(pipelineApp(defaultConfig));

    // Assess
    expect(findings, `unacknowledged cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
  });

  it('finds nothing unacknowledged in a production-like config (data retained, callers, alarm e-mail, on-demand stream)', () => {
    // Prepare
    const config = validateConfig({
      ...defaultConfig,
      stage: 'prod',
      stream: { mode: 'on-demand', shardCount: 0, retentionHours: 168 },
      retainData: true,
      schedulesEnabled: false,
      alarmEmail: 'ops@example.com',
      functionUrlCallers: ['arn:aws:iam::111122223333:role/forecast-client', '444455556666'],
    });

    // Act
    const findings = nagFindings(pipelineApp(config));

    // Assess
    expect(findings, `unacknowledged cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
  });
});

describe('the Resource::* acknowledgments (one per role, whatever its statements)', () => {
  /** Actions with no resource-level permissions: the only ones a role may hold on `*`. */
  const WITHOUT_RESOURCES = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ]);

  it('cover only actions that have no resource-level permissions, so a new * grant fails here', () => {
    // Prepare
    const { pipeline } = synthStacks({ bundle: false });

    // Act
    const onEverything = Object.values(pipeline.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[])
      .filter((statement) => statement.Effect === 'Allow' && [statement.Resource].flat().includes('*'))
      .flatMap(actionsOf);

    // Assess
    expect(onEverything.length).toBeGreaterThan(0);
    expect(onEverything.filter((action) => !WITHOUT_RESOURCES.has(action))).toEqual([]);
  });
});

describe('acknowledgeWildcardResources', () => {
  /** A role in one stack granted objects under a prefix of a bucket in another. */
  function crossStackGrant(app: App, prefixes: string[], acknowledged: string[]) {
    const bucket = new Bucket(new Stack(app, 'Producer'), 'Bucket');
    const consumer = new Stack(app, 'Consumer');
    const role = new Role(consumer, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    for (const prefix of prefixes)
      role.addToPolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }),
      );
    acknowledgeWildcardResources(
      role,
      acknowledged.map((prefix) => ({
        resource: bucket.arnForObjects(`${prefix}*`),
        reason: `test ${prefix}`,
      })),
    );
  }

  it('acknowledges exactly the wildcard resources named, across stacks, and leaves a new one a finding', () => {
    // Act
    const findings = nagFindings((app) => crossStackGrant(app, ['raw/', 'archive/'], ['raw/'])).filter(
      (finding) => finding.startsWith('AwsSolutions-IAM5'),
    );

    // Assess: the export name CDK generates for the other stack's bucket, then the prefix
    expect(findings).toEqual([
      expect.stringMatching(
        /^AwsSolutions-IAM5\[Resource::Producer:ExportsOutputFnGetAttBucket\w+\/archive\/\*\] Consumer\/Role\/DefaultPolicy\/Resource: /,
      ),
    ]);
  });

  it('flattens references the way cdk-nag writes them into finding ids', () => {
    // Assess
    expect(flattenReference('*')).toBe('*');
    expect(flattenReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn1', 'Arn'] }, ':*']] })).toBe(
      '<Fn1.Arn>:*',
    );
    expect(flattenReference({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'stack:Export' }, '/raw/*']] })).toBe(
      'stack:Export/raw/*',
    );
    expect(flattenReference({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 's3']] })).toBe(
      'arn:<AWS::Partition>:s3',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an Fn::Sub template
    expect(flattenReference({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b/*' })).toBe(
      'arn:<AWS::Partition>:s3:::b/*',
    );
  });
});
