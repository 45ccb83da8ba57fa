import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { writeFeatureParquet } from '../../core/features/parquet.js';
import type { TableDefinition } from '../../lib/config/system-definition.js';
import { ledgerBalancesTable } from '../fixtures/systems/ledger/system.js';
import { assertParquetMatchesTable, parquetColumnTypes } from '../support/table-schema.js';

/** A balances file as a writer would produce it, with the columns given (types as the writer's). */
function balancesFile(columns: { name: string; type: 'string' | 'int' | 'double' }[]): Uint8Array {
  const rows = [{ account: 'a-1', entries: 3, balance: 12.5, day: '2024-03-01', note: 'x' }];
  return writeFeatureParquet(
    rows as never,
    columns.map((column) => ({ ...column, nullable: false, description: '' })),
  );
}

const WRITTEN = [
  { name: 'account', type: 'string' as const },
  { name: 'entries', type: 'int' as const },
  { name: 'balance', type: 'double' as const },
];

describe('assertParquetMatchesTable (the check systems run on their writers’ output)', () => {
  it('accepts a file whose columns are the table’s, whatever their order', () => {
    // Prepare
    const file = balancesFile([...WRITTEN].reverse());

    // Act / Assess
    expect(() => assertParquetMatchesTable(ledgerBalancesTable, file)).not.toThrow();
  });

  it('names a column the file lacks', () => {
    // Prepare
    const file = balancesFile(WRITTEN.filter((c) => c.name !== 'entries'));

    // Act / Assess
    expect(() => assertParquetMatchesTable(ledgerBalancesTable, file)).toThrow(
      'column "entries" (int) is missing from the file',
    );
  });

  it('names a column the table does not declare', () => {
    // Prepare
    const file = balancesFile([...WRITTEN, { name: 'note', type: 'string' }]);

    // Act / Assess
    expect(() => assertParquetMatchesTable(ledgerBalancesTable, file)).toThrow(
      'column "note" (string) is in the file but not in the table',
    );
  });

  it('names a column whose type differs (a count written as a double)', () => {
    // Prepare
    const file = balancesFile(WRITTEN.map((c) => (c.name === 'entries' ? { ...c, type: 'double' } : c)));

    // Act / Assess
    expect(() => assertParquetMatchesTable(ledgerBalancesTable, file)).toThrow(
      'column "entries" is double in the file, int in the table',
    );
  });

  it('names a partition key written into the file', () => {
    // Prepare
    const file = balancesFile([...WRITTEN, { name: 'day', type: 'string' }]);

    // Act / Assess
    expect(() => assertParquetMatchesTable(ledgerBalancesTable, file)).toThrow(
      'column "day" is a partition key',
    );
  });

  it('maps Parquet types to Glue’s: INT64 → bigint, BOOLEAN → boolean, timestamps → timestamp', () => {
    // Prepare
    const file = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'n', type: 'INT64', data: [1n] },
          { name: 'ok', type: 'BOOLEAN', data: [true] },
          { name: 'at', type: 'TIMESTAMP', data: [new Date('2024-03-01T00:00:00Z')] },
          { name: 's', type: 'STRING', data: ['x'] },
          { name: 'f', type: 'FLOAT', data: [1.5] },
        ],
      }),
    );
    const table: TableDefinition = {
      ...ledgerBalancesTable,
      columns: [
        { name: 'n', type: 'bigint' },
        { name: 'ok', type: 'boolean' },
        { name: 'at', type: 'timestamp' },
        { name: 's', type: 'string' },
        { name: 'f', type: 'double' },
      ],
    };

    // Act
    const types = parquetColumnTypes(file);

    // Assess: FLOAT has no Glue type here (tables declare double), so it is a difference
    expect(types.map((c) => [c.name, c.type])).toEqual([
      ['n', 'bigint'],
      ['ok', 'boolean'],
      ['at', 'timestamp'],
      ['s', 'string'],
      ['f', 'unsupported (FLOAT/no annotation)'],
    ]);
    expect(() => assertParquetMatchesTable(table, file)).toThrow(
      /Parquet file does not match table "ledger_balances":\n {2}- column "f" is unsupported \(FLOAT\/no annotation\) in the file, double in the table$/,
    );
  });
});
