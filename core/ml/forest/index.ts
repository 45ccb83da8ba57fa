export { MISSING_BIN } from './binning.js';
export { RandomForestClassifier } from './classifier.js';
export { RandomForestInputError } from './errors.js';
export { loadRandomForest } from './load.js';
export { MODEL_FORMAT, MODEL_VERSION, type RandomForestModelJson } from './model-format.js';
export type { ClassifierOptions, ForestOptions, RegressorOptions, ResolvedParams } from './options.js';
export { RandomForestRegressor } from './regressor.js';
export type { ClassLabel, FeatureMatrix, FeatureRow } from './validate.js';
