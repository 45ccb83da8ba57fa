import type { DriftSettings, HoeffdingTreeConfig, SgdLinearConfig } from './types.js';

/**
 * Parsing a model configuration from untrusted JSON, shared by the classifier and regressor
 * factories: each refusal is an Error that names the field, the value and what was expected.
 */

/** A configuration whose object shape, model and field names have been checked. */
export interface ConfigFields<Model extends string> {
  readonly model: Model;
  /** Prefix of every message about this configuration, e.g. `classifier config (gaussian-nb)`. */
  readonly where: string;
  /** The field's value, or the model's default when the configuration leaves it out. */
  field(key: string): unknown;
  /** `{ drift }` when the configuration has drift settings, else `{}`: spread last into the result. */
  readonly withDrift: { readonly drift?: DriftSettings };
}

/**
 * Checks that `value` is an object naming one of the models in `defaults` and only fields that
 * model's default configuration has (or `drift`), and parses its drift settings.
 */
export function configFields<Model extends string>(
  value: unknown,
  kind: 'classifier' | 'regressor',
  defaults: { readonly [M in Model]: object },
): ConfigFields<Model> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${kind} config must be an object, got ${describe(value)}`);
  }
  const raw = value as Record<string, unknown>;
  const model = raw.model;
  const models = Object.keys(defaults);
  if (typeof model !== 'string' || !models.includes(model)) {
    throw new Error(`${kind} config: model must be one of ${models.join(', ')}, got ${describe(model)}`);
  }
  const modelDefaults = defaults[model as Model] as Record<string, unknown>;
  const allowed = new Set([...Object.keys(modelDefaults), 'drift']);
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) {
      throw new Error(
        `${kind} config (${model}): unknown field "${key}"; expected ${[...allowed].join(', ')}`,
      );
    }
  }
  const where = `${kind} config (${model})`;
  const drift = raw.drift === undefined ? undefined : parseDrift(raw.drift, where);
  return {
    model: model as Model,
    where,
    field: (key) => (raw[key] === undefined ? modelDefaults[key] : raw[key]),
    withDrift: drift ? { drift } : {},
  };
}

/** The SGD linear models' fields (logistic and linear regression take the same ones). */
export function sgdLinearFields({ field, where }: ConfigFields<string>): SgdLinearConfig {
  return {
    learningRate: number(field('learningRate'), `${where}: learningRate`, (v) => v > 0, 'a number > 0'),
    l2: number(field('l2'), `${where}: l2`, (v) => v >= 0, 'a number ≥ 0'),
    standardize: boolean(field('standardize'), `${where}: standardize`),
  };
}

/** The Hoeffding trees' fields; only the leaf predictions differ between the two tasks. */
export function hoeffdingTreeFields<Leaf extends string>(
  { field, where }: ConfigFields<string>,
  leafPredictions: readonly Leaf[],
): HoeffdingTreeConfig<Leaf> {
  const leafPrediction = field('leafPrediction');
  if (!(leafPredictions as readonly unknown[]).includes(leafPrediction)) {
    throw new Error(
      `${where}: leafPrediction must be one of ${leafPredictions.join(', ')}, got ${describe(leafPrediction)}`,
    );
  }
  return {
    gracePeriod: number(field('gracePeriod'), `${where}: gracePeriod`, isPositiveInteger, 'an integer ≥ 1'),
    delta: number(field('delta'), `${where}: delta`, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    tau: number(field('tau'), `${where}: tau`, (v) => v >= 0, 'a number ≥ 0'),
    maxDepth: number(field('maxDepth'), `${where}: maxDepth`, isPositiveInteger, 'an integer ≥ 1'),
    leafPrediction: leafPrediction as Leaf,
  };
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

/** A value as an error message shows it. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
