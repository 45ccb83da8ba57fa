import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { addPipelineStacks } from '../../bin/app.js';
import { defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import { CDK_JSON_CONTEXT, logicalIdOf, type SynthResult, synthStacks } from '../support/cdk-app.js';

// The data stack has no bundled code; skipping esbuild keeps these syntheses fast.
describe('DataStack (default config: provisioned stream, data not retained)', () => {
  let synth: SynthResult;
  let data: Template;

  beforeAll(() => {
    // Prepare / Act: one synthesis shared by every test below
    synth = synthStacks({ bundle: false });
    data = synth.data;
  });

  it('creates a KMS-encrypted provisioned stream with the configured shards and retention', () => {
    // Assess
    data.resourceCountIs('AWS::Kinesis::Stream', 1);
    data.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: resourceNames(defaultConfig).stream,
      ShardCount: defaultConfig.stream.shardCount,
      RetentionPeriodHours: defaultConfig.stream.retentionHours,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('keeps stream records a week by default, so a batch ingest gave up on can be replayed for days', () => {
    // Assess
    data.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 7 * 24 });
  });

  it('encrypts every bucket, blocks public access and denies requests without TLS', () => {
    // Prepare
    const bucketIds = [
      logicalIdOf(synth.stacks.data.dataBucket),
      logicalIdOf(synth.stacks.data.artifactsBucket),
      logicalIdOf(synth.stacks.data.accessLogsBucket),
    ];
    const buckets = data.findResources('AWS::S3::Bucket');
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy'));

    // Assess
    expect(Object.keys(buckets).sort()).toEqual([...bucketIds].sort());
    for (const id of bucketIds) {
      expect(buckets[id]?.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket).includes(id));
      expect(policy, `bucket policy of ${id}`).toBeDefined();
      expect(policy?.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  it('moves archive/ to Glacier Instant Retrieval, expires archive/ and quarantine/, aborts stale uploads', () => {
    // Prepare
    const r = defaultConfig.retention;

    // Assess
    data.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'archive/',
            Status: 'Enabled',
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: r.archiveToColdStorageAfterDays }],
            ExpirationInDays: r.archiveExpireAfterDays,
          }),
          Match.objectLike({
            Prefix: 'quarantine/',
            Status: 'Enabled',
            ExpirationInDays: r.quarantineExpireAfterDays,
          }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('logs access to the data and artifacts buckets into the access-log bucket, each under its own prefix, and expires the logs', () => {
    // Prepare
    const logsId = logicalIdOf(synth.stacks.data.accessLogsBucket);
    const buckets = data.findResources('AWS::S3::Bucket');

    // Assess
    for (const [bucket, prefix] of [
      [synth.stacks.data.dataBucket, 'data/'],
      [synth.stacks.data.artifactsBucket, 'artifacts/'],
    ] as const) {
      expect(buckets[logicalIdOf(bucket)]?.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: prefix,
      });
    }
    expect(buckets[logsId]?.Properties.LoggingConfiguration).toBeUndefined();
    expect(buckets[logsId]?.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ExpirationInDays: defaultConfig.retention.accessLogsExpireAfterDays,
          Status: 'Enabled',
        }),
      ]),
    );
  });

  it("lets S3 log delivery write the access logs through the bucket policy, with cdk.json's feature flags as cdk synth applies them", () => {
    // Prepare: cdk.json sets @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy (no ACLs)
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });

    // Act
    const stack = addPipelineStacks(app, defaultConfig).data;
    const template = Template.fromStack(stack);
    const logsId = logicalIdOf(stack.accessLogsBucket);

    // Assess
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) =>
      JSON.stringify(p.Properties.Bucket).includes(logsId),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'logging.s3.amazonaws.com' },
        }),
      ]),
    );
    expect(template.findResources('AWS::S3::Bucket')[logsId]?.Properties.AccessControl).toBeUndefined();
  });

  it('versions the artifacts bucket, expires old versions and aborts stale uploads', () => {
    // Assess
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
        ]),
      },
    });
  });

  it('deletes the stream and buckets with the stack and empties the buckets first when data is not retained', () => {
    // Assess
    data.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    const buckets = Object.values(data.findResources('AWS::S3::Bucket'));
    expect(buckets.map((b) => b.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
    data.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
  });

  it('outputs the stream and bucket names', () => {
    // Assess
    data.hasOutput('StreamName', { Value: { Ref: logicalIdOf(synth.stacks.data.stream) } });
    data.hasOutput('DataBucketName', { Value: { Ref: logicalIdOf(synth.stacks.data.dataBucket) } });
    data.hasOutput('ArtifactsBucketName', { Value: { Ref: logicalIdOf(synth.stacks.data.artifactsBucket) } });
    data.hasOutput('AccessLogsBucketName', {
      Value: { Ref: logicalIdOf(synth.stacks.data.accessLogsBucket) },
    });
  });

  it('names the stack after prefix and stage and tags resources with project and stage', () => {
    // Assess
    expect(synth.stacks.data.stackName).toBe(`${defaultConfig.prefix}-${defaultConfig.stage}-data`);
    data.hasResourceProperties('AWS::Kinesis::Stream', {
      Tags: Match.arrayWith([
        { Key: 'project', Value: defaultConfig.prefix },
        { Key: 'stage', Value: defaultConfig.stage },
      ]),
    });
  });
});

describe('DataStack (prod: on-demand stream, data retained)', () => {
  let data: Template;

  beforeAll(() => {
    // Prepare / Act
    data = synthStacks({
      bundle: false,
      config: {
        stage: 'prod',
        stream: { mode: 'on-demand', shardCount: 0, retentionHours: 48 },
        retainData: true,
      },
    }).data;
  });

  it('creates an on-demand stream without a shard count', () => {
    // Assess
    data.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'smlp-prod-records',
      ShardCount: Match.absent(),
      RetentionPeriodHours: 48,
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('retains the stream and buckets and never empties them', () => {
    // Assess
    data.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const buckets = Object.values(data.findResources('AWS::S3::Bucket'));
    expect(buckets.map((b) => b.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
    data.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});
