/**
 * The HTTP requests the functions made in the LocalStack tier (recorded below the bundled SDK by
 * local/localstack/plugins/smlp_localstack/runner.cjs) turned back into the SDK command name and
 * input that aws-actions.ts maps to IAM requests. Only the request shapes the SDK sends for the
 * commands listed here are understood; anything else (another S3 subresource, an x-amz- header
 * that may need an action of its own, an unsigned request, a JSON target of another service) is
 * an UnknownCallError naming the request, never a silent pass.
 */
import { UnknownCallError } from './aws-actions.js';
import type { Caller, RecordedCall } from './call-recorder.js';

/** One line of the call log, as runner.cjs writes it. */
export interface HttpCall {
  /** AWS_LAMBDA_FUNCTION_NAME of the function that made it. */
  readonly function: string;
  readonly pid: number;
  /** When the request started (ISO 8601). */
  readonly time: string;
  readonly method: string;
  readonly host: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** The service of the SigV4 credential scope (`s3`, `kinesis`, `states`); absent if unsigned. */
  readonly service?: string;
  /** The request's `x-amz-*` headers (not the session token) and its content-type. */
  readonly headers: Readonly<Record<string, string>>;
  /** The answer's status; null when none came (a network error, a killed sandbox). */
  readonly status: number | null;
  /** JSON-protocol requests: the parsed body (record payloads elided); S3 POST ?delete: the XML. */
  readonly body?: unknown;
  /** Iterators and page tokens a JSON answer handed back. */
  readonly tokens?: readonly string[];
}

/** The command and input the SDK built the request from. */
export interface SdkCommand {
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** Parses the call log; a line that is not a recorded request is an error naming it. */
export function readCallLog(text: string): HttpCall[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => {
      const call = JSON.parse(line) as HttpCall;
      for (const field of ['function', 'method', 'host', 'path'] as const)
        if (typeof call[field] !== 'string')
          throw new Error(`call log line ${number} has no ${field}: ${line.slice(0, 200)}`);
      if (typeof call.headers !== 'object' || call.headers === null)
        throw new Error(`call log line ${number} has no headers: ${line.slice(0, 200)}`);
      return call;
    });
}

/** A short description of a request for error messages. */
export function describeHttpCall(call: HttpCall): string {
  const target = call.headers['x-amz-target'];
  return `${call.function}: ${call.method} ${call.path}${target ? ` (${target})` : ''} [${call.service ?? 'unsigned'}]`;
}

// -- S3 ----------------------------------------------------------------------------------------

/** Headers that may need an action of their own, as the input fields aws-actions.ts refuses. */
const S3_HEADER_FIELDS: Readonly<Record<string, string>> = {
  'x-amz-acl': 'ACL',
  'x-amz-grant-full-control': 'GrantFullControl',
  'x-amz-grant-read': 'GrantRead',
  'x-amz-grant-read-acp': 'GrantReadACP',
  'x-amz-grant-write-acp': 'GrantWriteACP',
  'x-amz-tagging': 'Tagging',
  'x-amz-tagging-directive': 'TaggingDirective',
  'x-amz-object-lock-mode': 'ObjectLockMode',
  'x-amz-object-lock-retain-until-date': 'ObjectLockRetainUntilDate',
  'x-amz-object-lock-legal-hold': 'ObjectLockLegalHoldStatus',
  'x-amz-server-side-encryption-aws-kms-key-id': 'SSEKMSKeyId',
  'x-amz-server-side-encryption-customer-key': 'SSECustomerKey',
  'x-amz-bypass-governance-retention': 'BypassGovernanceRetention',
};

/**
 * Headers that change nothing IAM evaluates for the calls understood here: signing, checksums,
 * user metadata, the copy's metadata directive and preconditions. Any other x-amz- header is
 * refused.
 */
const S3_NEUTRAL_HEADERS =
  /^x-amz-(date|content-sha256|user-agent|decoded-content-length|trailer|sdk-checksum-algorithm|checksum-(mode|crc32|crc32c|crc64nvme|sha1|sha256)|meta-.+|metadata-directive|copy-source|copy-source-if-(?:match|none-match|modified-since|unmodified-since)|expected-bucket-owner)$/;

interface S3Operation {
  readonly command: string;
  /** Query parameters the SDK sends for it, by input field; any other query parameter is refused. */
  readonly query: Readonly<Record<string, string>>;
}

const GET_OBJECT: S3Operation = {
  command: 'GetObject',
  query: {
    versionId: 'VersionId',
    partNumber: 'PartNumber',
    'response-cache-control': 'ResponseCacheControl',
    'response-content-disposition': 'ResponseContentDisposition',
    'response-content-encoding': 'ResponseContentEncoding',
    'response-content-language': 'ResponseContentLanguage',
    'response-content-type': 'ResponseContentType',
    'response-expires': 'ResponseExpires',
  },
};
const HEAD_OBJECT: S3Operation = { command: 'HeadObject', query: { versionId: 'VersionId' } };
const PUT_OBJECT: S3Operation = { command: 'PutObject', query: {} };
const COPY_OBJECT: S3Operation = { command: 'CopyObject', query: {} };
const DELETE_OBJECT: S3Operation = { command: 'DeleteObject', query: { versionId: 'VersionId' } };
const DELETE_OBJECTS: S3Operation = { command: 'DeleteObjects', query: { delete: '' } };
const LIST_OBJECTS_V2: S3Operation = {
  command: 'ListObjectsV2',
  query: {
    'list-type': '',
    prefix: 'Prefix',
    delimiter: 'Delimiter',
    'max-keys': 'MaxKeys',
    'continuation-token': 'ContinuationToken',
    'start-after': 'StartAfter',
    'fetch-owner': 'FetchOwner',
    'encoding-type': 'EncodingType',
  },
};
const LIST_OBJECTS: S3Operation = {
  command: 'ListObjects',
  query: {
    prefix: 'Prefix',
    delimiter: 'Delimiter',
    'max-keys': 'MaxKeys',
    marker: 'Marker',
    'encoding-type': 'EncodingType',
  },
};

/** The bucket of a virtual-hosted request (`bucket.s3.us-east-1.amazonaws.com`), if it is one. */
function virtualHostedBucket(host: string): string | undefined {
  return /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.(?:amazonaws\.com|localhost\.localstack\.cloud)(?::\d+)?$/.exec(
    host,
  )?.[1];
}

function s3Operation(call: HttpCall, key: string, query: URLSearchParams): S3Operation | undefined {
  const method = call.method.toUpperCase();
  if (key === '') {
    if (method === 'GET') return query.get('list-type') === '2' ? LIST_OBJECTS_V2 : LIST_OBJECTS;
    if (method === 'POST' && query.has('delete')) return DELETE_OBJECTS;
    return undefined;
  }
  switch (method) {
    case 'GET':
      return GET_OBJECT;
    case 'HEAD':
      return HEAD_OBJECT;
    case 'PUT':
      return call.headers['x-amz-copy-source'] !== undefined ? COPY_OBJECT : PUT_OBJECT;
    case 'DELETE':
      return DELETE_OBJECT;
    default:
      return undefined;
  }
}

/** `<Delete><Object><Key>k</Key><VersionId>v</VersionId></Object>…</Delete>` */
function deleteObjectsOf(call: HttpCall): { Key: string; VersionId?: string }[] {
  if (typeof call.body !== 'string' || !/<Delete[\s>]/.test(call.body))
    throw new UnknownCallError(
      `${describeHttpCall(call)}: DeleteObjects without its XML body in the call log`,
    );
  const xmlText = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#x([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
      .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
      .replace(/&amp;/g, '&');
  return [...call.body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map(([, object = '']) => {
    const key = /<Key>([\s\S]*?)<\/Key>/.exec(object)?.[1];
    if (key === undefined)
      throw new UnknownCallError(`${describeHttpCall(call)}: a DeleteObjects entry without a Key`);
    const version = /<VersionId>([\s\S]*?)<\/VersionId>/.exec(object)?.[1];
    return { Key: xmlText(key), ...(version !== undefined ? { VersionId: xmlText(version) } : {}) };
  });
}

function s3Command(call: HttpCall): SdkCommand {
  const [rawPath = '', rawQuery = ''] = call.path.split(/\?(.*)/s);
  const query = new URLSearchParams(rawQuery);
  const segments = rawPath.replace(/^\//, '').split('/');
  const hosted = virtualHostedBucket(call.host);
  const bucket = hosted ?? decodeURIComponent(segments.shift() ?? '');
  const key = segments.map(decodeURIComponent).join('/');
  if (bucket === '')
    throw new UnknownCallError(`${describeHttpCall(call)}: an S3 request that names no bucket`);
  const operation = s3Operation(call, key, query);
  if (!operation)
    throw new UnknownCallError(
      `${describeHttpCall(call)}: an S3 request the IAM check does not know; add it to test/iam/http-calls.ts`,
    );
  const sdkId = query.get('x-id');
  if (sdkId !== null && sdkId !== operation.command)
    throw new UnknownCallError(
      `${describeHttpCall(call)}: read as ${operation.command}, but the SDK says x-id=${sdkId}`,
    );
  const input: Record<string, unknown> = { Bucket: bucket, ...(key !== '' ? { Key: key } : {}) };
  for (const [name, value] of query) {
    if (name === 'x-id') continue;
    const field = operation.query[name];
    if (field === undefined)
      throw new UnknownCallError(
        `${describeHttpCall(call)}: query parameter ${name} is not part of ${operation.command} as the IAM check knows it`,
      );
    if (field !== '') input[field] = field === 'MaxKeys' ? Number(value) : value;
  }
  for (const [name, value] of Object.entries(call.headers)) {
    if (!name.startsWith('x-amz-')) continue;
    const field = S3_HEADER_FIELDS[name];
    if (field) input[field] = value;
    else if (!S3_NEUTRAL_HEADERS.test(name))
      throw new UnknownCallError(
        `${describeHttpCall(call)}: header ${name} may need more than ${operation.command}'s own action; model it in test/iam/http-calls.ts`,
      );
  }
  if (operation === COPY_OBJECT) input.CopySource = call.headers['x-amz-copy-source'];
  if (operation === DELETE_OBJECTS) input.Delete = { Objects: deleteObjectsOf(call) };
  return { command: `${operation.command}Command`, input };
}

// -- JSON protocol services ------------------------------------------------------------------

/** The x-amz-target prefix of each JSON-protocol service the functions may call. */
const JSON_TARGETS: Readonly<Record<string, string>> = {
  kinesis: 'Kinesis_20131202.',
  states: 'AWSStepFunctions.',
  events: 'AWSEvents.',
};

function jsonCommand(call: HttpCall, target: string): SdkCommand {
  const prefix = call.service ? JSON_TARGETS[call.service] : undefined;
  if (!prefix || !target.startsWith(prefix))
    throw new UnknownCallError(
      `${describeHttpCall(call)}: a JSON-protocol request the IAM check does not know; add its service to test/iam/http-calls.ts`,
    );
  if (call.body === null || typeof call.body !== 'object' || Array.isArray(call.body))
    throw new UnknownCallError(`${describeHttpCall(call)}: no JSON body in the call log`);
  return { command: `${target.slice(prefix.length)}Command`, input: call.body as Record<string, unknown> };
}

/** The SDK command a recorded request was built from; UnknownCallError for any other request. */
export function sdkCommandOf(call: HttpCall): SdkCommand {
  if (!call.service)
    throw new UnknownCallError(
      `${describeHttpCall(call)}: an unsigned request, not an AWS call the IAM check knows`,
    );
  const target = call.headers['x-amz-target'];
  if (target !== undefined) return jsonCommand(call, target);
  if (call.service === 's3') return s3Command(call);
  throw new UnknownCallError(
    `${describeHttpCall(call)}: a ${call.service} request the IAM check does not know; add it to test/iam/http-calls.ts`,
  );
}

function outcomeOf(call: HttpCall): NonNullable<RecordedCall['outcome']> {
  if (call.status === null) return { ok: false, name: 'NoResponse' };
  return call.status < 300 || call.status === 304
    ? { ok: true }
    : { ok: false, name: `HTTP ${call.status}`, status: call.status };
}

export interface TranslatedCalls {
  readonly calls: RecordedCall[];
  /** Requests that are no known call or made by no known function, one message each. */
  readonly unknown: string[];
}

/**
 * The recorded calls of a call log, in its order (each line is written when its answer has been
 * read, so a GetShardIterator comes before the GetRecords that uses its iterator). `callerOf`
 * names the function a deployed function name belongs to.
 */
export function translateHttpCalls(
  httpCalls: readonly HttpCall[],
  callerOf: (functionName: string) => Caller | undefined,
): TranslatedCalls {
  const calls: RecordedCall[] = [];
  const unknown: string[] = [];
  // GetRecords names only an iterator, a later ListShards page only a token: their stream.
  const streams = new Map<string, string>();
  for (const httpCall of httpCalls) {
    const caller = callerOf(httpCall.function);
    if (!caller) {
      unknown.push(`${describeHttpCall(httpCall)}: made by a function the stacks do not deploy`);
      continue;
    }
    let command: SdkCommand;
    try {
      command = sdkCommandOf(httpCall);
    } catch (error) {
      if (!(error instanceof UnknownCallError)) throw error;
      unknown.push(error.message);
      continue;
    }
    const call: RecordedCall = { caller, ...command, outcome: outcomeOf(httpCall) };
    const token = command.input.ShardIterator ?? command.input.NextToken;
    const known = typeof token === 'string' ? streams.get(token) : undefined;
    if (known) call.streamName = known;
    const stream =
      (typeof command.input.StreamName === 'string' ? command.input.StreamName : undefined) ??
      (typeof command.input.StreamARN === 'string'
        ? /:stream\/([^/]+)$/.exec(command.input.StreamARN)?.[1]
        : undefined) ??
      known;
    if (stream) for (const handed of httpCall.tokens ?? []) streams.set(handed, stream);
    calls.push(call);
  }
  return { calls, unknown };
}
