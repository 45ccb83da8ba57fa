export { adjustedRandIndex } from './ari.js';
export { type ChooseKOptions, type ChooseKResult, chooseK, type KCandidate } from './choose-k.js';
export { KMeansInputError } from './errors.js';
export { type ClusteringScore, evaluateClustering } from './evaluate.js';
export {
  assignToCentroids,
  fitKMeans,
  KMEANS_DEFAULTS,
  type KMeansInit,
  type KMeansOptions,
  type KMeansResult,
  type KMeansRun,
} from './kmeans.js';
export { type DenseMatrix, type PointsInput, toDenseMatrix, toRows } from './matrix.js';
export {
  type ClusterAssignment,
  KMEANS_MODEL_FORMAT,
  KMEANS_MODEL_VERSION,
  KMeansModel,
  type KMeansModelJson,
  type TrainKMeansOptions,
  type TrainKMeansReport,
  trainKMeansModel,
} from './model.js';
export { fitScaler, inverseTransform, type Scaler, transform } from './scaler.js';
export { DEFAULT_SILHOUETTE_SAMPLE, type SilhouetteOptions, silhouetteScore } from './silhouette.js';
