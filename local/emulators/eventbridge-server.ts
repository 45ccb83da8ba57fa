import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type EventBridgeEvent,
  eventTime,
  objectCreatedEvent,
  type S3NotificationRecord,
} from '../../core/events/event-envelope.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-environment.js';
import { type LocalEventBus, newEventId } from './eventbridge-bus.js';

const TARGET = 'AWSEvents.PutEvents';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;
/** The path the S3 emulator's launcher posts its notifications to. */
export const S3_EVENTS_PATH = '/s3-events';

export interface EventBridgeServer {
  /** http://127.0.0.1:PORT, for `AWS_ENDPOINT_URL_EVENTBRIDGE`. */
  readonly endpoint: string;
  /** Where the S3 emulator sends its notifications. */
  readonly s3EventsUrl: string;
  stop(): Promise<void>;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number | string;
}

/**
 * EventBridge's PutEvents on 127.0.0.1 (AWS JSON 1.1, the operation in X-Amz-Target, as the SDK
 * sends it), onto the local bus, plus the S3 emulator's notifications as S3's "Object Created"
 * events. The bus is given late (`bus()`): the server starts before the emulators so their
 * launch arguments can name it; until the bus is there it answers 503 and the sender retries.
 * Like the Step Functions API, it authenticates nothing (there is no IAM locally).
 */
export async function startEventBridgeServer(options: {
  bus: () => LocalEventBus | undefined;
  /** Only this bucket sends events, as only the data bucket has EventBridge notifications on AWS. */
  dataBucket: string;
}): Promise<EventBridgeServer> {
  const server = createServer((request, response) => {
    void answer(options, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    s3EventsUrl: `${endpoint}${S3_EVENTS_PATH}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  options: { bus: () => LocalEventBus | undefined; dataBucket: string },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const body = await readBody(request);
    const bus = options.bus();
    if (!bus)
      return send(response, 503, { __type: 'ServiceUnavailable', message: 'the local bus is starting' });
    if (request.method === 'POST' && request.url === S3_EVENTS_PATH) {
      const notification = JSON.parse(body) as { Records?: S3NotificationRecord[] };
      for (const record of notification.Records ?? []) {
        if (record.s3?.bucket?.name !== options.dataBucket) continue;
        const event = objectCreatedEvent(record, origin());
        if (event) bus.put(event);
      }
      return send(response, 200, {});
    }
    if (request.method !== 'POST' || request.headers['x-amz-target'] !== TARGET)
      return send(response, 400, {
        __type: 'UnknownOperationException',
        message: `Operation not supported locally: ${request.headers['x-amz-target'] ?? '(none)'}`,
      });
    let entries: PutEventsEntry[];
    try {
      entries = (JSON.parse(body) as { Entries?: PutEventsEntry[] }).Entries ?? [];
    } catch {
      return send(response, 400, {
        __type: 'SerializationException',
        message: 'The request body is not JSON',
      });
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES)
      return send(response, 400, {
        __type: 'ValidationException',
        message: `Entries must hold 1 to ${MAX_ENTRIES} entries, got ${entries.length}`,
      });
    const results = entries.map((entry) => {
      const refused = entryProblem(entry);
      if (refused) return refused;
      const event = toEvent(entry);
      bus.put(event);
      return { EventId: event.id };
    });
    send(response, 200, {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    });
  } catch (error) {
    send(response, 500, { __type: 'InternalException', message: (error as Error).message });
  }
}

/** Why EventBridge would refuse an entry (it answers 200 and reports it in the entry). */
function entryProblem(entry: PutEventsEntry): { ErrorCode: string; ErrorMessage: string } | undefined {
  const bus = entry.EventBusName;
  if (bus !== undefined && bus !== 'default' && !/:event-bus\/default$/.test(bus))
    return {
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: `Event bus ${bus} does not exist locally`,
    };
  if (!entry.Source || !entry.DetailType || entry.Detail === undefined)
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
  if (entry.Source.startsWith('aws.'))
    return {
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: `Not authorized for the source ${entry.Source}`,
    };
  try {
    const detail = JSON.parse(entry.Detail) as unknown;
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      throw new Error('not an object');
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed: expected a JSON object' };
  }
  return undefined;
}

function toEvent(entry: PutEventsEntry): EventBridgeEvent {
  const at = origin();
  const time =
    entry.Time === undefined
      ? at.time
      : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
  return {
    version: '0',
    id: at.id,
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: at.account,
    time: eventTime(Number.isNaN(time.getTime()) ? at.time : time),
    region: at.region,
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail as string),
  };
}

const origin = () => ({ id: newEventId(), account: LOCAL_ACCOUNT, region: LOCAL_REGION, time: new Date() });

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': CONTENT_TYPE });
  response.end(JSON.stringify(body));
}
