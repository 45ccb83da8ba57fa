/**
 * The envelope EventBridge puts around every event, and the one S3 sends for an object written
 * to a bucket with EventBridge notifications on. The local bus builds both, so a rule's pattern
 * and input paths read the same fields locally as on AWS.
 */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 to the second, as EventBridge writes it (`2024-05-01T12:00:00Z`). */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface EventOrigin {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly time: Date;
}

export function eventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** One record of an S3 event notification (the `Records[]` shape s3rver emits, as S3 does for SNS/SQS). */
export interface S3NotificationRecord {
  readonly eventName: string;
  readonly eventTime?: string;
  readonly requestParameters?: { readonly sourceIPAddress?: string };
  readonly responseElements?: { readonly 'x-amz-request-id'?: string };
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer?: string;
    };
  };
}

/** S3's `reason` for each way an object is created. */
const REASONS: Readonly<Record<string, string>> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:Post': 'PostObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
};

/**
 * The EventBridge "Object Created" event of one notification record, or undefined for any other
 * kind (deletions: no rule of the platform reacts to them). The key is the key as written: unlike
 * the `Records[]` notifications, EventBridge's S3 events do not URL-encode it.
 */
export function objectCreatedEvent(
  record: S3NotificationRecord,
  origin: EventOrigin,
): EventBridgeEvent | undefined {
  const reason = REASONS[record.eventName];
  if (!reason) return undefined;
  const { bucket, object } = record.s3;
  return {
    version: '0',
    id: origin.id,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: origin.account,
    time: eventTime(origin.time),
    region: origin.region,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      object: {
        key: object.key,
        ...(object.size !== undefined ? { size: object.size } : {}),
        ...(object.eTag !== undefined ? { etag: object.eTag } : {}),
        ...(object.sequencer !== undefined ? { sequencer: object.sequencer } : {}),
      },
      'request-id': record.responseElements?.['x-amz-request-id'] ?? origin.id,
      requester: origin.account,
      'source-ip-address': record.requestParameters?.sourceIPAddress ?? '127.0.0.1',
      reason,
    },
  };
}
