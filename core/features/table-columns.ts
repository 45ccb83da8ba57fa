import type { FeatureColumn } from './columns.js';

/** A Parquet writer's column list as a table declares it (Glue / DuckDB types), so the two cannot differ. */
export function tableColumns(
  columns: readonly FeatureColumn[],
): { readonly name: string; readonly type: 'string' | 'int' | 'double' }[] {
  return columns.map((column) => ({ name: column.name, type: column.type }));
}
