import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { SystemDefinition, TableDefinition } from '../../lib/config/system-definition.js';
import { systems as allSystems } from '../../systems/index.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { CommandFailure } from '../failure.js';
import { formatBytes } from '../format.js';
import { DuckDbSession } from '../query/duckdb-session.js';
import { bucketOf, type QueryTarget, resolveQueryTarget } from '../query/query-target.js';
import { formatCsv, formatJson, formatText } from '../query/result-format.js';
import { CacheIndex, hasDataFiles, localDirectory, syncPrefix } from '../query/table-sync.js';
import { createViewSql, dataFileSuffix, tablesNamedIn } from '../query/view-sql.js';
import { s3ClientConfig } from '../s3-registry.js';
import { printHelp } from './print-help.js';

/** Where the copies of the tables' objects are kept between queries. */
export const DEFAULT_QUERY_CACHE = path.join(REPO_ROOT, '.local', 'query-cache');

export const queryCommand: Command = {
  name: 'query',
  summary: "SQL (DuckDB) over the systems' tables, locally or from AWS's buckets",
  help: `Usage: smlp query [flags] "SQL"
       smlp query --tables [--json]

Runs DuckDB SQL over the systems' tables, the same tables Athena queries on AWS (the Glue
database <prefix>_<stage>, see docs/querying.md). First it copies the objects of the tables the
SQL names (all tables when it names none) from the bucket into a local cache, downloading only
objects whose ETag changed since the last query and removing copies of objects that are gone;
then each table is a view over its copy, with the declared columns and the partition keys as
strings (day = '2024-05-01', hour = '05'), as in Athena. A table with no data yet is empty.

  --tables                 list the tables: columns, partition keys, where their objects are
  --json                   the rows as one JSON array of objects (numbers stay numbers)
  --csv                    the rows as CSV with a header line
  --local                  the running \`npm start\` (its S3 emulator and buckets, found in
                           .local/endpoints.json)
  --endpoint URL           an S3 endpoint (default: $AWS_ENDPOINT_URL_S3); without it and without
                           --local, AWS with the SDK's default credentials and region
  --bucket-data NAME       the data bucket (default: $DATA_BUCKET; stack output DataBucketName)
  --bucket-artifacts NAME  the artifacts bucket (default: $ARTIFACTS_BUCKET; ArtifactsBucketName)
  --cache-dir DIR          where the copies are kept (default: .local/query-cache)

Without --json or --csv the rows are an aligned table, cells cut at 40 characters. What was
downloaded is said on stderr, so stdout is the result alone.

Examples:
  smlp query --tables
  smlp query --local "SHOW TABLES"
  smlp query --local "SELECT dt, hour, count(*) AS records FROM churn_raw GROUP BY ALL ORDER BY ALL"
  smlp query --local --csv "SELECT * FROM churn_summaries WHERE day >= '2024-05-01'" > may.csv
  smlp query --bucket-data smlp-dev-data-1a2b --json "SELECT count(*) AS n FROM churn_predictions"`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(queryCommand.name, args, {
      ...HELP_FLAG,
      tables: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      endpoint: { type: 'string' },
      'bucket-data': { type: 'string' },
      'bucket-artifacts': { type: 'string' },
      'cache-dir': { type: 'string' },
    });
    if (values.help) return printHelp(context, queryCommand);
    if (values.json && values.csv) throw new UsageError('--json and --csv exclude each other: pick one');
    const systems = context.systems ?? allSystems;
    const tables = systems.flatMap((system) => system.tables ?? []);
    const running = values.local ? context.localEndpoints() : null;

    if (values.tables) {
      positionals(queryCommand.name, rest, 0, '');
      context.stdout(listTables(systems, values.json === true));
      return 0;
    }
    const [sql] = positionals(queryCommand.name, rest, 1, 'SQL text (quote it)');
    if (sql === undefined || sql.trim() === '')
      throw new UsageError('give the SQL to run, e.g. smlp query --local "SELECT * FROM <table> LIMIT 10"');
    const target = resolveQueryTarget(values, context.env, running);
    const cacheDir = path.resolve(values['cache-dir'] ?? DEFAULT_QUERY_CACHE);

    await syncTables(context, target, tablesNamedIn(sql, tables), cacheDir);
    const session = await DuckDbSession.open();
    try {
      for (const table of tables) {
        const bucket = target.buckets[table.bucket];
        const directory = bucket === undefined ? '' : localDirectory(cacheDir, bucket, table.prefix);
        await session.define(
          createViewSql(table, directory, directory !== '' && hasDataFiles(directory, dataFileSuffix(table))),
        );
      }
      let result: Awaited<ReturnType<DuckDbSession['query']>>;
      try {
        result = await session.query(sql);
      } catch (error) {
        throw new CommandFailure(sqlFailure((error as Error).message, tables));
      }
      context.stdout(values.json ? formatJson(result) : values.csv ? formatCsv(result) : formatText(result));
      return 0;
    } finally {
      session.close();
    }
  },
};

async function syncTables(
  context: CliContext,
  target: QueryTarget,
  tables: readonly TableDefinition[],
  cacheDir: string,
): Promise<void> {
  if (tables.length === 0) return;
  const located = tables.map((table) => ({ table, bucket: bucketOf(target, table) }));
  const s3 = new S3Client(s3ClientConfig(target));
  const index = CacheIndex.load(cacheDir);
  try {
    for (const { table, bucket } of located) {
      let stats: Awaited<ReturnType<typeof syncPrefix>>;
      try {
        stats = await syncPrefix(s3, {
          bucket,
          prefix: table.prefix,
          suffix: dataFileSuffix(table),
          cacheDir,
          index,
        });
      } catch (error) {
        if ((error as Error).name === 'NoSuchBucket')
          throw new CommandFailure(
            `table "${table.name}": bucket "${bucket}" does not exist (${table.bucket === 'data' ? '--bucket-data / DATA_BUCKET' : '--bucket-artifacts / ARTIFACTS_BUCKET'})`,
          );
        throw error;
      }
      const removed = stats.removed > 0 ? `, ${stats.removed} removed` : '';
      context.stderr(
        `${table.name}: ${stats.objects} objects in s3://${bucket}/${table.prefix} (${stats.downloaded} downloaded, ${formatBytes(stats.bytesDownloaded)}; ${stats.unchanged} unchanged${removed})\n`,
      );
    }
  } finally {
    // Saved even after a failed table: what was downloaded need not be downloaded again.
    index.save();
    s3.destroy();
  }
}

/** DuckDB's message, with the list of tables when it did not know one. */
function sqlFailure(message: string, tables: readonly TableDefinition[]): string {
  const unknown = /Table with name ([^\s]+) does not exist/.exec(message)?.[1];
  if (unknown !== undefined) {
    const known = tables.map((t) => t.name).sort();
    return `unknown table "${unknown}": ${known.length > 0 ? `the tables are ${known.join(', ')}` : 'no system declares tables'} (smlp query --tables)`;
  }
  return `SQL error: ${message}`;
}

function listTables(systems: readonly SystemDefinition[], json: boolean): string {
  const rows = systems.flatMap((system) =>
    (system.tables ?? []).map((table) => ({
      name: table.name,
      system: system.name,
      description: table.description,
      bucket: table.bucket,
      prefix: table.prefix,
      format: table.format,
      columns: table.columns,
      partitionKeys: table.partitionKeys.map((key) => ({ name: key.name, type: key.type })),
    })),
  );
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0) return 'No system declares tables.\n';
  return rows
    .map((row) =>
      [
        `${row.name}  (${row.system}) ${row.description}`,
        `  ${row.bucket} bucket, ${row.prefix}  ${row.format}${row.partitionKeys.length > 0 ? `, partitioned by ${row.partitionKeys.map((k) => k.name).join(', ')}` : ''}`,
        ...row.columns.map((column) => `  ${column.name.padEnd(24)} ${column.type}`),
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}
