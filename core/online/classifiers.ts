import { GaussianNB, type GaussianNBData } from './bayes/gaussian-nb.js';
import { Adwin, type AdwinState } from './drift/adwin.js';
import { LogisticRegression, type LogisticRegressionData } from './linear/logistic-regression.js';
import { predictedClass } from './metrics/classification-metrics.js';
import {
  HoeffdingTreeClassifier,
  type HoeffdingTreeClassifierData,
} from './tree/hoeffding-tree-classifier.js';
import type {
  ClassifierConfig,
  ClassifierState,
  DriftSettings,
  Features,
  OnlineClassifier,
} from './types.js';

/**
 * River's defaults for each model. One departure: River's Hoeffding tree has no depth limit
 * (`max_depth=None`); a configuration is JSON, so the default is a depth of 50, which a tree that
 * waits 200 records per split attempt does not reach in practice.
 */
export const defaultClassifierConfigs = {
  'logistic-regression': { model: 'logistic-regression', learningRate: 0.01, l2: 0, standardize: true },
  'gaussian-nb': { model: 'gaussian-nb' },
  'hoeffding-tree': {
    model: 'hoeffding-tree',
    gracePeriod: 200,
    delta: 1e-7,
    tau: 0.05,
    maxDepth: 50,
    leafPrediction: 'nba',
  },
} as const satisfies { [M in ClassifierConfig['model']]: Extract<ClassifierConfig, { model: M }> };

/** What every model here does, apart from drift and bookkeeping. */
interface ClassifierModel {
  predictProbability(x: Features): number;
  learn(x: Features, y: 0 | 1): void;
  importance(): Record<string, number>;
  data(): unknown;
}

export function createClassifier(config: ClassifierConfig): OnlineClassifier {
  const parsed = parseClassifierConfig(config);
  return new DriftingClassifier(parsed, newModel(parsed), 0, parsed.drift ? newDrift(parsed.drift) : null);
}

/** The model `state` describes, predicting and learning exactly as the one that wrote it. */
export function restoreClassifier(state: ClassifierState): OnlineClassifier {
  if (typeof state !== 'object' || state === null) throw new Error('classifier state must be an object');
  const config = parseClassifierConfig(state.config);
  if (!Number.isInteger(state.learned) || state.learned < 0) {
    throw new Error(`classifier state: learned must be a count, got ${String(state.learned)}`);
  }
  let drift: DriftTracker | null = null;
  if (config.drift) {
    if (!state.drift)
      throw new Error('classifier state: the configuration has drift settings but no detector');
    drift = {
      detector: Adwin.restore(state.drift.detector as AdwinState),
      resets: state.drift.resets,
      lastResetAt: state.drift.lastResetAt,
    };
  }
  return new DriftingClassifier(config, newModel(config, state.data), state.learned, drift);
}

interface DriftTracker {
  detector: Adwin;
  resets: number;
  lastResetAt: number | undefined;
}

function newDrift(settings: DriftSettings): DriftTracker {
  return { detector: new Adwin(settings.delta), resets: 0, lastResetAt: undefined };
}

function newModel(config: ClassifierConfig, data?: unknown): ClassifierModel {
  switch (config.model) {
    case 'logistic-regression':
      return new LogisticRegression(config, data as LogisticRegressionData | undefined);
    case 'gaussian-nb':
      return new GaussianNB(data as GaussianNBData | undefined);
    case 'hoeffding-tree':
      return new HoeffdingTreeClassifier(config, data as HoeffdingTreeClassifierData | undefined);
  }
}

/**
 * A model plus, when configured, ADWIN on its own 0/1 errors: each record is first predicted,
 * the error goes to ADWIN, and a detected rise of the error replaces the model with a fresh one of
 * the same configuration before the record is learned, so the new model starts from the new
 * concept (River's `DriftRetrainingClassifier` without a background model).
 * `learned` counts the records the current model has learned; `lastResetAt` is the value
 * `learned` had when the last reset happened (how long the replaced model had lived).
 */
class DriftingClassifier implements OnlineClassifier {
  readonly task = 'classification';

  constructor(
    private readonly config: ClassifierConfig,
    private model: ClassifierModel,
    private learned: number,
    private readonly drift: DriftTracker | null,
  ) {}

  predictProbability(x: Features): number {
    return this.model.predictProbability(x);
  }

  learn(x: Features, y: 0 | 1): void {
    if (y !== 0 && y !== 1) throw new Error(`class must be 0 or 1, got ${String(y)}`);
    if (this.drift) {
      const error = predictedClass(this.model.predictProbability(x)) === y ? 0 : 1;
      const before = this.drift.detector.estimation;
      // Only a change for the worse replaces the model: a model that is still learning (a fresh
      // one above all) makes its error fall, which ADWIN reports as a change too, and resetting on
      // that would restart the learning that caused it, over and over.
      if (this.drift.detector.update(error) && this.drift.detector.estimation > before) {
        this.drift.resets += 1;
        this.drift.lastResetAt = this.learned;
        this.model = newModel(this.config);
        this.learned = 0;
      }
    }
    this.model.learn(x, y);
    this.learned += 1;
  }

  state(): ClassifierState {
    return {
      config: this.config,
      learned: this.learned,
      ...(this.drift
        ? {
            drift: {
              detector: this.drift.detector.state(),
              resets: this.drift.resets,
              ...(this.drift.lastResetAt === undefined ? {} : { lastResetAt: this.drift.lastResetAt }),
            },
          }
        : {}),
      data: this.model.data(),
    };
  }

  importance(): Record<string, number> {
    return this.model.importance();
  }
}

const LEAF_PREDICTIONS = ['mc', 'nb', 'nba'] as const;
const MODELS = Object.keys(defaultClassifierConfigs) as ClassifierConfig['model'][];

/**
 * A classifier configuration from untrusted JSON: fields left out take River's defaults (see
 * `defaultClassifierConfigs`); unknown models, unknown fields and out-of-range values are refused
 * with an Error that names the field, the value and what was expected.
 */
export function parseClassifierConfig(value: unknown): ClassifierConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`classifier config must be an object, got ${describe(value)}`);
  }
  const raw = value as Record<string, unknown>;
  const model = raw.model;
  if (typeof model !== 'string' || !(MODELS as string[]).includes(model)) {
    throw new Error(`classifier config: model must be one of ${MODELS.join(', ')}, got ${describe(model)}`);
  }
  const defaults = defaultClassifierConfigs[model as ClassifierConfig['model']];
  const allowed = new Set([...Object.keys(defaults), 'drift']);
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) {
      throw new Error(
        `classifier config (${model}): unknown field "${key}"; expected ${[...allowed].join(', ')}`,
      );
    }
  }
  const field = (key: string): unknown =>
    raw[key] === undefined ? (defaults as Record<string, unknown>)[key] : raw[key];
  const where = `classifier config (${model})`;
  const drift = raw.drift === undefined ? undefined : parseDrift(raw.drift, where);
  const withDrift = drift ? { drift } : {};
  switch (model) {
    case 'logistic-regression':
      return {
        model,
        learningRate: number(field('learningRate'), `${where}: learningRate`, (v) => v > 0, 'a number > 0'),
        l2: number(field('l2'), `${where}: l2`, (v) => v >= 0, 'a number ≥ 0'),
        standardize: boolean(field('standardize'), `${where}: standardize`),
        ...withDrift,
      };
    case 'gaussian-nb':
      return { model, ...withDrift };
    default: {
      const leafPrediction = field('leafPrediction');
      if (!(LEAF_PREDICTIONS as readonly unknown[]).includes(leafPrediction)) {
        throw new Error(
          `${where}: leafPrediction must be one of ${LEAF_PREDICTIONS.join(', ')}, got ${describe(leafPrediction)}`,
        );
      }
      return {
        model: 'hoeffding-tree',
        gracePeriod: number(
          field('gracePeriod'),
          `${where}: gracePeriod`,
          isPositiveInteger,
          'an integer ≥ 1',
        ),
        delta: number(field('delta'), `${where}: delta`, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
        tau: number(field('tau'), `${where}: tau`, (v) => v >= 0, 'a number ≥ 0'),
        maxDepth: number(field('maxDepth'), `${where}: maxDepth`, isPositiveInteger, 'an integer ≥ 1'),
        leafPrediction: leafPrediction as (typeof LEAF_PREDICTIONS)[number],
        ...withDrift,
      };
    }
  }
}

function parseDrift(value: unknown, where: string): DriftSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `${where}: drift must be an object like {"detector":"adwin","delta":0.002}, got ${describe(value)}`,
    );
  }
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key !== 'detector' && key !== 'delta') {
      throw new Error(`${where}: drift has unknown field "${key}"; expected detector, delta`);
    }
  }
  if (raw.detector !== 'adwin') {
    throw new Error(`${where}: drift.detector must be "adwin", got ${describe(raw.detector)}`);
  }
  const delta = number(
    raw.delta ?? 0.002,
    `${where}: drift.delta`,
    (v) => v > 0 && v < 1,
    'a number in (0, 1)',
  );
  return { detector: 'adwin', delta };
}

function number(value: unknown, what: string, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`${what} must be ${expected}, got ${describe(value)}`);
  }
  return value;
}

function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${what} must be true or false, got ${describe(value)}`);
  return value;
}

function isPositiveInteger(v: number): boolean {
  return Number.isInteger(v) && v >= 1;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
