import { isRegistryName } from '../core/registry/layout.js';
import { resourceNames } from '../lib/config/app-config.js';
import type { SystemDefinition } from '../lib/config/system-definition.js';
import { missingModelReason } from '../lib/config/system-models.js';
import { systems as allSystems } from '../systems/index.js';
import { UsageError } from './args.js';

/** Flags every registry command takes. */
export const REGISTRY_FLAGS = {
  pipeline: { type: 'string' },
  model: { type: 'string' },
  bucket: { type: 'string' },
  local: { type: 'boolean', default: false },
  endpoint: { type: 'string' },
} as const;

export const REGISTRY_FLAGS_HELP = `Registry flags:
  --pipeline NAME   the system whose models to use: ${allSystems.map((s) => s.name).join(', ')} (default: ${allSystems[0]?.name})
  --model NAME      which of the system's models (default: its first, e.g. ${allSystems.flatMap((s) => (s.models[0] ? [`${s.name}/${s.models[0]}`] : [])).join(', ')})
  --bucket NAME     the artifacts bucket (default: $ARTIFACTS_BUCKET; with --local: smlp-local-artifacts);
                    on AWS it is the stack output ArtifactsBucketName
  --local           the local emulator started by \`npm start\` (s3rver, path-style, its fixed key pair)
  --endpoint URL    S3 endpoint (default: $AWS_ENDPOINT_URL_S3; with --local, the running
                    \`npm start\`'s, found in .local/endpoints.json; it prints it on its "S3" line)`;

export interface RegistryTarget {
  pipeline: string;
  /** The model key within the system. */
  model: string;
  bucket: string;
  /** The local emulator: its fixed credentials and region, path-style URLs. */
  local: boolean;
  /** An explicit S3 endpoint (emulator, LocalStack); undefined: the SDK's default for the region. */
  endpoint: string | undefined;
}

export interface RegistryFlagValues {
  pipeline?: string;
  model?: string;
  bucket?: string;
  local?: boolean;
  endpoint?: string;
}

/**
 * Where the registry lives, from the flags and the environment. Pure, so the precedence
 * (flag, then environment, then the local default) is tested without S3.
 */
export function resolveRegistryTarget(
  values: RegistryFlagValues,
  env: Readonly<Record<string, string | undefined>>,
  systems: readonly SystemDefinition[] = allSystems,
  /** A running `npm start`'s S3 endpoint: what --local uses when neither flag nor variable names one. */
  runningS3?: string,
): RegistryTarget {
  const pipeline = values.pipeline ?? systems[0]?.name ?? '';
  const system = systems.find((s) => s.name === pipeline);
  if (!system)
    throw new UsageError(
      `--pipeline must name a system (${systems.map((s) => s.name).join(', ')}), got "${pipeline}"`,
    );
  const model = values.model ?? system.models[0];
  if (model === undefined) throw new UsageError(`${missingModelReason(system)} with --model`);
  if (!isRegistryName(model))
    throw new UsageError(`--model must be letters, digits, "-" and "_", got "${model}"`);
  const local = values.local === true;
  const endpoint =
    values.endpoint ?? (env.AWS_ENDPOINT_URL_S3 || undefined) ?? (local ? runningS3 : undefined);
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
    throw new UsageError(
      `--endpoint must be an http(s) URL such as http://127.0.0.1:4569, got "${endpoint}"`,
    );
  if (local && endpoint === undefined)
    throw new UsageError(
      '--local found no running `npm start` (no .local/endpoints.json with a live process): start it, or pass --endpoint http://127.0.0.1:PORT or set AWS_ENDPOINT_URL_S3 (`npm start` prints it on its "S3" line)',
    );
  const bucket =
    values.bucket ??
    (env.ARTIFACTS_BUCKET || undefined) ??
    (local ? resourceNames({ prefix: 'smlp', stage: 'local' }).artifactsBucket : undefined);
  if (bucket === undefined)
    throw new UsageError(
      'no artifacts bucket: pass --bucket NAME or set ARTIFACTS_BUCKET (on AWS it is the stack output ArtifactsBucketName: `aws cloudformation describe-stacks --query "Stacks[].Outputs[?OutputKey==\'ArtifactsBucketName\'].OutputValue" --output text`), or --local for the local emulator',
    );
  return { pipeline, model, bucket, local, endpoint };
}
