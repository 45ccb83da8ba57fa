/**
 * Does a Parquet file a writer produced have exactly the columns its table declares? The Glue
 * table (Athena) and the DuckDB view are built from the declaration, not from the files, so a
 * writer that drifts from it (a renamed column, a count written as a double) would only show up
 * as NULLs or a HIVE_BAD_DATA error in someone's query. Systems' tests run this on their writers'
 * output.
 */

import type { S3Client } from '@aws-sdk/client-s3';
import { parquetMetadata, type SchemaElement } from 'hyparquet';
import { getBytes } from '../../adapters/s3-object-store.js';
import type {
  SystemDefinition,
  TableColumnType,
  TableDefinition,
} from '../../lib/config/system-definition.js';
import { listKeys } from '../../local/inspect-data.js';

export interface ParquetColumnType {
  readonly name: string;
  /** The Glue type the column reads as, or `unsupported (<physical>/<annotation>)`. */
  readonly type: TableColumnType | string;
}

/** The top-level columns of a Parquet file with their types mapped to Glue's names. */
export function parquetColumnTypes(bytes: Uint8Array): ParquetColumnType[] {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const [root, ...elements] = parquetMetadata(file).schema;
  const columns: ParquetColumnType[] = [];
  // Nested groups are not table columns here: take each of the root's children, skipping subtrees.
  let index = 0;
  for (let child = 0; child < (root?.num_children ?? 0); child++) {
    const element = elements[index] as SchemaElement;
    columns.push({ name: element.name, type: glueType(element) });
    index += 1 + descendants(elements, index);
  }
  return columns;
}

function descendants(elements: readonly SchemaElement[], at: number): number {
  let count = 0;
  for (let i = 0; i < (elements[at]?.num_children ?? 0); i++)
    count += 1 + descendants(elements, at + 1 + count);
  return count;
}

function glueType(element: SchemaElement): TableColumnType | string {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (element.num_children !== undefined) return 'unsupported (group)';
  switch (element.type) {
    case 'BYTE_ARRAY':
      if (logical === 'STRING' || converted === 'UTF8') return 'string';
      break;
    case 'INT32':
      if (logical === undefined && (converted === undefined || converted === 'INT_32')) return 'int';
      break;
    case 'INT64':
      if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS')
        return 'timestamp';
      if (logical === undefined && (converted === undefined || converted === 'INT_64')) return 'bigint';
      break;
    case 'INT96':
      return 'timestamp';
    case 'DOUBLE':
      return 'double';
    case 'BOOLEAN':
      return 'boolean';
  }
  return `unsupported (${element.type ?? 'no type'}/${logical ?? converted ?? 'no annotation'})`;
}

/**
 * Throws, listing every difference, unless the file's columns are the table's columns (names and
 * types; order aside, since Athena and DuckDB read Parquet columns by name). Partition keys live
 * in the object keys, so a file that carries one is a difference too.
 */
export function assertParquetMatchesTable(table: TableDefinition, bytes: Uint8Array): void {
  const found = new Map(parquetColumnTypes(bytes).map((column) => [column.name, column.type]));
  const problems: string[] = [];
  for (const column of table.columns) {
    const type = found.get(column.name);
    if (type === undefined)
      problems.push(`column "${column.name}" (${column.type}) is missing from the file`);
    else if (type !== column.type)
      problems.push(`column "${column.name}" is ${type} in the file, ${column.type} in the table`);
  }
  for (const [name, type] of found) {
    if (table.partitionKeys.some((key) => key.name === name))
      problems.push(`column "${name}" is a partition key: its value belongs in the object key, not the file`);
    else if (!table.columns.some((column) => column.name === name))
      problems.push(`column "${name}" (${type}) is in the file but not in the table`);
  }
  if (problems.length > 0)
    throw new Error(`Parquet file does not match table "${table.name}":\n  - ${problems.join('\n  - ')}`);
}

/**
 * For each of a system's Parquet tables: a file the handlers wrote exists under its prefix, and
 * its columns are the table's (what Athena and `smlp query` will read).
 */
export async function assertSystemParquetTables(
  s3: S3Client,
  dataBucket: string,
  system: Pick<SystemDefinition, 'tables'>,
): Promise<void> {
  for (const table of system.tables ?? []) {
    if (table.format !== 'parquet') continue;
    const key = (await listKeys(s3, dataBucket, table.prefix)).find((k) => k.endsWith('.parquet'));
    if (!key) throw new Error(`${table.name}: no Parquet file under ${table.prefix}`);
    assertParquetMatchesTable(table, (await getBytes(s3, dataBucket, key)) as Uint8Array);
  }
}
