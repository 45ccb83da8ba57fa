import type { BenchRow } from './types.js';

function formatValue(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4);
}

/** One table per suite: rows are implementations, columns the union of their metrics. */
export function printTable(rows: BenchRow[]): void {
  const bySuite = new Map<string, BenchRow[]>();
  for (const row of rows) bySuite.set(row.suite, [...(bySuite.get(row.suite) ?? []), row]);
  for (const [suite, suiteRows] of bySuite) {
    const metricNames = [...new Set(suiteRows.flatMap((row) => Object.keys(row.metrics)))];
    const header = ['case', 'impl', ...metricNames];
    const body = suiteRows.map((row) => [
      row.case,
      row.impl,
      ...metricNames.map((m) => formatValue(row.metrics[m] ?? null)),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)));
    const render = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
    console.log(`\n## ${suite}`);
    console.log(render(header));
    console.log(render(widths.map((w) => '-'.repeat(w))));
    for (const line of body) console.log(render(line));
    for (const row of suiteRows) if (row.note) console.log(`  note (${row.case}, ${row.impl}): ${row.note}`);
  }
}
