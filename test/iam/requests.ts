import { type ArnScope, iamRequestsOf, UnknownCallError } from './aws-actions.js';
import { callerId, type RecordedCall } from './call-recorder.js';
import type { CheckedRequest, Verdict } from './policy-check.js';

/**
 * What both IAM checks (the local run's and the LocalStack run's) do with recorded calls before
 * and after the simulator: turn them into requests, keep one of each, describe a denial.
 */

/**
 * The IAM requests of recorded calls. A call the mapping does not know is added to `unmodelled`
 * (its caller and why) instead of throwing, so a test lists every such call at once.
 */
export function requestsOfCalls(
  calls: readonly RecordedCall[],
  scope: ArnScope,
  unmodelled: string[],
): CheckedRequest[] {
  const requests: CheckedRequest[] = [];
  for (const call of calls) {
    try {
      for (const request of iamRequestsOf(call, scope))
        requests.push({ ...request, caller: call.caller, by: 'recorded', command: call.command });
    } catch (error) {
      if (!(error instanceof UnknownCallError)) throw error;
      unmodelled.push(`${callerId(call.caller)}: ${error.message}`);
    }
  }
  return requests;
}

/** One request per caller, action, resource and context: thousands of calls, a few hundred distinct. */
export function distinctRequests(requests: readonly CheckedRequest[]): CheckedRequest[] {
  const seen = new Map<string, CheckedRequest>();
  for (const r of requests) {
    const key = `${callerId(r.caller)}|${r.action}|${r.resource}|${JSON.stringify(r.context)}`;
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()];
}

/** A denied request as a failing test lists it: who, what, on what, from which call, and why. */
export function describeDenial(v: Verdict): string {
  const r = v.request;
  const context = Object.keys(r.context).length > 0 ? ` ${JSON.stringify(r.context)}` : '';
  return `${callerId(r.caller)} ${r.action} on ${r.resource}${context} (${r.by}${r.command ? `, ${r.command}` : ''}${r.note ? `; ${r.note}` : ''}): ${v.decision}, ${v.why}`;
}
