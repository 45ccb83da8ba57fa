import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createEventBridgeClient } from './clients.js';

const events = createEventBridgeClient();

export interface SystemEvent {
  /** Who sends it (`smlp.churn`); EventBridge refuses sources that start with `aws.`. */
  readonly source: string;
  /** What happened (`Drift Detected`): rules match on it. */
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Sends one event to the default bus (the function's definition declares `putsEvents`) and
 * returns its id. PutEvents answers 200 even when it refused the entry: a refused entry throws
 * here, so a reaction nobody will see is never mistaken for one sent.
 */
export async function putEvent(event: SystemEvent): Promise<string> {
  const result = await events.send(
    new PutEventsCommand({
      Entries: [{ Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }],
    }),
  );
  const entry = result.Entries?.[0];
  if ((result.FailedEntryCount ?? 0) > 0 || !entry?.EventId)
    throw new Error(
      `EventBridge refused the "${event.detailType}" event from ${event.source}: ${entry?.ErrorCode ?? 'no entry'} ${entry?.ErrorMessage ?? ''}`.trim(),
    );
  return entry.EventId;
}
