/**
 * What IAM evaluates for an SDK call: its action(s), resource ARN(s) and request context keys,
 * from the command's class name and input. Only commands listed here are understood; any other
 * is an error naming the command, so a new kind of call can never pass unchecked.
 */
import type { RecordedCall } from './call-recorder.js';

export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export interface IamRequest {
  /** `s3:GetObject` */
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request besides the ones every request has (aws:SecureTransport…). */
  readonly context: Readonly<Record<string, string | string[]>>;
  /** Why the call needs this, when it is not simply the call's own action. */
  readonly note?: string;
}

export class UnknownCallError extends Error {
  override readonly name = 'UnknownCallError';
}

type Input = Readonly<Record<string, unknown>>;

function text(call: RecordedCall, field: string): string {
  const value = call.input[field];
  if (typeof value !== 'string' || value === '')
    throw new UnknownCallError(`${call.command} without a ${field}: the IAM check cannot tell its resource`);
  return value;
}

/** Input fields that need an action of their own (or a KMS key) that this check does not model. */
function refuseUnmodelled(call: RecordedCall, fields: readonly string[]): void {
  const present = fields.filter((field) => call.input[field] !== undefined);
  if (present.length > 0)
    throw new UnknownCallError(
      `${call.command} with ${present.join(', ')}: that needs more than the call's own action; model it in test/iam/aws-actions.ts`,
    );
}

/** S3 answers 404 for a missing key only to a caller allowed to list the bucket; others get 403. */
function notFound(call: RecordedCall): boolean {
  const outcome = call.outcome;
  return (
    outcome !== undefined &&
    !outcome.ok &&
    (outcome.status === 404 || /^(NoSuchKey|NotFound)$/.test(outcome.name))
  );
}

const OBJECT_FIELDS_WITH_OWN_ACTIONS = [
  'ACL',
  'GrantFullControl',
  'GrantRead',
  'GrantReadACP',
  'GrantWriteACP',
  'Tagging',
  'ObjectLockMode',
  'ObjectLockRetainUntilDate',
  'ObjectLockLegalHoldStatus',
  'SSEKMSKeyId',
  'BypassGovernanceRetention',
];

function s3Requests(call: RecordedCall, scope: ArnScope): IamRequest[] {
  const bucketArn = (bucket: string) => `arn:${scope.partition}:s3:::${bucket}`;
  const objectArn = (bucket: string, key: string) => `${bucketArn(bucket)}/${key}`;
  const listForNotFound = (bucket: string): IamRequest[] =>
    notFound(call)
      ? [
          {
            action: 's3:ListBucket',
            resource: bucketArn(bucket),
            context: {},
            note: 'answered 404: S3 says 404 rather than 403 only to callers that may list the bucket',
          },
        ]
      : [];
  switch (call.command) {
    case 'GetObjectCommand':
    case 'HeadObjectCommand': {
      refuseUnmodelled(call, ['SSECustomerKey']);
      const bucket = text(call, 'Bucket');
      const versioned = call.input.VersionId !== undefined;
      return [
        {
          action: versioned ? 's3:GetObjectVersion' : 's3:GetObject',
          resource: objectArn(bucket, text(call, 'Key')),
          context: {},
        },
        ...listForNotFound(bucket),
      ];
    }
    case 'PutObjectCommand': {
      refuseUnmodelled(call, OBJECT_FIELDS_WITH_OWN_ACTIONS);
      return [
        { action: 's3:PutObject', resource: objectArn(text(call, 'Bucket'), text(call, 'Key')), context: {} },
      ];
    }
    case 'CopyObjectCommand': {
      refuseUnmodelled(call, [...OBJECT_FIELDS_WITH_OWN_ACTIONS, 'TaggingDirective']);
      const source = decodeURIComponent(text(call, 'CopySource').replace(/^\//, ''));
      const [sourcePath = '', version] = source.split('?versionId=');
      const slash = sourcePath.indexOf('/');
      if (slash <= 0)
        throw new UnknownCallError(`CopyObjectCommand with CopySource "${source}": expected bucket/key`);
      const sourceBucket = sourcePath.slice(0, slash);
      return [
        {
          action: version ? 's3:GetObjectVersion' : 's3:GetObject',
          resource: objectArn(sourceBucket, sourcePath.slice(slash + 1)),
          context: {},
          note: 'the copy reads its source',
        },
        { action: 's3:PutObject', resource: objectArn(text(call, 'Bucket'), text(call, 'Key')), context: {} },
        ...listForNotFound(sourceBucket),
      ];
    }
    case 'DeleteObjectCommand': {
      const versioned = call.input.VersionId !== undefined;
      return [
        {
          action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
          resource: objectArn(text(call, 'Bucket'), text(call, 'Key')),
          context: {},
        },
      ];
    }
    case 'DeleteObjectsCommand': {
      const bucket = text(call, 'Bucket');
      const objects = ((call.input.Delete as { Objects?: { Key?: string; VersionId?: string }[] } | undefined)
        ?.Objects ?? []) as { Key?: string; VersionId?: string }[];
      return objects.map((object) => ({
        action: object.VersionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
        resource: objectArn(bucket, object.Key ?? ''),
        context: {},
        note: 'one of a DeleteObjects batch',
      }));
    }
    case 'ListObjectsV2Command':
    case 'ListObjectsCommand': {
      const context: Record<string, string> = {};
      const input: Input = call.input;
      if (typeof input.Prefix === 'string') context['s3:prefix'] = input.Prefix;
      if (typeof input.Delimiter === 'string') context['s3:delimiter'] = input.Delimiter;
      if (typeof input.MaxKeys === 'number') context['s3:max-keys'] = String(input.MaxKeys);
      return [{ action: 's3:ListBucket', resource: bucketArn(text(call, 'Bucket')), context }];
    }
    default:
      throw new UnknownCallError(unknownMessage(call));
  }
}

const KINESIS_STREAM_ACTIONS: Readonly<Record<string, string>> = {
  PutRecordsCommand: 'kinesis:PutRecords',
  PutRecordCommand: 'kinesis:PutRecord',
  ListShardsCommand: 'kinesis:ListShards',
  GetShardIteratorCommand: 'kinesis:GetShardIterator',
  GetRecordsCommand: 'kinesis:GetRecords',
  DescribeStreamCommand: 'kinesis:DescribeStream',
  DescribeStreamSummaryCommand: 'kinesis:DescribeStreamSummary',
};

function kinesisRequests(call: RecordedCall, scope: ArnScope): IamRequest[] {
  const action = KINESIS_STREAM_ACTIONS[call.command];
  if (!action) throw new UnknownCallError(unknownMessage(call));
  const arn = call.input.StreamARN;
  const name = call.input.StreamName ?? call.streamName;
  const resource =
    typeof arn === 'string'
      ? arn
      : typeof name === 'string'
        ? `arn:${scope.partition}:kinesis:${scope.region}:${scope.account}:stream/${name}`
        : undefined;
  if (!resource)
    throw new UnknownCallError(
      `${call.command} names no stream and none is known from its iterator or token`,
    );
  return [{ action, resource, context: {} }];
}

function sfnRequests(call: RecordedCall): IamRequest[] {
  switch (call.command) {
    case 'StartExecutionCommand':
    case 'states:StartExecution':
      return [{ action: 'states:StartExecution', resource: text(call, 'stateMachineArn'), context: {} }];
    case 'DescribeExecutionCommand':
      return [{ action: 'states:DescribeExecution', resource: text(call, 'executionArn'), context: {} }];
    default:
      throw new UnknownCallError(unknownMessage(call));
  }
}

/** One events:PutEvents per entry, on the bus it names (the default bus when it names none). */
function eventBridgeRequests(call: RecordedCall, scope: ArnScope): IamRequest[] {
  const entries = Array.isArray(call.input.Entries) ? (call.input.Entries as Input[]) : [];
  if (entries.length === 0) throw new UnknownCallError(`${call.command} has no Entries`);
  return entries.map((entry): IamRequest => {
    const bus = typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default';
    return {
      action: 'events:PutEvents',
      resource: bus.startsWith('arn:')
        ? bus
        : `arn:${scope.partition}:events:${scope.region}:${scope.account}:event-bus/${bus}`,
      context:
        typeof entry.Source === 'string' ? { 'events:source': entry.Source } : ({} as Record<string, string>),
    };
  });
}

const S3_COMMANDS = /^(Get|Head|Put|Copy|Delete|List)Object/;
const KINESIS_COMMANDS = new Set(Object.keys(KINESIS_STREAM_ACTIONS));

/** The IAM requests a recorded call makes; throws UnknownCallError for anything not modelled. */
export function iamRequestsOf(call: RecordedCall, scope: ArnScope): IamRequest[] {
  if (call.command === 'lambda:InvokeFunction')
    return [{ action: 'lambda:InvokeFunction', resource: text(call, 'FunctionName'), context: {} }];
  if (
    call.command === 'states:StartExecution' ||
    /^(StartExecution|DescribeExecution)Command$/.test(call.command)
  )
    return sfnRequests(call);
  if (KINESIS_COMMANDS.has(call.command)) return kinesisRequests(call, scope);
  if (call.command === 'PutEventsCommand') return eventBridgeRequests(call, scope);
  if (S3_COMMANDS.test(call.command)) return s3Requests(call, scope);
  throw new UnknownCallError(unknownMessage(call));
}

function unknownMessage(call: RecordedCall): string {
  return `${call.caller.kind} ${call.caller.name} made ${call.command}, which the IAM check does not know: add it to test/iam/aws-actions.ts with the IAM action(s), resource(s) and condition keys it needs`;
}
