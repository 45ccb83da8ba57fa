import type { CsvDelimiter } from '../core/data/csv.js';
import { InputDataError, numberCell, readCsvTable, requireColumns } from './csv-cells.js';

/**
 * The regressors' future values from a CSV: one row per forecast step, in order, with a column
 * per regressor the model was fitted with (other columns, e.g. a time column, are ignored).
 * Rows beyond the horizon are ignored too, so one file serves several horizons. The delimiter is
 * detected unless given; files split at semicolons or tabs may write decimal commas.
 */
export function futureExogFromCsv(
  text: string,
  exogNames: string[],
  horizon: number,
  label: string,
  delimiter?: CsvDelimiter,
): number[][] {
  const table = readCsvTable(text, label, delimiter);
  const decimalComma = table.delimiter !== ',';
  requireColumns(table, exogNames, label);
  if (table.rows.length < horizon)
    throw new InputDataError(
      `${label} has ${table.rows.length} rows, but a horizon of ${horizon} needs ${horizon} (one per forecast step)`,
    );
  return table.rows
    .slice(0, horizon)
    .map((row, i) =>
      exogNames.map((column) =>
        numberCell(row[column], { label, line: table.lines[i] as number, column, flags: true, decimalComma }),
      ),
    );
}

/** What to tell a user who forecasts a model with regressors but gave no future values. */
export function missingExogMessage(modelPath: string, exogNames: string[], horizon: number): string {
  const header = exogNames.join(',');
  return [
    `${modelPath} was fitted with regressors (${exogNames.join(', ')}): forecasting needs their future values.`,
    `Pass --exog-csv FILE with the columns ${header} and at least ${horizon} rows, one per forecast step in order, e.g.`,
    `  ${header}`,
    `  ${exogNames.map(() => '…').join(',')}`,
  ].join('\n');
}
