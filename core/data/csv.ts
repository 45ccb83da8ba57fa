/** The separators a CSV file may use: comma, semicolon (spreadsheets in many locales) or tab. */
export type CsvDelimiter = ',' | ';' | '\t';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * The delimiter of a file, from its header line: the candidate that occurs most often outside
 * quotes (a header has no numbers with decimal commas to mislead the count); comma when none does.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const header = text.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
  const unquoted = header.replace(/"[^"]*"/g, '');
  const counts = CSV_DELIMITERS.map((d) => unquoted.split(d).length - 1);
  const best = Math.max(...counts);
  return best === 0 ? ',' : (CSV_DELIMITERS[counts.indexOf(best)] as CsvDelimiter);
}

/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a comma (or the given delimiter)
 * between fields. Enough for data sets, no dependency.
 */
export function parseCsv(
  text: string,
  delimiter: CsvDelimiter = ',',
): { header: string[]; rows: Record<string, string>[] } {
  const records = parseRecords(text, delimiter);
  const header = records.shift();
  if (!header || header.every((cell) => cell.trim() === '')) throw new Error('CSV has no header line');
  const names = header.map((cell) => cell.trim());
  const rows = records
    .filter((cells) => !(cells.length === 1 && cells[0] === ''))
    .map((cells) => Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ''])));
  return { header: names, rows };
}

function parseRecords(text: string, delimiter: CsvDelimiter): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(fields: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [fields.join(',')];
  for (const row of rows) lines.push(fields.map((field) => formatCell(row[field])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * A CSV cell as a record field: empty or `null` → null, `true`/`false` → booleans, plain decimal
 * numbers → numbers. "NaN" and "inf" stay text, so validation names them instead of a silent NaN.
 */
export function csvCellValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '' || /^null$/i.test(trimmed)) return null;
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  const number = Number(trimmed);
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) && Number.isFinite(number)
    ? number
    : trimmed;
}
