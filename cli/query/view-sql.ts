/**
 * The DuckDB side of a table declaration: one view per table over the local copy of its objects,
 * typed like the Glue table (partition keys as strings, raw JSON columns as declared), so a query
 * written for Athena runs here unchanged. Pure: SQL text in, SQL text out.
 */
import type { TableColumnType, TableDefinition } from '../../lib/config/system-definition.js';

const DUCKDB_TYPES: Record<TableColumnType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/** The file names a table's objects end with; other objects under its prefix are not its data. */
export function dataFileSuffix(table: TableDefinition): string {
  return table.format === 'parquet' ? '.parquet' : '.ndjson.gz';
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * `CREATE VIEW` for one table. `directory` holds the copy of the table's prefix; `hasFiles` says
 * whether it holds any data file, because DuckDB's readers fail on a glob that matches nothing,
 * while a table with no data yet should just be empty.
 */
export function createViewSql(table: TableDefinition, directory: string, hasFiles: boolean): string {
  const view = `CREATE OR REPLACE VIEW ${quoteIdentifier(table.name)} AS`;
  const names = [...table.columns.map((c) => c.name), ...table.partitionKeys.map((k) => k.name)];
  if (!hasFiles) {
    const columns = [
      ...table.columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPES[c.type]}) AS ${quoteIdentifier(c.name)}`),
      ...table.partitionKeys.map((k) => `CAST(NULL AS VARCHAR) AS ${quoteIdentifier(k.name)}`),
    ];
    return `${view} SELECT ${columns.join(', ')} WHERE false`;
  }
  const glob = quoteString(`${directory.replace(/\/$/, '')}/**/*${dataFileSuffix(table)}`);
  // Partition values stay strings (`hour` '05', not 5), as the Glue table declares them.
  const hiveTypes = `{${table.partitionKeys.map((k) => `${quoteString(k.name)}: 'VARCHAR'`).join(', ')}}`;
  const hive =
    table.partitionKeys.length > 0
      ? `hive_partitioning = true, hive_types = ${hiveTypes}`
      : 'hive_partitioning = false';
  const reader =
    table.format === 'parquet'
      ? `read_parquet(${glob}, ${hive}, union_by_name = true)`
      : `read_json(${glob}, format = 'newline_delimited', ${hive}, columns = {${table.columns
          .map((c) => `${quoteString(c.name)}: '${DUCKDB_TYPES[c.type]}'`)
          .join(', ')}})`;
  return `${view} SELECT ${names.map(quoteIdentifier).join(', ')} FROM ${reader}`;
}

/**
 * The tables a query names: any declared table name standing as a word in the SQL text (quoted
 * or not). Over-matching (a name inside a string literal) only costs a download; when the SQL
 * names none of them (`SHOW TABLES`, `DESCRIBE`), every table is meant.
 */
export function tablesNamedIn(sql: string, tables: readonly TableDefinition[]): TableDefinition[] {
  const named = tables.filter((table) =>
    new RegExp(`(^|[^A-Za-z0-9_])${table.name}($|[^A-Za-z0-9_])`, 'i').test(sql),
  );
  return named.length > 0 ? named : [...tables];
}
