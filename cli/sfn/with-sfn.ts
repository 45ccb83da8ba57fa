import type { SFNClient } from '@aws-sdk/client-sfn';
import { UsageError } from '../args.js';
import type { CliContext } from '../context.js';
import { resolveSfnTarget, type SfnTarget } from './target.js';

/** Resolves the target from the flags, opens the client, runs the work, always releases the client. */
export async function withSfn(
  context: CliContext,
  values: { local?: boolean; 'sfn-endpoint'?: string },
  work: (client: SFNClient, target: SfnTarget) => Promise<number>,
): Promise<number> {
  const target = resolveSfnTarget(values, context.env, values.local ? context.localEndpoints() : null);
  const handle = context.openStepFunctions(target);
  try {
    return await work(handle.client, target);
  } finally {
    handle.close();
  }
}

/** `{"a": 1}` or `@file.json`: the execution input, checked to be JSON before anything is started. */
export function parseInputFlag(text: string | undefined, readFile: (path: string) => string): unknown {
  if (text === undefined) return {};
  const source = text.startsWith('@') ? readFile(text.slice(1)) : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`--input is not JSON: ${(error as Error).message}`);
  }
}
