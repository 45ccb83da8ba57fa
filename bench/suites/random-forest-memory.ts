import { parseArgs } from 'node:util';
import { generateChurnData } from '../../core/data/churn-generator.js';
import { RandomForestClassifier } from '../../core/ml/forest/index.js';

/**
 * Child process of the random-forest bench: fits one forest on N generated churn rows and prints
 * the process's peak RSS as JSON. A separate process so the number is this fit's, not the
 * benchmark runner's. Run: node --import tsx bench/suites/random-forest-memory.ts --rows 200000
 */
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    trees: { type: 'string', default: '100' },
    seed: { type: 'string', default: '2024' },
  },
});
const rows = Number(values.rows);
const trees = Number(values.trees);

const data = generateChurnData({ rows, seed: Number(values.seed) });
const rssBeforeFitMB = process.memoryUsage().rss / 2 ** 20;
const started = performance.now();
const model = new RandomForestClassifier({ nTrees: trees, seed: 1 }).fit(data.features, data.labels);
const fitSeconds = (performance.now() - started) / 1000;
// maxRSS is reported in kilobytes.
const peakRssMB = process.resourceUsage().maxRSS / 1024;
const json = model.toJSON();
process.stdout.write(
  `${JSON.stringify({ rows, trees, fitSeconds, rssBeforeFitMB, peakRssMB, nodes: json.nNodes })}\n`,
);
