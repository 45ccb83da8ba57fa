import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createClassifier, defaultClassifierConfigs } from '../../core/online/classifiers.js';
import { createRegressor, defaultRegressorConfigs } from '../../core/online/regressors.js';
import type { ClassifierConfig, Features, RegressorConfig } from '../../core/online/types.js';
import { generateOnlineRecords, ONLINE_FEATURES } from '../../systems/online/records/generator.js';
import { pythonHas, runPythonJson } from '../python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, median } from './support/measure.js';

/**
 * The online system's five models against River on the same records, in the same run: records
 * learned per second (prequential: predict the record, then learn it, one at a time, a fresh
 * model per pass; median of the passes) and the prequential score over the whole stream, both
 * computed here by one definition from each implementation's predictions. The stream is the
 * system's own generator (seeded, with its concept drifts). The targets: at least 10×
 * River's throughput, and the score within 1 point of River's (accuracy within 0.01; MAE within
 * 1 % of the target's standard deviation, so the bound does not depend on the target's units).
 */
const SUITE = 'online-learning';
const SEED = 13;
/** Ours and River's trees both stop at this depth (River's default has none; ours must be JSON). */
const MAX_DEPTH = 50;
const RIVER_SCRIPT = readFileSync(new URL('../online_learning_river.py', import.meta.url), 'utf8');

interface Stream {
  readonly features: Features[];
  readonly labels: (0 | 1)[];
  readonly targets: number[];
}

type Bench =
  | { readonly name: string; readonly task: 'classification'; readonly config: ClassifierConfig }
  | { readonly name: string; readonly task: 'regression'; readonly config: RegressorConfig };

const MODELS: readonly Bench[] = [
  {
    name: 'logistic-regression',
    task: 'classification',
    config: defaultClassifierConfigs['logistic-regression'],
  },
  { name: 'gaussian-nb', task: 'classification', config: defaultClassifierConfigs['gaussian-nb'] },
  {
    name: 'hoeffding-tree-classifier',
    task: 'classification',
    config: { ...defaultClassifierConfigs['hoeffding-tree'], maxDepth: MAX_DEPTH },
  },
  {
    name: 'linear-regression',
    task: 'regression',
    config: defaultRegressorConfigs['linear-regression'],
  },
  {
    name: 'hoeffding-tree-regressor',
    task: 'regression',
    config: { ...defaultRegressorConfigs['hoeffding-tree'], maxDepth: MAX_DEPTH },
  },
];

/** One prequential pass of a fresh model; the predictions (P(y=1) for classifiers) and its seconds. */
function prequentialPass(bench: Bench, stream: Stream): { seconds: number; predictions: number[] } {
  const predictions = new Array<number>(stream.features.length);
  const { features, labels, targets } = stream;
  let started: number;
  if (bench.task === 'classification') {
    const model = createClassifier(bench.config);
    started = performance.now();
    for (let i = 0; i < features.length; i++) {
      const x = features[i] as Features;
      predictions[i] = model.predictProbability(x);
      model.learn(x, labels[i] as 0 | 1);
    }
  } else {
    const model = createRegressor(bench.config);
    started = performance.now();
    for (let i = 0; i < features.length; i++) {
      const x = features[i] as Features;
      predictions[i] = model.predict(x);
      model.learn(x, targets[i] as number);
    }
  }
  return { seconds: (performance.now() - started) / 1000, predictions };
}

/** Accuracy (P(y=1) > 0.5 is class 1, both sides) or MAE over the whole stream. */
function score(bench: Bench, stream: Stream, predictions: readonly number[]): number {
  let total = 0;
  predictions.forEach((p, i) => {
    total +=
      bench.task === 'classification'
        ? Number((p > 0.5 ? 1 : 0) === stream.labels[i])
        : Math.abs((stream.targets[i] as number) - p);
  });
  return total / predictions.length;
}

/** How closely ours followed River record by record: same class share, or the largest |Δŷ|. */
function agreement(bench: Bench, ours: readonly number[], river: readonly number[]): Record<string, number> {
  if (bench.task === 'classification') {
    const same = ours.filter((p, i) => p > 0.5 === (river[i] as number) > 0.5).length;
    return { sameClassShare: same / ours.length };
  }
  return { maxAbsPredictionDiff: Math.max(...ours.map((p, i) => Math.abs(p - (river[i] as number)))) };
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

interface RiverResult {
  version: string;
  models: Record<string, { seconds: number[]; predictions: number[] }>;
}

/**
 * The closest maintained npm libraries (mljs) only learn in batch: `train(X, y)` on a whole
 * matrix. Used online, the only way to learn one more record is to refit on every record seen so
 * far. Gaussian NB refits after every record (cheap enough); logistic regression's fit is full-
 * batch gradient ascent for a fixed number of steps, so it refits every few records, and the
 * refit-after-every-record rate is extrapolated from those fits (each stands for the ones around it).
 */
const MLJS_LR_STEPS = 1_000; // the library's default is 50,000: 50× the time, as a fit is that many identical steps
const MLJS_LR_LEARNING_RATE = 5e-4; // the library's default
const MLJS_LR_REFIT_EVERY = 100;

/** ml-matrix, which ml-logistic-regression requires for X and y (plain arrays do not work). */
interface MlMatrix {
  readonly rows: number;
}
interface MlMatrixClass {
  new (rows: number[][]): MlMatrix;
  columnVector(values: number[]): MlMatrix;
}
interface MlGaussianNB {
  train(x: number[][], y: number[]): void;
  /** Class indices only, no probabilities; -1 when every class's likelihood underflows to 0. */
  predict(x: number[][]): number[];
}
interface MlLogisticRegression {
  /** One-vs-rest: classifier 0 scores "not class 0", i.e. P(y = 1) for a binary label. */
  readonly classifiers: { testScores(x: MlMatrix): number[] }[];
  train(x: MlMatrix, y: MlMatrix): void;
}
interface Mljs {
  readonly GaussianNB: new () => MlGaussianNB;
  readonly LogisticRegression: new (options: {
    numSteps: number;
    learningRate: number;
  }) => MlLogisticRegression;
  readonly Matrix: MlMatrixClass;
  readonly naiveBayesVersion: string;
  readonly logisticVersion: string;
}

/** The two devDependencies (CommonJS), and the ml-matrix that ml-logistic-regression itself resolves. */
function loadMljs(): Mljs | string {
  const require = createRequire(import.meta.url);
  try {
    const nb = require('ml-naivebayes') as { GaussianNB: Mljs['GaussianNB'] };
    const lr = require('ml-logistic-regression') as Mljs['LogisticRegression'];
    const matrix = require(createRequire(require.resolve('ml-logistic-regression')).resolve('ml-matrix')) as {
      Matrix: MlMatrixClass;
    };
    const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    return {
      GaussianNB: nb.GaussianNB,
      LogisticRegression: lr,
      Matrix: matrix.Matrix,
      naiveBayesVersion: version('ml-naivebayes'),
      logisticVersion: version('ml-logistic-regression'),
    };
  } catch (error) {
    return `mljs not installed (${(error as Error).message.split('\n')[0]})`;
  }
}

interface MljsPass {
  /** P(y=1) for logistic regression; the class itself (0/1) for naive Bayes, 0.5 where it gave none. */
  predictions: number[];
  /** Wall seconds of the run as done (predict + refits, including the copies a refit needs). */
  seconds: number;
  /** Seconds had it refit after every record (equal to `seconds` when it did). */
  everyRecordSeconds: number;
  /** Predictions it could not make (NB: -1; either: a fit that threw, so the last model served). */
  noAnswer: number;
  failedFits: number;
}

/** Gaussian NB, refit on records 0..i after predicting record i. */
function mljsNaiveBayesPass(ml: Mljs, rows: readonly number[][], labels: readonly (0 | 1)[]): MljsPass {
  const predictions = new Array<number>(rows.length);
  let model: MlGaussianNB | undefined;
  let noAnswer = 0;
  let failedFits = 0;
  const started = performance.now();
  for (let i = 0; i < rows.length; i++) {
    const predicted = model ? model.predict([rows[i] as number[]])[0] : undefined;
    if (predicted === 0 || predicted === 1) predictions[i] = predicted;
    else {
      predictions[i] = 0.5; // no model yet, or no class: the same "no evidence" answer as ours before learning
      if (model) noAnswer++;
    }
    const next = new ml.GaussianNB();
    try {
      next.train(rows.slice(0, i + 1), labels.slice(0, i + 1));
      model = next;
    } catch {
      failedFits++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { predictions, seconds, everyRecordSeconds: seconds, noAnswer, failedFits };
}

/**
 * Logistic regression, refit every `MLJS_LR_REFIT_EVERY` records. It has no intercept and no
 * scaling (raw features gave 40–70 % accuracy in a trial), so each fit gets what a batch user
 * would add: a column of ones and features standardized by the seen records' mean and std.
 */
function mljsLogisticPass(ml: Mljs, rows: readonly number[][], labels: readonly (0 | 1)[]): MljsPass {
  const predictions = new Array<number>(rows.length);
  let model: { fit: MlLogisticRegression; mean: number[]; std: number[] } | undefined;
  let failedFits = 0;
  let fitSeconds = 0;
  const design = (row: readonly number[], mean: number[], std: number[]) => [
    1,
    ...row.map((v, j) => (v - (mean[j] as number)) / (std[j] as number)),
  ];
  const started = performance.now();
  for (let i = 0; i < rows.length; i++) {
    predictions[i] = model
      ? (model.fit.classifiers[0]?.testScores(
          new ml.Matrix([design(rows[i] as number[], model.mean, model.std)]),
        )[0] ?? 0.5)
      : 0.5;
    if ((i + 1) % MLJS_LR_REFIT_EVERY !== 0) continue;
    const fitStarted = performance.now();
    const seen = rows.slice(0, i + 1);
    const mean = ONLINE_FEATURES.map(
      (_, j) => seen.reduce((sum, r) => sum + (r[j] as number), 0) / seen.length,
    );
    const std = ONLINE_FEATURES.map(
      (_, j) =>
        Math.sqrt(
          seen.reduce((sum, r) => sum + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / seen.length,
        ) || 1,
    );
    const fit = new ml.LogisticRegression({ numSteps: MLJS_LR_STEPS, learningRate: MLJS_LR_LEARNING_RATE });
    try {
      fit.train(
        new ml.Matrix(seen.map((r) => design(r, mean, std))),
        ml.Matrix.columnVector(labels.slice(0, i + 1)),
      );
      model = { fit, mean, std };
    } catch {
      failedFits++;
    }
    fitSeconds += (performance.now() - fitStarted) / 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    predictions,
    seconds,
    everyRecordSeconds: seconds - fitSeconds + MLJS_LR_REFIT_EVERY * fitSeconds,
    noAnswer: predictions.filter((p) => !Number.isFinite(p)).length,
    failedFits,
  };
}

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'online models, ours vs River on the same stream: records/s (predict + learn) and prequential score',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const count = ctx.quick ? 3_000 : 20_000;
    // River's passes are the slow part (its trees learn ~1,500 records/s); ours are cheap, so
    // more of them steady the median on a machine shared with other work.
    const repeats = ctx.quick ? 1 : 3;
    const ourPasses = ctx.quick ? 3 : 5;
    const records = generateOnlineRecords({ seed: SEED, count });
    const stream: Stream = {
      features: records.map((r) => r.features),
      labels: records.map((r) => r.label),
      targets: records.map((r) => r.target),
    };
    const targetStd = standardDeviation(stream.targets);
    const caseOf = (bench: Bench) => `${bench.name}, ${count} records`;
    const out: BenchRow[] = [];

    const ours = new Map<string, { recordsPerSecond: number; score: number; predictions: number[] }>();
    for (const bench of MODELS) {
      ctx.progress(`ours: ${bench.name}, ${ourPasses} prequential passes + 1 warm-up over ${count} records`);
      prequentialPass(bench, stream); // warm-up (JIT), as a long-running learner is
      const passes = Array.from({ length: ourPasses }, () => prequentialPass(bench, stream));
      const predictions = (passes[passes.length - 1] as { predictions: number[] }).predictions;
      ours.set(bench.name, {
        recordsPerSecond: count / median(passes.map((p) => p.seconds)),
        score: score(bench, stream, predictions),
        predictions,
      });
    }

    const available = pythonHas(['river']);
    let river: RiverResult | undefined;
    if (available.ok) {
      ctx.progress(
        `River: the same ${MODELS.length} models, ${repeats} pass(es) each (the trees take a while)`,
      );
      river = runPythonJson<RiverResult>(RIVER_SCRIPT, {
        records: records.map((r) => ({ x: r.features, label: r.label, y: r.target })),
        repeats,
        maxDepth: MAX_DEPTH,
        models: MODELS.map((m) => m.name),
      });
    }

    for (const bench of MODELS) {
      const mine = ours.get(bench.name);
      if (!mine) continue;
      const scoreName = bench.task === 'classification' ? 'accuracy' : 'mae';
      out.push({
        suite: SUITE,
        case: caseOf(bench),
        impl: 'ours',
        metrics: { recordsPerSecond: Math.round(mine.recordsPerSecond), [scoreName]: mine.score },
        note: `${JSON.stringify(bench.config)}; generator seed ${SEED}; median of ${ourPasses} passes after a warm-up; ${hostLoad()}`,
      });
      const theirs = river?.models[bench.name];
      if (!river || !theirs) {
        out.push({
          suite: SUITE,
          case: caseOf(bench),
          impl: 'River',
          metrics: { recordsPerSecond: null },
          note: `skipped: ${available.ok ? 'River returned no result for this model' : available.reason}`,
        });
        continue;
      }
      const riverRate = count / median(theirs.seconds);
      const riverScore = score(bench, stream, theirs.predictions);
      out.push({
        suite: SUITE,
        case: caseOf(bench),
        impl: `River ${river.version}`,
        metrics: { recordsPerSecond: Math.round(riverRate), [scoreName]: riverScore },
        note: `median of ${repeats} pass(es), no warm-up needed (CPython)`,
      });
      const throughputRatio = mine.recordsPerSecond / riverRate;
      const delta = mine.score - riverScore;
      const bound = bench.task === 'classification' ? 0.01 : 0.01 * targetStd;
      const holds = throughputRatio >= 10 && Math.abs(delta) <= bound;
      out.push({
        suite: SUITE,
        case: caseOf(bench),
        impl: 'ours / River',
        metrics: {
          throughputRatio,
          [`${scoreName}Delta`]: delta,
          ...agreement(bench, mine.predictions, theirs.predictions),
          targetHolds: holds ? 'yes' : 'no',
        },
        note:
          bench.task === 'classification'
            ? 'target: ratio ≥ 10 and |Δaccuracy| ≤ 0.01'
            : `target: ratio ≥ 10 and |ΔMAE| ≤ 1 % of the target's std (${targetStd.toFixed(3)}), i.e. ≤ ${bound.toFixed(4)}`,
      });
    }
    out.push(...mljsRows(ctx, stream, ourPasses));
    return out;
  },
};

/** Ours and mljs's two batch models on the same prefix of the stream, prequentially. */
function mljsRows(ctx: BenchContext, stream: Stream, ourPasses: number): BenchRow[] {
  const prefix = Math.min(ctx.quick ? 1_000 : 2_000, stream.features.length);
  const part: Stream = {
    features: stream.features.slice(0, prefix),
    labels: stream.labels.slice(0, prefix),
    targets: stream.targets.slice(0, prefix),
  };
  const rows = part.features.map((x) => ONLINE_FEATURES.map((name) => x[name] ?? 0));
  const ml = loadMljs();
  const out: BenchRow[] = [];
  const pairs = [
    { ours: 'gaussian-nb', library: 'ml-naivebayes' },
    { ours: 'logistic-regression', library: 'ml-logistic-regression' },
  ] as const;
  for (const pair of pairs) {
    const bench = MODELS.find((m) => m.name === pair.ours);
    if (!bench) continue;
    const caseName = `${bench.name}, first ${prefix} records (vs batch mljs)`;
    ctx.progress(`ours: ${bench.name} over the first ${prefix} records`);
    prequentialPass(bench, part); // warm-up
    const passes = Array.from({ length: ourPasses }, () => prequentialPass(bench, part));
    const ourRate = prefix / median(passes.map((p) => p.seconds));
    const ourPredictions = (passes[passes.length - 1] as { predictions: number[] }).predictions;
    out.push({
      suite: SUITE,
      case: caseName,
      impl: 'ours',
      metrics: { recordsPerSecond: Math.round(ourRate), accuracy: score(bench, part, ourPredictions) },
      note: `the same model as above on the prefix; median of ${ourPasses} passes after a warm-up`,
    });
    if (typeof ml === 'string') {
      out.push({
        suite: SUITE,
        case: caseName,
        impl: 'mljs (batch, refit)',
        metrics: { recordsPerSecond: null },
        note: `skipped: ${ml}`,
      });
      continue;
    }
    const isBayes = pair.ours === 'gaussian-nb';
    ctx.progress(
      isBayes
        ? `${pair.library}: refit after each of ${prefix} records`
        : `${pair.library}: refit every ${MLJS_LR_REFIT_EVERY} of ${prefix} records, ${MLJS_LR_STEPS} steps each`,
    );
    const theirs = isBayes
      ? mljsNaiveBayesPass(ml, rows, part.labels)
      : mljsLogisticPass(ml, rows, part.labels);
    const everyRecordRate = prefix / theirs.everyRecordSeconds;
    const version = isBayes ? ml.naiveBayesVersion : ml.logisticVersion;
    out.push({
      suite: SUITE,
      case: caseName,
      impl: `${pair.library} ${version} (batch, refit)`,
      metrics: {
        recordsPerSecond: Math.round(everyRecordRate * 10) / 10,
        ...(isBayes ? {} : { recordsPerSecondAsRun: Math.round((prefix / theirs.seconds) * 10) / 10 }),
        accuracy: score(bench, part, theirs.predictions),
        noAnswer: theirs.noAnswer,
        failedFits: theirs.failedFits,
      },
      note: isBayes
        ? 'GaussianNB: predict record i with the fit on 0..i-1, then refit on 0..i (measured, every record); ' +
          'predict() gives classes only, no probabilities (none to threshold; ROC-AUC or log loss impossible); ' +
          'noAnswer = records it answered -1, "no class" (both class likelihoods underflowed to 0)'
        : `refit every ${MLJS_LR_REFIT_EVERY} records (accuracy is of that schedule; recordsPerSecondAsRun measured); ` +
          `recordsPerSecond = refit after every record, extrapolated (${MLJS_LR_REFIT_EVERY}× each fit's time); ` +
          `${MLJS_LR_STEPS} full-batch steps per fit, lr ${MLJS_LR_LEARNING_RATE} (default 50,000 steps: ~50× slower still); ` +
          'no intercept or scaling in the library: we add a ones column and standardize by the seen records; ' +
          'P(y=1) read from its internal one-vs-rest classifiers[0].testScores (predict() gives classes only)',
    });
    out.push({
      suite: SUITE,
      case: caseName,
      impl: 'ours / mljs',
      metrics: {
        throughputRatio: Math.round(ourRate / everyRecordRate),
        accuracyDelta: score(bench, part, ourPredictions) - score(bench, part, theirs.predictions),
      },
      note: 'against refit after every record (the only way a batch library learns one record)',
    });
  }
  return out;
}
