import { RandomForestClassifier } from './classifier.js';
import type { RandomForestModelJson } from './model-format.js';
import { RandomForestRegressor } from './regressor.js';

/** Loads a saved model of either task, e.g. one downloaded from S3. */
export function loadRandomForest(
  json: RandomForestModelJson | string,
): RandomForestClassifier | RandomForestRegressor {
  const parsed = typeof json === 'string' ? (JSON.parse(json) as RandomForestModelJson) : json;
  return parsed.task === 'regression'
    ? RandomForestRegressor.fromJSON(parsed)
    : RandomForestClassifier.fromJSON(parsed);
}
