import { rmSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPipelineStacks, type PipelineStacks } from '../../bin/app.js';
import { defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import { GlueTables } from '../../lib/constructs/glue-tables.js';
import { ledgerBalancesTable, ledgerSystem } from '../fixtures/systems/ledger/system.js';
import { logicalIdOf } from '../support/cdk-app.js';
import { runNag } from '../support/nag-findings.js';

interface TableJson {
  Properties: {
    DatabaseName: unknown;
    TableInput: {
      Name: string;
      TableType: string;
      Parameters: Record<string, string>;
      PartitionKeys: { Name: string; Type: string }[];
      StorageDescriptor: {
        Location: unknown;
        InputFormat: string;
        OutputFormat: string;
        SerdeInfo: { SerializationLibrary: string };
        Columns: { Name: string; Type: string }[];
      };
    };
  };
}

/** A Glue table's `TableInput` by table name. */
function tableNamed(template: Template, name: string): TableJson['Properties']['TableInput'] {
  const tables = Object.values(template.findResources('AWS::Glue::Table')) as TableJson[];
  const table = tables.find((t) => t.Properties.TableInput.Name === name);
  if (!table) throw new Error(`no Glue table "${name}" in the template`);
  return table.Properties.TableInput;
}

/** Resolves `Fn::Join` of literals and refs to a readable string (`<DataBucket…>`). */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  return ref ? `<${ref}>` : JSON.stringify(value);
}

describe('GlueTables (the ledger fixture: a raw JSON table and a Parquet table)', () => {
  let template: Template;
  let dataBucketId: string;
  let artifactsBucketId: string;

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App(), 'Tables');
    const dataBucket = new Bucket(stack, 'DataBucket');
    const artifactsBucket = new Bucket(stack, 'ArtifactsBucket');
    dataBucketId = logicalIdOf(dataBucket);
    artifactsBucketId = logicalIdOf(artifactsBucket);

    // Act
    new GlueTables(stack, 'GlueTables', {
      databaseName: 'smlp_dev',
      workGroupName: 'smlp-dev',
      tables: ledgerSystem.tables ?? [],
      dataBucket,
      artifactsBucket,
    });
    template = Template.fromStack(stack);
  });

  it('creates one database and one external table per declared table, in that database', () => {
    // Assess
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'smlp_dev' } });
    template.resourceCountIs('AWS::Glue::Table', 2);
    for (const name of ['ledger_entries', 'ledger_balances']) {
      expect(tableNamed(template, name).TableType).toBe('EXTERNAL_TABLE');
    }
    for (const table of Object.values(template.findResources('AWS::Glue::Table')) as TableJson[])
      expect(table.Properties.DatabaseName).toBe('smlp_dev');
  });

  it('reads raw records as gzipped JSON lines with the OpenX SerDe, where ingest writes them', () => {
    // Act
    const raw = tableNamed(template, 'ledger_entries');

    // Assess
    expect(raw.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(raw.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    expect(flatten(raw.StorageDescriptor.Location)).toBe(`s3://<${dataBucketId}>/raw/ledger/`);
    // Glue keeps column names in lower case; the SerDe matches JSON keys without regard to case.
    expect(raw.StorageDescriptor.Columns).toEqual([
      { Name: 'entryid', Type: 'string' },
      { Name: 'account', Type: 'string' },
      { Name: 'amount', Type: 'double' },
      { Name: 'posted', Type: 'boolean' },
      { Name: 'timestamp', Type: 'string' },
    ]);
    expect(raw.PartitionKeys).toEqual([
      { Name: 'dt', Type: 'string' },
      { Name: 'hour', Type: 'string' },
    ]);
  });

  it('projects the raw partitions (days from the start to now, hours 00 to 23) onto the ingest layout', () => {
    // Act
    const { Parameters: parameters } = tableNamed(template, 'ledger_entries');

    // Assess
    expect(parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2024-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own placeholders
    const layout = 'dt=${dt}/hour=${hour}/';
    expect(flatten(parameters['storage.location.template'])).toBe(
      `s3://<${dataBucketId}>/raw/ledger/${layout}`,
    );
  });

  it('reads the Parquet table from its own bucket with the Parquet SerDe and one day partition', () => {
    // Act
    const parquet = tableNamed(template, 'ledger_balances');

    // Assess
    expect(parquet.StorageDescriptor).toMatchObject({
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      Columns: ledgerBalancesTable.columns.map((c) => ({ Name: c.name, Type: c.type })),
    });
    expect(flatten(parquet.StorageDescriptor.Location)).toBe(
      `s3://<${artifactsBucketId}>/reports/ledger/balances/`,
    );
    expect(parquet.Parameters).toMatchObject({
      classification: 'parquet',
      'projection.day.range': '2024-03-01,NOW',
    });
    expect(flatten(parquet.Parameters['storage.location.template'])).toBe(
      `s3://<${artifactsBucketId}>/reports/ledger/balances/day=\${day}/`,
    );
  });

  it('gives Athena a workgroup that keeps encrypted results in the artifacts bucket and caps each scan', () => {
    // Assess
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'smlp-dev',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: Match.anyValue(),
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    const [workGroup] = Object.values(template.findResources('AWS::Athena::WorkGroup'));
    expect(flatten(workGroup?.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation)).toBe(
      `s3://<${artifactsBucketId}>/athena-results/`,
    );
  });
});

describe('the tables in the app', () => {
  const outdirs: string[] = [];
  let stacks: PipelineStacks;
  let findings: string[];

  beforeAll(() => {
    // Prepare / Act: one synthesis, with cdk-nag's packs, of the app with the fixture system
    findings = runNag((app) => {
      stacks = addPipelineStacks(app, defaultConfig, undefined, [ledgerSystem]);
    }, outdirs);
  });
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it('are in the pipeline stack, with the database name as an output, when a system declares tables', () => {
    // Act
    const pipeline = Template.fromStack(stacks.pipeline);
    const data = Template.fromStack(stacks.data);

    // Assess
    pipeline.resourceCountIs('AWS::Glue::Table', 2);
    data.resourceCountIs('AWS::Glue::Table', 0);
    expect(Object.keys(pipeline.findOutputs('GlueDatabaseName'))).toHaveLength(1);
    pipeline.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: resourceNames(defaultConfig).glueDatabase },
    });
    expect(resourceNames({ prefix: 'smlp', stage: 'my-test' }).glueDatabase).toBe('smlp_my_test');
  });

  it('add no cdk-nag finding', () => {
    // Assess
    expect(findings, findings.join('\n')).toEqual([]);
  });

  it('are left out when no system declares one', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const withoutTables = { ...ledgerSystem, tables: [] };

    // Act
    const stacks = addPipelineStacks(app, defaultConfig, undefined, [withoutTables]);

    // Assess
    Template.fromStack(stacks.pipeline).resourceCountIs('AWS::Glue::Database', 0);
  });
});
