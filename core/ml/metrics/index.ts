export {
  type AveragingOptions,
  accuracy,
  type ConfusionMatrix,
  confusionMatrix,
  f1Score,
  type Label,
  precision,
  recall,
} from './classification.js';
export { MetricInputError } from './errors.js';
export { type LogLossOptions, logLoss } from './log-loss.js';
export { rocAuc } from './roc-auc.js';
