import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generateChurnData } from '../../core/data/churn-generator.js';
import { RandomForestClassifier } from '../../core/ml/forest/index.js';
import { accuracy, f1Score, rocAuc } from '../../core/ml/metrics/index.js';
import { pythonHas, runPythonJson } from '../python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';

/**
 * Our forest against scikit-learn (the reference: same rows, 100 trees, one core) and against
 * ml-random-forest (the dependency it replaces, far too slow to run 100 trees, so it fits as many
 * trees as a bounded budget allows and its times are extrapolated). All metrics are computed by our
 * own metric functions on every implementation's probabilities, so the comparison is like for like.
 */
const SUITE = 'random-forest';
const TREES = 100;
const DATA_SEED = 2024;

interface Split {
  trainX: number[][];
  trainY: number[];
  testX: number[][];
  testY: number[];
}

interface Scores {
  accuracy: number;
  f1: number;
  rocAuc: number;
}

function score(truth: number[], positiveProbability: ArrayLike<number>): Scores {
  const predicted = Array.from(positiveProbability, (p) => (p > 0.5 ? 1 : 0));
  return {
    accuracy: accuracy(truth, predicted),
    f1: f1Score(truth, predicted),
    rocAuc: rocAuc(truth, positiveProbability),
  };
}

function makeSplit(rows: number): Split {
  const data = generateChurnData({ rows, seed: DATA_SEED });
  const cut = Math.floor(rows * 0.8);
  return {
    trainX: data.features.slice(0, cut),
    trainY: data.labels.slice(0, cut),
    testX: data.features.slice(cut),
    testY: data.labels.slice(cut),
  };
}

function runOurs(split: Split): { fitSeconds: number; predictSeconds: number; scores: Scores } {
  const fitStart = performance.now();
  const model = new RandomForestClassifier({ nTrees: TREES, seed: 1 }).fit(split.trainX, split.trainY);
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const predictStart = performance.now();
  const probability = model.predictProbaOf(split.testX, 1);
  const predictSeconds = (performance.now() - predictStart) / 1000;
  return { fitSeconds, predictSeconds, scores: score(split.testY, probability) };
}

const SKLEARN_SCRIPT = `
import json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
d = json.load(sys.stdin)
X = np.asarray(d['trainX'], dtype=np.float64); y = np.asarray(d['trainY'])
T = np.asarray(d['testX'], dtype=np.float64)
m = RandomForestClassifier(n_estimators=d['trees'], n_jobs=1, random_state=1)
t0 = time.perf_counter(); m.fit(X, y); fit = time.perf_counter() - t0
t0 = time.perf_counter(); p = m.predict_proba(T)[:, list(m.classes_).index(1)]; pred = time.perf_counter() - t0
print(json.dumps({'fitSeconds': fit, 'predictSeconds': pred, 'probability': p.tolist(),
  'ownRocAuc': roc_auc_score(np.asarray(d['testY']), p)}))
`;

interface SklearnResult {
  fitSeconds: number;
  predictSeconds: number;
  probability: number[];
  ownRocAuc: number;
}

/**
 * Runs inside a worker thread (CommonJS eval) so the baseline can be stopped: one ml-random-forest
 * tree on these rows can take minutes, and a synchronous train() cannot be interrupted otherwise.
 * It fits one tree, then as many trees as the remaining budget allows, and returns vote shares
 * (its own predictProbability drops the first tree's vote, so it is not used).
 */
const ML_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { RandomForestClassifier } = require(workerData.modulePath);
const { trainX, trainY, testX, budgetSeconds, maxTrees } = workerData;
function train(nEstimators) {
  // All features per tree without replacement: its feature sampling is per tree, not per split,
  // so 'sqrt' would cripple it. Rows are bootstrapped like the others'.
  const forest = new RandomForestClassifier({ nEstimators, seed: 1, maxFeatures: 1.0, replacement: false,
    useSampleBagging: true, noOOB: true });
  const started = performance.now();
  forest.train(trainX, trainY);
  return { forest, seconds: (performance.now() - started) / 1000 };
}
let run = train(1);
let trees = 1;
parentPort.postMessage({ kind: 'first-tree', seconds: run.seconds });
const affordable = Math.min(maxTrees, Math.floor((budgetSeconds - run.seconds) / run.seconds));
if (affordable >= 2) { run = train(affordable); trees = affordable; }
const started = performance.now();
const votes = run.forest.predictionValues(testX);
const probability = [];
for (let i = 0; i < testX.length; i++) {
  const row = votes.getRow(i);
  probability.push(row.filter((v) => v === 1).length / row.length);
}
const predictSeconds = (performance.now() - started) / 1000;
parentPort.postMessage({ kind: 'done', trees, seconds: run.seconds, predictSeconds, probability });
`;

type MlOutcome =
  | { kind: 'done'; trees: number; seconds: number; predictSeconds: number; probability: number[] }
  | { kind: 'timed-out'; firstTreeSeconds: number | null };

/** ml-random-forest under a hard wall-clock limit; the worker is terminated when it is reached. */
function runMlRandomForest(split: Split, budgetSeconds: number, limitSeconds: number): Promise<MlOutcome> {
  const worker = new Worker(ML_WORKER, {
    eval: true,
    workerData: {
      modulePath: createRequire(import.meta.url).resolve('ml-random-forest'),
      trainX: split.trainX,
      trainY: split.trainY,
      testX: split.testX,
      budgetSeconds,
      maxTrees: TREES,
    },
  });
  return new Promise((resolve, reject) => {
    let firstTreeSeconds: number | null = null;
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ kind: 'timed-out', firstTreeSeconds });
    }, limitSeconds * 1000);
    worker.on('message', (message: MlOutcome | { kind: 'first-tree'; seconds: number }) => {
      if (message.kind === 'first-tree') firstTreeSeconds = message.seconds;
      if (message.kind === 'done') {
        clearTimeout(timer);
        void worker.terminate();
        resolve(message);
      }
    });
    worker.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function mlRow(
  caseName: string,
  ml: MlOutcome,
  split: Split,
  ours: number,
  budget: number,
  limit: number,
): BenchRow {
  const base = { suite: SUITE, case: `${caseName} (extrapolated)`, impl: 'ml-random-forest' };
  if (ml.kind === 'timed-out') {
    return {
      ...base,
      metrics: { fitSeconds: null },
      note:
        ml.firstTreeSeconds === null
          ? `skipped: one tree did not finish within the ${limit} s limit (≥ ${limit * TREES} s for ${TREES} trees)`
          : `skipped: prediction did not finish within the ${limit} s limit`,
    };
  }
  const scale = TREES / ml.trees;
  const fitSeconds = ml.seconds * scale;
  return {
    ...base,
    metrics: {
      fitSeconds,
      predictSeconds: ml.predictSeconds * scale,
      ...score(split.testY, ml.probability),
      treesFitted: ml.trees,
      fitRatioVsOurs: fitSeconds / ours,
    },
    note:
      `extrapolated: fitted ${ml.trees} tree(s) in ${ml.seconds.toFixed(1)} s (budget ${budget} s for more trees, ` +
      `hard limit ${limit} s); fit/predict seconds scaled to ${TREES} trees; ` +
      `accuracy/F1/ROC-AUC are of the ${ml.trees}-tree model (vote share)`,
  };
}

function runMemoryChild(rows: number): {
  peakRssMB: number;
  fitSeconds: number;
  rssBeforeFitMB: number;
  nodes: number;
} {
  const script = fileURLToPath(new URL('./random-forest-memory.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--rows', String(rows), '--trees', String(TREES)],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr || child.error}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null');
}

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'churn random forest: ours vs scikit-learn vs ml-random-forest (fit, predict, accuracy, F1, ROC-AUC)',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const rows = ctx.quick ? 5_000 : 25_000;
    const memoryRows = ctx.quick ? 50_000 : 200_000;
    const mlBudgetSeconds = ctx.quick ? 15 : 60;
    // One ml-random-forest tree on 20,000 rows took 144–196 s here; beyond this limit the row says so.
    const mlLimitSeconds = ctx.quick ? 30 : 300;
    const split = makeSplit(rows);
    const caseName = `churn ${split.trainX.length}x15 train / ${split.testX.length} test, ${TREES} trees`;
    const out: BenchRow[] = [];

    ctx.progress(`ours: fitting ${TREES} trees on ${split.trainX.length} rows`);
    const ours = runOurs(split);
    const oursRow: BenchRow = {
      suite: SUITE,
      case: caseName,
      impl: 'ours',
      metrics: { fitSeconds: ours.fitSeconds, predictSeconds: ours.predictSeconds, ...ours.scores },
      note: `data seed ${DATA_SEED}, ~20% churners, forest seed 1, sqrt features per split, fully grown trees, 1 core`,
    };
    out.push(oursRow);

    const sklearnAvailable = pythonHas(['sklearn', 'numpy']);
    if (sklearnAvailable.ok) {
      ctx.progress(`scikit-learn: fitting ${TREES} trees on the same rows`);
      const sk = runPythonJson<SklearnResult>(SKLEARN_SCRIPT, { ...split, trees: TREES });
      const skScores = score(split.testY, sk.probability);
      out.push({
        suite: SUITE,
        case: caseName,
        impl: 'scikit-learn',
        metrics: { fitSeconds: sk.fitSeconds, predictSeconds: sk.predictSeconds, ...skScores },
        note: `RandomForestClassifier(n_estimators=${TREES}, n_jobs=1); its own roc_auc_score = ${sk.ownRocAuc.toFixed(6)}`,
      });
      oursRow.metrics.fitRatioVsSklearn = ours.fitSeconds / sk.fitSeconds;
      oursRow.metrics.rocAucDeltaVsSklearn = ours.scores.rocAuc - skScores.rocAuc;
      oursRow.note += `; targets: fit ≤ 3x scikit-learn, |ΔROC-AUC| ≤ 0.01`;
    } else {
      out.push({
        suite: SUITE,
        case: caseName,
        impl: 'scikit-learn',
        metrics: { fitSeconds: null },
        note: `skipped: ${sklearnAvailable.reason}`,
      });
    }

    ctx.progress(
      `ml-random-forest: 1 tree on ${split.trainX.length} rows, more if they fit ${mlBudgetSeconds} s (hard limit ${mlLimitSeconds} s)`,
    );
    const ml = await runMlRandomForest(split, mlBudgetSeconds, mlLimitSeconds);
    out.push(mlRow(caseName, ml, split, ours.fitSeconds, mlBudgetSeconds, mlLimitSeconds));

    ctx.progress(`memory: fitting ${TREES} trees on ${memoryRows} rows in a child process`);
    const memory = runMemoryChild(memoryRows);
    out.push({
      suite: SUITE,
      case: `churn ${memoryRows}x15, ${TREES} trees: peak memory`,
      impl: 'ours',
      metrics: { fitSeconds: memory.fitSeconds, peakRssMB: memory.peakRssMB, nodes: memory.nodes },
      note:
        `child process maxRSS (node + tsx + ${memoryRows} generated rows ≈ ${memory.rssBeforeFitMB.toFixed(0)} MB before fit); ` +
        'target < 512 MB',
    });
    return out;
  },
};
