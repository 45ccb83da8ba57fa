/**
 * An in-memory DuckDB with one view per table. Loaded with a dynamic import: the native binding
 * is for `smlp query` alone, so no other command (and no Lambda bundle, which never imports
 * cli/) pays for it.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CommandFailure } from '../failure.js';

export interface QueryColumn {
  readonly name: string;
  /** DuckDB's type name (`VARCHAR`, `BIGINT`, `DECIMAL(5,2)`, …). */
  readonly type: string;
}

/** JSON-ready values: numbers, strings (dates and timestamps as DuckDB prints them), booleans, null, lists, structs. */
export type QueryValue = null | boolean | number | string | QueryValue[] | { [key: string]: QueryValue };

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly (readonly QueryValue[])[];
}

export class DuckDbSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<DuckDbSession> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    return new DuckDbSession(instance, await instance.connect());
  }

  /** Runs statements of ours (the views); a failure here is a bug or a broken file, said as such. */
  async define(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw new CommandFailure(`could not create a view (${(error as Error).message}): ${sql}`);
    }
  }

  /** Runs the user's SQL; DuckDB's own message on failure (it points at the line and column). */
  async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const types = reader.columnTypes().map(String);
    const columns = reader.columnNames().map((name, i) => ({ name, type: types[i] ?? '' }));
    const rows = (reader.getRowsJson() as QueryValue[][]).map((row) =>
      row.map((value, i) => numberWhereExact(value, types[i] ?? '')),
    );
    return { columns, rows };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

const WIDE_NUMBERS = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|UINTEGER|DECIMAL)/;

/**
 * DuckDB gives 64-bit integers and decimals as strings (JavaScript numbers cannot hold them all);
 * a count or a sum is a number to anyone reading the JSON, so those that fit exactly become one.
 */
function numberWhereExact(value: QueryValue, type: string): QueryValue {
  if (typeof value !== 'string' || !WIDE_NUMBERS.test(type)) return value;
  const number = Number(value);
  if (!Number.isFinite(number)) return value;
  if (type.startsWith('DECIMAL')) {
    const trimmed = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
    return String(number) === trimmed ? number : value;
  }
  return Number.isSafeInteger(number) ? number : value;
}
