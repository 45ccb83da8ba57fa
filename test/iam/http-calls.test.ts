import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { type ArnScope, iamRequestsOf, UnknownCallError } from './aws-actions.js';
import type { Caller } from './call-recorder.js';
import { type HttpCall, readCallLog, sdkCommandOf, translateHttpCalls } from './http-calls.js';

const scope: ArnScope = { partition: 'aws', region: 'us-east-1', account: '000000000000' };
const ingest: Caller = { kind: 'function', name: 'ingest' };
const callerOf = (name: string): Caller | undefined =>
  name.startsWith('smlp-lstest-') ? { kind: 'function', name: name.slice('smlp-lstest-'.length) } : undefined;

/** A request as runner.cjs records it. */
const httpCall = (overrides: Partial<HttpCall> = {}): HttpCall => ({
  function: 'smlp-lstest-ingest',
  pid: 1,
  time: '2024-01-01T00:00:00.000Z',
  method: 'GET',
  host: '127.0.0.1:4566',
  path: '/smlp-lstest-data/raw/a.json?x-id=GetObject',
  service: 's3',
  headers: { 'x-amz-date': '20240101T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  status: 200,
  ...overrides,
});
const kinesisCall = (operation: string, body: unknown, tokens?: string[]): HttpCall =>
  httpCall({
    method: 'POST',
    path: '/',
    service: 'kinesis',
    headers: {
      'x-amz-target': `Kinesis_20131202.${operation}`,
      'content-type': 'application/x-amz-json-1.1',
    },
    body,
    ...(tokens ? { tokens } : {}),
  });

describe('S3 requests', () => {
  it('reads path-style object requests as the commands the SDK sent', () => {
    expect(sdkCommandOf(httpCall())).toEqual({
      command: 'GetObjectCommand',
      input: { Bucket: 'smlp-lstest-data', Key: 'raw/a.json' },
    });
    expect(sdkCommandOf(httpCall({ method: 'HEAD', path: '/b/models/x%20y.json?versionId=v1' }))).toEqual({
      command: 'HeadObjectCommand',
      input: { Bucket: 'b', Key: 'models/x y.json', VersionId: 'v1' },
    });
    expect(sdkCommandOf(httpCall({ method: 'PUT', path: '/b/raw/k?x-id=PutObject' })).command).toBe(
      'PutObjectCommand',
    );
    expect(sdkCommandOf(httpCall({ method: 'DELETE', path: '/b/raw/k?x-id=DeleteObject' })).command).toBe(
      'DeleteObjectCommand',
    );
  });

  it('reads a copy from its x-amz-copy-source header', () => {
    const call = httpCall({
      method: 'PUT',
      path: '/b/archive/k?x-id=CopyObject',
      headers: { 'x-amz-copy-source': 'b/raw/k', 'x-amz-metadata-directive': 'COPY' },
    });
    expect(sdkCommandOf(call)).toEqual({
      command: 'CopyObjectCommand',
      input: { Bucket: 'b', Key: 'archive/k', CopySource: 'b/raw/k' },
    });
    expect(iamRequestsOf({ caller: ingest, ...sdkCommandOf(call) }, scope).map((r) => r.action)).toEqual([
      's3:GetObject',
      's3:PutObject',
    ]);
  });

  it('reads a listing with its prefix as the condition keys IAM sees', () => {
    const command = sdkCommandOf(
      httpCall({ path: '/b?list-type=2&prefix=raw%2Fwater%2F&delimiter=%2F&max-keys=100' }),
    );
    expect(command).toEqual({
      command: 'ListObjectsV2Command',
      input: { Bucket: 'b', Prefix: 'raw/water/', Delimiter: '/', MaxKeys: 100 },
    });
    expect(iamRequestsOf({ caller: ingest, ...command }, scope)).toEqual([
      {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::b',
        context: { 's3:prefix': 'raw/water/', 's3:delimiter': '/', 's3:max-keys': '100' },
      },
    ]);
  });

  it('reads the keys of a DeleteObjects from its XML body', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>raw/a&amp;b</Key></Object><Object><Key>raw/c</Key><VersionId>v2</VersionId></Object><Quiet>true</Quiet></Delete>';
    const command = sdkCommandOf(httpCall({ method: 'POST', path: '/b?delete', body }));
    expect(command).toEqual({
      command: 'DeleteObjectsCommand',
      input: { Bucket: 'b', Delete: { Objects: [{ Key: 'raw/a&b' }, { Key: 'raw/c', VersionId: 'v2' }] } },
    });
    expect(iamRequestsOf({ caller: ingest, ...command }, scope).map((r) => [r.action, r.resource])).toEqual([
      ['s3:DeleteObject', 'arn:aws:s3:::b/raw/a&b'],
      ['s3:DeleteObjectVersion', 'arn:aws:s3:::b/raw/c'],
    ]);
  });

  it('reads a virtual-hosted request too', () => {
    expect(
      sdkCommandOf(httpCall({ host: 'smlp-lstest-data.s3.localhost.localstack.cloud:4566', path: '/raw/a' })),
    ).toEqual({ command: 'GetObjectCommand', input: { Bucket: 'smlp-lstest-data', Key: 'raw/a' } });
  });

  it('keeps the headers that need more than the call action, so aws-actions refuses them', () => {
    const command = sdkCommandOf(
      httpCall({ method: 'PUT', path: '/b/raw/k', headers: { 'x-amz-acl': 'public-read' } }),
    );
    expect(command.input.ACL).toBe('public-read');
    expect(() => iamRequestsOf({ caller: ingest, ...command }, scope)).toThrow(/ACL/);
  });

  it('refuses what it does not know instead of passing it', () => {
    const refused: Partial<HttpCall>[] = [
      { method: 'PUT', path: '/b/raw/k?tagging' }, // PutObjectTagging
      { method: 'GET', path: '/b?acl' }, // GetBucketAcl
      { method: 'POST', path: '/b/raw/k?uploads' }, // CreateMultipartUpload
      { method: 'HEAD', path: '/b' }, // HeadBucket
      { method: 'GET', path: '/b/raw/k?x-id=GetObjectAttributes' },
      { method: 'PUT', path: '/b/raw/k', headers: { 'x-amz-website-redirect-location': '/x' } },
      { method: 'POST', path: '/b?delete' }, // DeleteObjects whose body was not recorded
      { service: undefined }, // unsigned
      { service: 'sqs', path: '/' },
    ];
    for (const overrides of refused)
      expect(() => sdkCommandOf(httpCall(overrides)), JSON.stringify(overrides)).toThrow(UnknownCallError);
  });
});

describe('JSON-protocol requests', () => {
  it('reads the command from x-amz-target and the input from the body', () => {
    const call = kinesisCall('PutRecords', { StreamName: 's', Records: [{ Data: '(12 characters)' }] });
    expect(sdkCommandOf(call)).toEqual({
      command: 'PutRecordsCommand',
      input: { StreamName: 's', Records: [{ Data: '(12 characters)' }] },
    });
    const start = httpCall({
      method: 'POST',
      path: '/',
      service: 'states',
      headers: { 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body: { stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m', input: '{}' },
    });
    expect(iamRequestsOf({ caller: ingest, ...sdkCommandOf(start) }, scope)).toEqual([
      {
        action: 'states:StartExecution',
        resource: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
        context: {},
      },
    ]);
  });

  it('refuses a target of another service, or one without the body it needs', () => {
    expect(() =>
      sdkCommandOf({
        ...kinesisCall('PutRecords', {}),
        headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      }),
    ).toThrow(UnknownCallError);
    expect(() => sdkCommandOf(kinesisCall('PutRecords', 'not json'))).toThrow(/no JSON body/);
  });
});

describe('translating a call log', () => {
  it('follows iterators and page tokens to the stream they came from, in the order of the log', () => {
    // Prepare
    const log = [
      kinesisCall('ListShards', { StreamName: 'records' }, ['page-2']),
      kinesisCall('ListShards', { NextToken: 'page-2' }),
      kinesisCall('GetShardIterator', { StreamName: 'records', ShardId: 's-0' }, ['it-1']),
      kinesisCall('GetRecords', { ShardIterator: 'it-1' }, ['it-2']),
      kinesisCall('GetRecords', { ShardIterator: 'it-2' }),
      kinesisCall('GetRecords', { ShardIterator: 'from-elsewhere' }),
    ];
    // Act
    const { calls, unknown } = translateHttpCalls(log, callerOf);
    // Assess
    expect(unknown).toEqual([]);
    expect(calls.map((c) => c.streamName)).toEqual([
      undefined,
      'records',
      undefined,
      'records',
      'records',
      undefined,
    ]);
    expect(iamRequestsOf(calls[4] as (typeof calls)[number], scope)[0]?.resource).toBe(
      'arn:aws:kinesis:us-east-1:000000000000:stream/records',
    );
    // An iterator no recorded call handed out names no stream: the mapping refuses it.
    expect(() => iamRequestsOf(calls[5] as (typeof calls)[number], scope)).toThrow(UnknownCallError);
  });

  it("records each answer's status as the call's outcome: a 404 read also needs s3:ListBucket", () => {
    const { calls } = translateHttpCalls(
      [httpCall({ method: 'HEAD', path: '/b/cursor.json', status: 404 }), httpCall({ status: null })],
      callerOf,
    );
    expect(calls.map((c) => c.outcome)).toEqual([
      { ok: false, name: 'HTTP 404', status: 404 },
      { ok: false, name: 'NoResponse' },
    ]);
    expect(iamRequestsOf(calls[0] as (typeof calls)[number], scope).map((r) => r.action)).toEqual([
      's3:GetObject',
      's3:ListBucket',
    ]);
  });

  it('lists requests it cannot read and functions it does not know, and keeps the rest', () => {
    const { calls, unknown } = translateHttpCalls(
      [httpCall(), httpCall({ method: 'GET', path: '/b?acl' }), httpCall({ function: 'someone-else' })],
      callerOf,
    );
    expect(calls).toHaveLength(1);
    expect(unknown).toEqual([
      expect.stringMatching(
        /^smlp-lstest-ingest: GET \/b\?acl \[s3\]: query parameter acl is not part of ListObjects/,
      ),
      expect.stringMatching(/^someone-else: .*made by a function the stacks do not deploy/),
    ]);
  });

  it('parses the log one JSON line per request, and refuses a line that is not one', () => {
    const text = `${JSON.stringify(httpCall())}\n\n${JSON.stringify(httpCall({ method: 'HEAD' }))}\n`;
    expect(readCallLog(text).map((c) => c.method)).toEqual(['GET', 'HEAD']);
    expect(() => readCallLog('{"function":"f"}\n')).toThrow(/line 1 has no method/);
  });
});

describe("runner.cjs's record, read back", () => {
  /** A function as LocalStack runs it: runner.cjs, the SDK loaded by the handler, SMLP_CALL_LOG set. */
  const handlerSource = (sdk: (name: string) => string) => `
import { KinesisClient, GetShardIteratorCommand, GetRecordsCommand, PutRecordsCommand } from ${JSON.stringify(sdk('@aws-sdk/client-kinesis'))};
import { S3Client, HeadObjectCommand, DeleteObjectsCommand, CopyObjectCommand } from ${JSON.stringify(sdk('@aws-sdk/client-s3'))};
import { NodeHttpHandler } from ${JSON.stringify(sdk('@smithy/node-http-handler'))};
const config = { region: 'us-east-1', endpoint: process.env.PROBE_ENDPOINT, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const kinesis = new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() });
const s3 = new S3Client({ ...config, forcePathStyle: true });
export const handler = async () => {
  await kinesis.send(new PutRecordsCommand({ StreamName: 'records', Records: [{ Data: new Uint8Array(64), PartitionKey: 'p' }] }));
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'records', ShardId: 'shardId-0', ShardIteratorType: 'TRIM_HORIZON' }));
  await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'state/cursor 1.json' })).catch(() => undefined);
  await s3.send(new CopyObjectCommand({ Bucket: 'data', Key: 'archive/a', CopySource: 'data/raw/a' }));
  await s3.send(new DeleteObjectsCommand({ Bucket: 'data', Delete: { Objects: [{ Key: 'raw/a' }] } }));
  const session = (await import('node:http2')).connect(process.env.PROBE_ENDPOINT);
  session.on('error', () => undefined);
  session.close();
  return 'done';
};`;

  it('records each request the bundled SDK sends, which reads back as the commands it was built from', async () => {
    // Prepare: a stand-in for AWS, and a function directory outside the checkout (as LocalStack unpacks it).
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const target = request.headers['x-amz-target'];
        if (target) {
          response.setHeader('content-type', 'application/x-amz-json-1.1');
          response.end(
            JSON.stringify(
              String(target).endsWith('GetShardIterator')
                ? { ShardIterator: 'iterator-1' }
                : String(target).endsWith('GetRecords')
                  ? { Records: [], NextShardIterator: 'iterator-2', MillisBehindLatest: 0 }
                  : { FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 'shardId-0' }] },
            ),
          );
        } else if (request.method === 'HEAD') {
          response.statusCode = 404;
          response.end();
        } else {
          response.setHeader('content-type', 'application/xml');
          response.end(
            request.method === 'PUT'
              ? '<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>'
              : '<DeleteResult/>',
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(path.join(tmpdir(), 'smlp-runner-'));
    const callLog = path.join(dir, 'calls.jsonl');
    const require = createRequire(path.join(REPO_ROOT, 'package.json'));
    writeFileSync(
      path.join(dir, 'index.mjs'),
      handlerSource((name) => pathToFileURL(require.resolve(name)).href),
    );
    try {
      // Act: one invocation, then stdin closes and the runner exits.
      const runner = spawn(
        process.execPath,
        [path.join(REPO_ROOT, 'local/localstack/plugins/smlp_localstack/runner.cjs')],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            LAMBDA_TASK_ROOT: dir,
            AWS_LAMBDA_FUNCTION_NAME: 'smlp-lstest-ingest',
            SMLP_RESPONSE_FD: '3',
            SMLP_CALL_LOG: callLog,
            PROBE_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          },
          stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
        },
      );
      const answers: string[] = [];
      let stderr = '';
      runner.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      runner.stdio[3]?.on('data', (chunk: Buffer) => {
        answers.push(chunk.toString());
        if (answers.join('').includes('"type":"response"')) runner.stdin?.end();
      });
      runner.stdin?.write(
        `${JSON.stringify({ requestId: 'r-1', payload: '{}', deadlineMs: Date.now() + 30_000 })}\n`,
      );
      await new Promise((resolve) => runner.on('exit', resolve));
      // Assess
      expect(answers.join(''), stderr).toContain('"payload":"\\"done\\""');
      const recorded = readCallLog(readFileSync(callLog, 'utf8'));
      expect(recorded.every((call) => call.function === 'smlp-lstest-ingest')).toBe(true);
      const { calls, unknown } = translateHttpCalls(recorded, callerOf);
      // An HTTP/2 session bypasses the hooks on requests: it is recorded, and refused.
      expect(unknown).toEqual([expect.stringMatching(/^smlp-lstest-ingest: HTTP\/2 connect .*unsigned/)]);
      expect(calls.map((c) => [c.command, c.outcome?.ok, c.streamName])).toEqual([
        ['PutRecordsCommand', true, undefined],
        ['GetShardIteratorCommand', true, undefined],
        ['GetRecordsCommand', true, 'records'],
        ['HeadObjectCommand', false, undefined],
        ['CopyObjectCommand', true, undefined],
        ['DeleteObjectsCommand', true, undefined],
      ]);
      // Record payloads are left out of the log; what IAM needs is there.
      expect(calls[0]?.input).toEqual({
        StreamName: 'records',
        Records: [{ Data: expect.stringMatching(/^\(\d+ characters\)$/), PartitionKey: 'p' }],
      });
      expect(calls.flatMap((c) => iamRequestsOf(c, scope)).map((r) => `${r.action} ${r.resource}`)).toEqual([
        'kinesis:PutRecords arn:aws:kinesis:us-east-1:000000000000:stream/records',
        'kinesis:GetShardIterator arn:aws:kinesis:us-east-1:000000000000:stream/records',
        'kinesis:GetRecords arn:aws:kinesis:us-east-1:000000000000:stream/records',
        's3:GetObject arn:aws:s3:::data/state/cursor 1.json',
        's3:ListBucket arn:aws:s3:::data',
        's3:GetObject arn:aws:s3:::data/raw/a',
        's3:PutObject arn:aws:s3:::data/archive/a',
        's3:DeleteObject arn:aws:s3:::data/raw/a',
      ]);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
