import { getObject, putObject } from '../../../adapters/s3-object-store.js';
import { asBag, InputError, numberField, optionalString } from '../../../core/data/input-fields.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import { encodeEnvelope } from '../../../core/streaming/envelope.js';
import { putAllRecords } from '../../../core/streaming/put-records.js';
import { createKinesisClient, createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { kinesisPutRecordsPort } from '../../../lambdas/platform/kinesis-put-records.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { servedRecordAt } from '../records/generator.js';
import {
  heldByOther,
  initialCursor,
  POLLER_CURSOR_KEY,
  type PollerCursor,
  parseCursor,
} from '../records/poller-cursor.js';
import { ONLINE_PARTITION_KEY, ONLINE_SYSTEM } from '../records/record.js';
import { recordFromAnswer, sourceUrlFor } from '../records/source-response.js';

const logger = createLogger('online-poller');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
export const kinesis = createKinesisClient();

/**
 * The function times out at 90 s; a run stops fetching after 75 s of real time whatever its
 * input asked, so it always has time to put its last record and release the cursor.
 */
const MAX_RUN_MS = 75_000;
/** A source that has not answered in 5 s counts as a failed poll; the next poll comes anyway. */
const FETCH_TIMEOUT_MS = 5_000;
/** A record is a few hundred bytes; an answer this large is not one. */
const MAX_ANSWER_BYTES = 256 * 1024;
/** How long a run waits for the previous one to release the cursor (scaled by the clock speed). */
const WAIT_FOR_PREVIOUS_SECONDS = 10;
/** How far past its expected end a run's lease lasts, so a crashed run is replaced (scaled). */
const LEASE_MARGIN_SECONDS = 30;
/** Failures kept word for word in the output; the rest are only counted. */
const FIRST_ERRORS = 5;

export interface PollerInput {
  /** A URL to GET instead of the project's generator; `{tick}` in it is replaced by the tick. */
  sourceUrl?: string;
  seconds: number;
  intervalSeconds: number;
}

export type PollErrorKind = 'network' | 'http' | 'not-json' | 'not-object' | 'too-large' | 'stream';

export interface PollerResult {
  source: string;
  /** Polls made (fetches attempted). */
  polled: number;
  /** Records put on the stream, numbered firstTick…lastTick. */
  sent: number;
  firstTick: number | null;
  lastTick: number | null;
  /** The cursor after the run: the next tick to fetch. */
  next: number;
  /** Failed polls: counted by kind; the cursor does not move for them, the next poll retries. */
  errors: number;
  errorKinds: Partial<Record<PollErrorKind, number>>;
  firstErrors: string[];
  /** Why this run sent nothing: another run is polling. */
  skipped?: string;
  /** Why this run stopped before its time was up. */
  stoppedEarly?: string;
}

function parsePollerInput(input: Record<string, unknown>): PollerInput {
  const bag = asBag(input, 'poller input');
  const sourceUrl = optionalString(bag, 'sourceUrl');
  if (sourceUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(sourceUrlFor(sourceUrl, 0));
    } catch {
      throw new InputError(
        `sourceUrl must be an absolute http(s) URL (e.g. https://example.com/next or http://127.0.0.1:8080/?tick={tick}), got ${JSON.stringify(sourceUrl.slice(0, 200))}`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new InputError(`sourceUrl must use http or https, got ${JSON.stringify(url.protocol)}`);
  }
  const seconds = numberField(bag, 'seconds', 60, 0.001, MAX_RUN_MS / 1000);
  const intervalSeconds = numberField(bag, 'intervalSeconds', 2, 0.001, 60);
  return { ...(sourceUrl !== undefined ? { sourceUrl } : {}), seconds, intervalSeconds };
}

const kinesisPort = kinesisPutRecordsPort(kinesis);

class PollError extends Error {
  constructor(
    readonly kind: PollErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** One record from the user's URL, or a PollError saying what the source did wrong. */
async function fetchFromUrl(template: string, tick: number): Promise<Record<string, unknown>> {
  const url = sourceUrlFor(template, tick);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new PollError(
      'network',
      `GET ${url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new PollError('http', `GET ${url} answered HTTP ${response.status}: ${text.slice(0, 120)}`);
  if (text.length > MAX_ANSWER_BYTES)
    throw new PollError(
      'too-large',
      `GET ${url} answered ${text.length} bytes; a record is at most ${MAX_ANSWER_BYTES}`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PollError(
      'not-json',
      `GET ${url} answered something that is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  const answer = recordFromAnswer(body, tick, new Date());
  if (!answer.ok) throw new PollError('not-object', `GET ${url}: ${answer.reason}`);
  return answer.data;
}

/** The project's generator, in process: the same record the source function serves for the tick. */
function fromGenerator(tick: number): Record<string, unknown> {
  // Stamped with when it was read, as a live feed would be: the generator's own clock (2 s a
  // tick since its epoch) runs ahead of or behind the wall clock when the cursor does.
  return { ...servedRecordAt(tick).data, time: new Date().toISOString() };
}

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function readCursor(): Promise<{ cursor: PollerCursor; etag: string | undefined }> {
  const bucket = handlerEnv.dataBucket();
  const read = await getObject(s3, bucket, POLLER_CURSOR_KEY);
  if (!read) return { cursor: initialCursor(new Date()), etag: undefined };
  const cursor = parseCursor(Buffer.from(read.bytes).toString('utf8'));
  if ('problem' in cursor)
    throw new InputError(
      `the poller's cursor s3://${bucket}/${POLLER_CURSOR_KEY} is not one it wrote (${cursor.problem}); fix or delete it`,
    );
  return { cursor, etag: read.etag };
}

async function writeCursor(cursor: PollerCursor, etag: string | undefined): Promise<string> {
  const written = await putObject(
    s3,
    handlerEnv.dataBucket(),
    POLLER_CURSOR_KEY,
    `${JSON.stringify(cursor, null, 2)}\n`,
    {
      contentType: 'application/json',
      ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' }),
    },
  );
  return written.etag;
}

/**
 * Takes the cursor for this run: a conditional write of the lease. When another run holds it,
 * waits a little for it to finish (schedules can overlap by a second), then gives up.
 */
async function takeCursor(
  runId: string,
  source: string,
  leaseMs: number,
): Promise<{ cursor: PollerCursor; etag: string } | { skipped: string }> {
  const speed = handlerEnv.clockSpeed();
  const giveUpAt = Date.now() + (WAIT_FOR_PREVIOUS_SECONDS * 1000) / speed;
  for (;;) {
    const { cursor, etag } = await readCursor();
    const now = new Date();
    const holder = heldByOther(cursor, runId, now);
    if (holder) {
      if (Date.now() >= giveUpAt)
        return {
          skipped: `run ${holder} is polling (its lease lasts until ${cursor.run?.until}); this run sent nothing`,
        };
      await sleepMs(500 / speed);
      continue;
    }
    const taken: PollerCursor = {
      ...cursor,
      source,
      updatedAt: now.toISOString(),
      run: { id: runId, until: new Date(now.getTime() + leaseMs).toISOString() },
    };
    try {
      return { cursor: taken, etag: await writeCursor(taken, etag) };
    } catch (error) {
      // Another run wrote first: read again and see whose it is now.
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }
}

/**
 * Polls its source for its minute: one record every `intervalSeconds`, each put on the stream
 * (partition key `online`: one shard, in order) and then counted in the cursor with a
 * conditional write. A crash between a put and its cursor write sends that tick again next run;
 * the learner drops ticks it already learned.
 */
async function poll(input: PollerInput, runId: string): Promise<PollerResult> {
  const startedAt = Date.now();
  const speed = handlerEnv.clockSpeed();
  const source = input.sourceUrl ?? 'generator';
  const polls = Math.max(1, Math.round(input.seconds / input.intervalSeconds));
  const leaseMs = ((input.seconds + LEASE_MARGIN_SECONDS) * 1000) / speed;
  const result: PollerResult = {
    source,
    polled: 0,
    sent: 0,
    firstTick: null,
    lastTick: null,
    next: 0,
    errors: 0,
    errorKinds: {},
    firstErrors: [],
  };
  const taken = await takeCursor(runId, source, leaseMs);
  if ('skipped' in taken) {
    logger.warn('another poller run holds the cursor', { runId, reason: taken.skipped });
    return { ...result, next: (await readCursor()).cursor.next, skipped: taken.skipped };
  }
  let { cursor, etag } = taken;
  const failed = (kind: PollErrorKind, message: string) => {
    result.errors++;
    result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
    if (result.firstErrors.length < FIRST_ERRORS) result.firstErrors.push(message);
    logger.warn('poll failed', { kind, message, tick: cursor.next });
  };

  for (let i = 0; i < polls; i++) {
    // On a fixed schedule from the start: a slow fetch shortens the next wait, it does not add to it.
    await sleepMs(startedAt + (i * input.intervalSeconds * 1000) / speed - Date.now());
    if (Date.now() - startedAt > MAX_RUN_MS) {
      result.stoppedEarly = `stopped after ${MAX_RUN_MS / 1000} s, before the function's 90 s timeout`;
      break;
    }
    const tick = cursor.next;
    result.polled++;
    let data: Record<string, unknown>;
    try {
      data = input.sourceUrl ? await fetchFromUrl(input.sourceUrl, tick) : fromGenerator(tick);
    } catch (error) {
      if (!(error instanceof PollError)) throw error;
      failed(error.kind, error.message);
      continue;
    }
    const outcome = await putAllRecords(kinesisPort, [
      { partitionKey: ONLINE_PARTITION_KEY, data: encodeEnvelope(ONLINE_SYSTEM, data, `tick-${tick}`) },
    ]);
    const refused = outcome.failed[0];
    if (refused) {
      failed(
        'stream',
        `tick ${tick} not accepted by Kinesis after retries: ${refused.errorCode} ${refused.errorMessage}`,
      );
      continue;
    }
    result.sent++;
    result.firstTick ??= tick;
    result.lastTick = tick;
    // Each advance also renews the lease: it then runs out only if one poll outlasts it, not when
    // the whole run does. (A run that started late, on a busy machine, found a lease taken at the
    // first poll already expired and polled the same ticks again beside it.)
    const advancedAt = new Date();
    const advanced: PollerCursor = {
      ...cursor,
      next: tick + 1,
      updatedAt: advancedAt.toISOString(),
      run: { id: runId, until: new Date(advancedAt.getTime() + leaseMs).toISOString() },
    };
    try {
      etag = await writeCursor(advanced, etag);
      cursor = advanced;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      // Our lease ran out and another run took the cursor: it polls from here on.
      result.stoppedEarly = `another run took the cursor after tick ${tick} (this run's lease had run out)`;
      result.next = tick + 1;
      logger.warn('cursor taken over', { runId, tick });
      return result;
    }
  }
  try {
    await writeCursor({ ...cursor, updatedAt: new Date().toISOString(), run: null }, etag);
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
  result.next = cursor.next;
  logger.info('polled', { ...result, firstErrors: undefined });
  return result;
}

export const handler = stepHandler({
  steps: {
    poll: defineStep({
      parse: (input) => parsePollerInput(input),
      run: (input, { runId }) => poll(input, runId),
    }),
  },
});
