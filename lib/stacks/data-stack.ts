import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type IStream, Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { type AppConfig, resourceNames } from '../config/app-config.js';

export interface DataStackProps extends StackProps {
  readonly config: AppConfig;
}

/**
 * The stateful half: the stream and the buckets. It changes rarely and may be retained, so the
 * stateless pipeline can be destroyed and redeployed around it.
 *
 * Data bucket prefixes, each with the system as its next segment: raw/, quarantine/, archive/,
 * datasets/, state/, uploads/ (users' CSV files), chunks/, features/, predictions/.
 * Artifacts bucket prefixes: models/, runs/, reports/.
 */
export class DataStack extends Stack {
  public readonly stream: IStream;
  public readonly dataBucket: IBucket;
  public readonly artifactsBucket: IBucket;
  /** Where S3 writes the server access logs of the other two (under `data/` and `artifacts/`). */
  public readonly accessLogsBucket: IBucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = resourceNames(config);
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // Emptying buckets on delete only makes sense when they are deleted at all.
    const autoDeleteObjects = !config.retainData;

    const onDemand = config.stream.mode === 'on-demand';
    this.stream = new Stream(this, 'Stream', {
      streamName: names.stream,
      encryption: StreamEncryption.MANAGED,
      streamMode: onDemand ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED,
      shardCount: onDemand ? undefined : config.stream.shardCount,
      retentionPeriod: Duration.hours(config.stream.retentionHours),
      removalPolicy,
    });

    // Bucket names are left to CloudFormation: S3 names are global, so `<prefix>-<stage>-data`
    // would collide across accounts. Handlers get the real names from their environment.
    const r = config.retention;
    // Who read or changed which object (a model downloaded, raw data deleted), kept apart from
    // the data. S3 delivers the logs through the bucket policy CDK writes
    // (@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy) and only to SSE-S3 encrypted buckets.
    const accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy,
      autoDeleteObjects,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(r.accessLogsExpireAfterDays) },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    Validations.of(accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'this is the access-log bucket of the data and artifacts buckets; logging its own access would write logs about writing logs, and only S3 log delivery writes to it',
    });
    this.accessLogsBucket = accessLogsBucket;

    this.dataBucket = new Bucket(this, 'DataBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'data/',
      removalPolicy,
      autoDeleteObjects,
      lifecycleRules: [
        {
          id: 'archive-to-cold-storage-then-expire',
          prefix: 'archive/',
          transitions: [
            {
              storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(r.archiveToColdStorageAfterDays),
            },
          ],
          expiration: Duration.days(r.archiveExpireAfterDays),
        },
        {
          id: 'expire-quarantine',
          prefix: 'quarantine/',
          expiration: Duration.days(r.quarantineExpireAfterDays),
        },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    // Objects created in the data bucket go to EventBridge, where the systems' rules react to them
    // (new predictions start monitoring). Set on the bucket resource itself rather than with
    // `eventBridgeEnabled`: CDK implements that with a custom resource (a Python function with an
    // AWS managed policy) that plain CloudFormation does not need. Nothing in the app adds
    // `addEventNotification` on this bucket: CDK's notifications resource would replace this.
    (this.dataBucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.artifactsBucket = new Bucket(this, 'ArtifactsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Models and reports are the pipeline's output: an overwrite or delete can be undone.
      versioned: true,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy,
      autoDeleteObjects,
      lifecycleRules: [
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(90),
        },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    new CfnOutput(this, 'StreamName', { value: this.stream.streamName, description: 'Kinesis stream' });
    new CfnOutput(this, 'DataBucketName', {
      value: this.dataBucket.bucketName,
      description: 'Data bucket (raw/, quarantine/, archive/, datasets/, state/)',
    });
    new CfnOutput(this, 'ArtifactsBucketName', {
      value: this.artifactsBucket.bucketName,
      description: 'Artifacts bucket (models/, runs/, reports/)',
    });
    new CfnOutput(this, 'AccessLogsBucketName', {
      value: accessLogsBucket.bucketName,
      description: 'S3 server access logs of the data bucket (data/) and the artifacts bucket (artifacts/)',
    });
  }
}
