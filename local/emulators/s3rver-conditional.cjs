'use strict';
/**
 * s3rver with S3's conditional writes. s3rver 3.7.1 ignores If-Match / If-None-Match on writes
 * (it overwrites), while real S3 answers 412 PreconditionFailed; the model registry's
 * single-champion guarantee rests on that 412, so the local S3 must give it too.
 *
 * One Koa middleware goes in front of s3rver's router (after its vhost rewrite, so paths are
 * `/<bucket>/<key>`). It serialises the requests on one key with a per-key lock, which makes
 * "check the current ETag, then write" atomic, and answers like S3:
 *   If-None-Match: *        on an existing key        → 412 PreconditionFailed
 *   If-Match: <etag>        on a different ETag        → 412 PreconditionFailed
 *   If-Match: <etag>        on a missing key           → 404 NoSuchKey
 * for PutObject, CopyObject (destination) and CompleteMultipartUpload.
 *
 * Reads take the same lock until their body is sent: s3rver rewrites an object's file in place,
 * so a GET during a PUT could otherwise see half a file or a body that does not match its ETag.
 *
 * PutObject is made atomic too, as on S3: s3rver streams the body into the object's file in place,
 * so a client killed mid-upload left a truncated object (and a body that never ended kept its
 * request, and the key's lock, forever). Here the body is received whole first, written to a
 * file beside the object and renamed over it; a body cut short stores nothing and the old object
 * stays.
 *
 * With `--events-url <url> --events-bucket <name>`, each object created in that bucket (s3rver's
 * 'event' for PutObject, CopyObject, POST and CompleteMultipartUpload) is POSTed there as S3's
 * notification JSON (`{ Records: [...] }`): the local EventBridge bus turns it into S3's "Object
 * Created" event, as a bucket with EventBridge notifications on does on AWS.
 *
 * Usage: node --openssl-legacy-provider s3rver-conditional.cjs --directory <dir> --address 127.0.0.1 --port <n>
 * [--events-url <url> --events-bucket <bucket>]
 * (the flag because s3rver encrypts ListObjectsV2 continuation tokens with DES). Prints only errors.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const S3rver = require('s3rver');
const S3Error = require('s3rver/lib/models/error');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

const PRECONDITION_MESSAGE = 'At least one of the pre-conditions you specified did not hold';

/** A FIFO lock per key: each request waits for the one before it on the same key. */
function createKeyLocks() {
  const tails = new Map();
  return async function acquire(id) {
    const before = tails.get(id) ?? Promise.resolve();
    let release;
    const mine = new Promise((resolve) => {
      release = resolve;
    });
    const tail = before.then(() => mine);
    tails.set(id, tail);
    await before;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (tails.get(id) === tail) tails.delete(id);
    };
  };
}

/** `{ bucket, key }` of an object request, or undefined for service and bucket requests. */
function objectTarget(ctx) {
  const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
  if (!match) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}

/** Requests that read or replace an object's content; part uploads and initiations do not. */
function touchesObject(ctx) {
  if (ctx.method === 'POST') return 'uploadId' in ctx.query;
  if (ctx.method === 'PUT') return !('uploadId' in ctx.query);
  return ['GET', 'HEAD', 'DELETE'].includes(ctx.method);
}

/** The writes on which S3 honours If-Match / If-None-Match. */
function isConditionalWrite(ctx) {
  if (ctx.method === 'POST') return 'uploadId' in ctx.query;
  return ctx.method === 'PUT' && !['uploadId', 'tagging', 'acl'].some((name) => name in ctx.query);
}

const bareEtag = (etag) =>
  etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

async function currentEtag(store, bucket, key) {
  try {
    return bareEtag((await store.getMetadata(bucket, key)).etag);
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function checkConditions(ctx, { bucket, key }) {
  const ifMatch = ctx.get('if-match');
  const ifNoneMatch = ctx.get('if-none-match');
  if (!ifMatch && !ifNoneMatch) return;
  // A missing bucket is s3rver's to report (NoSuchBucket), as S3 does before any condition.
  if (!(await ctx.store.getBucket(bucket))) return;
  const etag = await currentEtag(ctx.store, bucket, key);
  if (ifNoneMatch) {
    if (ifNoneMatch.trim() !== '*')
      throw new S3Error(
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
        {
          Header: 'If-None-Match',
        },
      );
    if (etag !== undefined)
      throw new S3Error('PreconditionFailed', PRECONDITION_MESSAGE, { Condition: 'If-None-Match' });
  }
  if (ifMatch) {
    if (etag === undefined) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    const accepted = ifMatch.split(',').map(bareEtag);
    if (!accepted.includes('*') && !accepted.includes(etag))
      throw new S3Error('PreconditionFailed', PRECONDITION_MESSAGE, { Condition: 'If-Match' });
  }
}

function conditionalWrites() {
  const acquire = createKeyLocks();
  return async function conditionalWrites(ctx, next) {
    const target = objectTarget(ctx);
    if (!target || !touchesObject(ctx)) return next();
    const release = await acquire(`${target.bucket}/${target.key}`);
    // A client that goes away mid-upload (killed, or its SDK timed out) ends its PUT with an
    // error (the atomic put above stores nothing), which releases the key below.
    try {
      if (isConditionalWrite(ctx)) await checkConditions(ctx, target);
      await next();
    } catch (error) {
      release();
      throw error;
    }
    // A GET's body is a file stream Koa pipes after the middleware returns: hold the key until it is sent.
    if (ctx.body && typeof ctx.body.pipe === 'function') ctx.res.once('close', release);
    else release();
  };
}

/** The request body, whole; rejects when the client goes away before it has sent all of it. */
function receiveWhole(content) {
  return new Promise((resolve, reject) => {
    // Gone before this ran (the middleware before it took a while): 'close' has already fired.
    if (content.destroyed) {
      reject(new Error('the client went away before sending the whole body'));
      return;
    }
    const chunks = [];
    let ended = false;
    content.on('data', (chunk) => chunks.push(chunk));
    content.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    content.once('error', reject);
    content.once('aborted', () => reject(new Error('the client went away before sending the whole body')));
    content.once('close', () => {
      if (!ended) reject(new Error('the client went away before sending the whole body'));
    });
  });
}

const storeObject = FilesystemStore.prototype.putObject;
FilesystemStore.prototype.putObject = async function atomicPutObject(object) {
  if (Buffer.isBuffer(object.content) || typeof object.content?.on !== 'function')
    return storeObject.call(this, object);
  const body = await receiveWhole(object.content);
  const expected = Number(object.metadata?.['content-length']);
  if (
    Number.isFinite(expected) &&
    object.metadata['content-length'] !== undefined &&
    body.length !== expected
  )
    throw new S3Error(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  // Not named *._S3rver_object, so listings never see it.
  const partial = `${objectPath}.${process.pid}.${crypto.randomUUID()}.partial`;
  try {
    await fs.promises.writeFile(partial, body);
    await fs.promises.rename(partial, objectPath);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  const md5 = crypto.createHash('md5').update(body).digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: body.length, md5 };
};

/** Waits between the attempts to deliver one notification. */
const EVENT_RETRY_DELAYS_MS = [100, 400, 1_600];

/**
 * Sends S3 notifications to the bus, in the background: a write never waits for its event, and
 * never fails because of it (S3 itself delivers events asynchronously, at least once). A
 * delivery the bus refuses is retried a few times, then reported on stderr.
 */
function forwardEvents(server, url, bucket) {
  server.on('event', (event) => {
    const records = (event.Records ?? []).filter(
      (record) => record.s3?.bucket?.name === bucket && String(record.eventName).startsWith('ObjectCreated:'),
    );
    if (records.length === 0) return;
    void deliver(url, JSON.stringify({ Records: records }));
  });
}

async function deliver(url, body) {
  let problem;
  for (let attempt = 0; attempt <= EVENT_RETRY_DELAYS_MS.length; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      if (response.ok) return;
      problem = `HTTP ${response.status}`;
    } catch (error) {
      problem = error.message;
    }
    const delay = EVENT_RETRY_DELAYS_MS[attempt];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
  }
  console.error(`s3rver: an object-created event was not delivered to ${url}: ${problem}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      directory: { type: 'string' },
      address: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'events-url': { type: 'string' },
      'events-bucket': { type: 'string' },
    },
  });
  if (!values.directory) throw new Error('--directory is required');
  if (Boolean(values['events-url']) !== Boolean(values['events-bucket']))
    throw new Error('--events-url and --events-bucket go together');
  const server = new S3rver({
    address: values.address,
    port: Number(values.port),
    directory: values.directory,
    silent: true,
    vhostBuckets: false,
  });
  // s3rver's last middleware is its router's dispatch; ours must run right before it.
  const routerIndex = server.middleware.findIndex((middleware) => middleware.name === 'dispatch');
  if (routerIndex < 0) throw new Error('s3rver internals changed: no router middleware to insert before');
  server.middleware.splice(routerIndex, 0, conditionalWrites());
  if (values['events-url']) forwardEvents(server, values['events-url'], values['events-bucket']);
  await server.run();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
