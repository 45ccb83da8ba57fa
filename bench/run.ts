import { parseArgs } from 'node:util';
import { printTable } from './table.js';
import type { BenchRow, BenchSuite } from './types.js';

/**
 * `npm run bench [-- --json] [--only a,b] [--quick]`: every suite, ours beside its baselines.
 * Suites are imported lazily so `--only` does not pay for the others' module loading.
 */
const suites: Record<string, () => Promise<BenchSuite>> = {
  ingest: async () => (await import('./suites/ingest.js')).suite,
  producer: async () => (await import('./suites/producer.js')).suite,
  'cold-start': async () => (await import('./suites/cold-start.js')).suite,
  forecasting: async () => (await import('./suites/forecasting.js')).suite,
  'sarimax-grid': async () => (await import('./suites/sarimax-grid.js')).suite,
  features: async () => (await import('./suites/features.js')).suite,
  kmeans: async () => (await import('./suites/kmeans.js')).suite,
  'random-forest': async () => (await import('./suites/random-forest.js')).suite,
  'online-latency': async () => (await import('./suites/online-latency.js')).suite,
  'online-learning': async () => (await import('./suites/online-learning.js')).suite,
  'churn-pipeline': async () => (await import('./suites/churn-pipeline.js')).suite,
  'churn-monitoring': async () => (await import('./suites/churn-monitoring.js')).suite,
  'sales-models': async () => (await import('./suites/sales-models.js')).suite,
  'sales-fanout': async () => (await import('./suites/sales-fanout.js')).suite,
};

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

const selected = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(suites);
const unknown = selected.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const rows: BenchRow[] = [];
const ctx = { quick: values.quick, progress: (message: string) => process.stderr.write(`  … ${message}\n`) };
for (const name of selected) {
  const load = suites[name];
  if (!load) continue;
  const suite = await load();
  process.stderr.write(`▶ ${suite.name}: ${suite.description}\n`);
  const started = performance.now();
  rows.push(...(await suite.run(ctx)));
  process.stderr.write(`✔ ${suite.name} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (values.json) process.stdout.write(`${JSON.stringify({ rows })}\n`);
else printTable(rows);
