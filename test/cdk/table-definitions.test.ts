import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import type { SystemDefinition, TableDefinition } from '../../lib/config/system-definition.js';
import { ledgerBalancesTable, ledgerSystem } from '../fixtures/systems/ledger/system.js';

/** The ledger fixture with its Parquet table changed as given. */
function ledgerWith(change: Partial<TableDefinition>): SystemDefinition {
  return { ...ledgerSystem, tables: [{ ...ledgerBalancesTable, ...change }] };
}

function problemsOf(systems: SystemDefinition[]): string {
  try {
    pipelineDefinition(systems);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe("pipelineDefinition: the systems' tables", () => {
  it('accepts the fixture tables', () => {
    // Act / Assess
    expect(problemsOf([ledgerSystem])).toBe('');
  });

  it('refuses a table named twice, across systems too', () => {
    // Prepare: a second system that declares the ledger's table under the same name
    const other: SystemDefinition = {
      ...ledgerSystem,
      name: 'ledger-copy',
      recordSpec: { ...ledgerSystem.recordSpec, pipeline: 'ledger-copy' },
      tables: [{ ...ledgerBalancesTable, prefix: 'reports/ledger-copy/' }],
    };

    // Act
    const message = problemsOf([ledgerSystem, other]);

    // Assess
    expect(message).toContain('table "ledger_balances" is defined twice');
  });

  it.each([
    [
      'a name of another system',
      { name: 'water_balances' },
      `must start with the system's name ("ledger_…")`,
    ],
    [
      'a name with upper case or dashes',
      { name: 'ledger-Balances' },
      'must be lower-case letters, digits and "_"',
    ],
    [
      'a prefix without the trailing slash',
      { prefix: 'reports/ledger/balances' },
      'must be a key prefix ending in "/"',
    ],
    [
      'a prefix outside the system',
      { prefix: 'reports/water/balances/' },
      'must have "ledger" as one of its segments',
    ],
    [
      'a column declared twice (in another case)',
      { columns: [...ledgerBalancesTable.columns, { name: 'Balance', type: 'double' as const }] },
      'column "Balance" is declared twice',
    ],
    [
      'a column that is also a partition key',
      { columns: [...ledgerBalancesTable.columns, { name: 'day', type: 'string' as const }] },
      'partition key "day" is also a column',
    ],
    [
      'a column name Athena cannot take unquoted',
      { columns: [{ name: 'balance eur', type: 'double' as const }] },
      'column "balance eur" must be letters, digits and "_"',
    ],
    [
      'a projection start that is not a date',
      {
        partitionKeys: [
          { name: 'day', type: 'string' as const, projection: { kind: 'date' as const, start: '1/3/2024' } },
        ],
      },
      'starts at "1/3/2024", expected YYYY-MM-DD',
    ],
  ])('refuses %s, saying what was expected', (_case, change, expected) => {
    // Act
    const message = problemsOf([ledgerWith(change)]);

    // Assess
    expect(message).toContain('system "ledger": table');
    expect(message).toContain(expected);
  });
});
