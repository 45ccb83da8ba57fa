import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { pascalCase } from '../config/platform-definition.js';
import type { TableDefinition } from '../config/system-definition.js';

export interface GlueTablesProps {
  /** The Glue database holding every table (`resourceNames(config).glueDatabase`, e.g. `smlp_dev`). */
  readonly databaseName: string;
  /** The systems' tables; names are unique (the pipeline definition checks it). */
  readonly tables: readonly TableDefinition[];
  readonly dataBucket: IBucket;
  readonly artifactsBucket: IBucket;
  /**
   * An Athena workgroup whose results go to the artifacts bucket under `athena-results/`,
   * SSE-S3 encrypted, with the settings enforced (a client cannot send results elsewhere).
   * @default - no workgroup: queries run in the account's `primary` workgroup with its own settings
   */
  readonly workGroupName?: string;
  /**
   * Data one query may scan in the workgroup before Athena cancels it (at least 10 MB).
   * @default 10 GiB: about five cents at Athena's price per TB, far more than a projected day needs
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** Where the workgroup writes query results in the artifacts bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

const TEN_GIB = 10 * 1024 ** 3;

/**
 * The systems' tables in the Glue Data Catalog, so Athena queries the objects where the
 * pipelines write them. Partition projection computes the partitions from the key layout
 * (dates from a start to now, hours 00–23), so no crawler runs and no partition is ever added:
 * a new day is queryable the moment its first object lands. Metadata only; the data stays in
 * the buckets.
 */
export class GlueTables extends Construct {
  public readonly database: CfnDatabase;
  /** Tables by their name (`churn_summaries`). */
  public readonly tables: Readonly<Record<string, CfnTable>>;
  public readonly workGroup?: CfnWorkGroup;

  constructor(scope: Construct, id: string, props: GlueTablesProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: props.databaseName,
        description:
          "The pipelines' systems' tables (partition projection: no crawler, no partitions to add)",
      },
    });
    const tables: Record<string, CfnTable> = {};
    for (const table of props.tables) {
      const bucket = table.bucket === 'data' ? props.dataBucket : props.artifactsBucket;
      const cfn = new CfnTable(this, `${pascalCase(table.name)}Table`, {
        catalogId,
        databaseName: props.databaseName,
        tableInput: glueTableInput(table, bucket.bucketName),
      });
      // The database is named, not referenced: say the order CloudFormation must create them in.
      cfn.node.addDependency(this.database);
      tables[table.name] = cfn;
    }
    this.tables = tables;

    if (props.workGroupName !== undefined) {
      this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
        name: props.workGroupName,
        description: `Queries over ${props.databaseName}; results in the artifacts bucket under ${ATHENA_RESULTS_PREFIX}`,
        // Lets CloudFormation delete the workgroup with the saved queries in it on a destroy.
        recursiveDeleteOption: true,
        workGroupConfiguration: {
          enforceWorkGroupConfiguration: true,
          publishCloudWatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? TEN_GIB,
          engineVersion: { selectedEngineVersion: 'AUTO' },
          resultConfiguration: {
            outputLocation: `s3://${props.artifactsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
            encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          },
        },
      });
    }
  }
}

/** Glue's column types are the contract's own names (`string`, `bigint`, …). */
const SERDES = {
  parquet: {
    classification: 'parquet',
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  },
  // Athena reads `.gz` objects through TextInputFormat by their extension.
  'ndjson-gzip': {
    classification: 'json',
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
  },
} as const;

/**
 * The Glue `TableInput` of one table over `s3://<bucket>/<prefix>`. Pure, so the mapping is
 * tested without synthesizing a stack.
 */
export function glueTableInput(table: TableDefinition, bucketName: string): CfnTable.TableInputProperty {
  const format = SERDES[table.format];
  const location = `s3://${bucketName}/${table.prefix}`;
  return {
    name: table.name,
    description: table.description,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      EXTERNAL: 'TRUE',
      classification: format.classification,
      ...(table.format === 'ndjson-gzip' ? { compressionType: 'gzip' } : {}),
      ...projectionParameters(table, location),
    },
    partitionKeys: table.partitionKeys.map((key) => ({ name: key.name, type: key.type })),
    storageDescriptor: {
      location,
      inputFormat: format.inputFormat,
      outputFormat: format.outputFormat,
      // The OpenX SerDe matches JSON keys case-insensitively (Glue lower-cases column names).
      serdeInfo: { serializationLibrary: format.serializationLibrary },
      columns: table.columns.map((column) => ({ name: column.name.toLowerCase(), type: column.type })),
    },
  };
}

/**
 * Athena's partition projection settings: each key's type and range, and the template that
 * turns partition values into the Hive-style prefix the writers use (`day=2024-05-01/`).
 */
export function projectionParameters(table: TableDefinition, location: string): Record<string, string> {
  if (table.partitionKeys.length === 0) return {};
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const key of table.partitionKeys) {
    const at = `projection.${key.name}`;
    if (key.projection.kind === 'date') {
      parameters[`${at}.type`] = 'date';
      parameters[`${at}.format`] = 'yyyy-MM-dd';
      parameters[`${at}.range`] = `${key.projection.start},NOW`;
      parameters[`${at}.interval`] = '1';
      parameters[`${at}.interval.unit`] = 'DAYS';
    } else {
      // Integers with two digits project 00…23, the writers' `hour=HH`.
      parameters[`${at}.type`] = 'integer';
      parameters[`${at}.range`] = '0,23';
      parameters[`${at}.digits`] = '2';
    }
  }
  const path = table.partitionKeys.map((key) => `${key.name}=\${${key.name}}`).join('/');
  parameters['storage.location.template'] = `${location}${path}/`;
  return parameters;
}
