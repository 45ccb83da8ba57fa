/**
 * Where `smlp query` reads the tables' objects from: the running `npm start`'s S3 emulator with
 * --local, an explicit endpoint, or AWS. Pure, so the precedence (flag, then environment, then
 * the running runtime) is the same as the registry commands' and testable without S3.
 */
import { resourceNames } from '../../lib/config/app-config.js';
import type { TableDefinition } from '../../lib/config/system-definition.js';
import type { LocalEndpointsRecord } from '../../local/endpoints-file.js';
import { UsageError } from '../args.js';

export interface QueryFlagValues {
  local?: boolean;
  endpoint?: string;
  'bucket-data'?: string;
  'bucket-artifacts'?: string;
}

export interface QueryTarget {
  readonly local: boolean;
  readonly endpoint: string | undefined;
  /** Bucket names; undefined when nothing says which (an error only if a table needs it). */
  readonly buckets: { readonly data: string | undefined; readonly artifacts: string | undefined };
}

export function resolveQueryTarget(
  values: QueryFlagValues,
  env: Readonly<Record<string, string | undefined>>,
  running: LocalEndpointsRecord | null,
): QueryTarget {
  const local = values.local === true;
  const endpoint =
    values.endpoint ?? (env.AWS_ENDPOINT_URL_S3 || undefined) ?? (local ? running?.s3 : undefined);
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
    throw new UsageError(
      `--endpoint must be an http(s) URL such as http://127.0.0.1:4569, got "${endpoint}"`,
    );
  if (local && endpoint === undefined)
    throw new UsageError(
      '--local found no running `npm start` (no .local/endpoints.json with a live process): start it with `npm start`, or pass --endpoint http://127.0.0.1:PORT (its "S3" line)',
    );
  // The local runtime's buckets are named like a deployment's, from its prefix and stage.
  const localNames = local
    ? resourceNames({ prefix: running?.prefix ?? 'smlp', stage: running?.stage ?? 'local' })
    : undefined;
  return {
    local,
    endpoint,
    buckets: {
      data: values['bucket-data'] ?? (env.DATA_BUCKET || undefined) ?? localNames?.dataBucket,
      artifacts:
        values['bucket-artifacts'] ?? (env.ARTIFACTS_BUCKET || undefined) ?? localNames?.artifactsBucket,
    },
  };
}

/** The bucket of a table, or a usage error that says how to name it. */
export function bucketOf(target: QueryTarget, table: TableDefinition): string {
  const bucket = target.buckets[table.bucket];
  if (bucket !== undefined) return bucket;
  const [flag, variable, output] =
    table.bucket === 'data'
      ? ['--bucket-data', 'DATA_BUCKET', 'DataBucketName']
      : ['--bucket-artifacts', 'ARTIFACTS_BUCKET', 'ArtifactsBucketName'];
  throw new UsageError(
    `table "${table.name}" is in the ${table.bucket} bucket: pass ${flag} NAME or set ${variable} (on AWS, the data stack's output ${output}), or --local for the running \`npm start\``,
  );
}
