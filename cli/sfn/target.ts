import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import type { LocalEndpointsRecord } from '../../local/endpoints-file.js';
import { localSfnClientConfig } from '../../ops/step-functions/client.js';
import { UsageError } from '../args.js';

/** Flags every state-machine command takes. */
export const SFN_FLAGS = {
  local: { type: 'boolean', default: false },
  'sfn-endpoint': { type: 'string' },
} as const;

export const SFN_FLAGS_HELP = `Where the state machines are:
  --local              the running \`npm start\` (its endpoints are found in .local/endpoints.json)
  --sfn-endpoint URL   a Step Functions endpoint (default: $AWS_ENDPOINT_URL_SFN, e.g. LocalStack);
                       without either, AWS with the SDK's default credentials and region`;

export interface SfnTarget {
  /** The local runtime's API: any credentials, its region. */
  local: boolean;
  /** An explicit endpoint; undefined: the SDK's default for the region. */
  endpoint: string | undefined;
}

/** Where the commands send Step Functions calls, from the flags, the environment and a running `npm start`. */
export function resolveSfnTarget(
  values: { local?: boolean; 'sfn-endpoint'?: string },
  env: Readonly<Record<string, string | undefined>>,
  running: LocalEndpointsRecord | null,
): SfnTarget {
  const local = values.local === true;
  const endpoint =
    values['sfn-endpoint'] ?? (env.AWS_ENDPOINT_URL_SFN || undefined) ?? (local ? running?.sfn : undefined);
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
    throw new UsageError(
      `--sfn-endpoint must be an http(s) URL such as http://127.0.0.1:4600, got "${endpoint}"`,
    );
  if (local && endpoint === undefined)
    throw new UsageError(
      '--local found no running `npm start` (no .local/endpoints.json with a live process): start it, or pass --sfn-endpoint URL (its "SFN" line)',
    );
  return { local, endpoint };
}

export function sfnClientConfig(target: SfnTarget): SFNClientConfig {
  if (target.local && target.endpoint !== undefined) return localSfnClientConfig(target.endpoint);
  return target.endpoint === undefined ? {} : { endpoint: target.endpoint };
}

export function openSfn(target: SfnTarget): { client: SFNClient; close(): void } {
  const client = new SFNClient(sfnClientConfig(target));
  return { client, close: () => client.destroy() };
}
