import type { FeatureColumn } from '../../../core/features/columns.js';
import type { Row } from './types.js';

/** The predictions table: every scored customer at a snapshot, with what decided it. */
export const PREDICTION_COLUMNS: readonly FeatureColumn[] = [
  { name: 'snapshot', type: 'string', nullable: false, description: 'the day scored (YYYY-MM-DD)' },
  { name: 'customer_id', type: 'string', nullable: false, description: 'the customer' },
  {
    name: 'probability',
    type: 'double',
    nullable: false,
    description: 'calibrated probability of churning within 30 days',
  },
  { name: 'decision', type: 'int', nullable: false, description: '1 = flagged as likely to churn' },
  { name: 'threshold', type: 'double', nullable: false, description: 'the probability from which it flags' },
  { name: 'model_version', type: 'string', nullable: false, description: 'registry version that scored' },
  { name: 'scored_at', type: 'string', nullable: false, description: 'when (ISO 8601 UTC)' },
];

export function predictionRows(options: {
  snapshot: string;
  customerIds: readonly string[];
  probabilities: ArrayLike<number>;
  decisions: ArrayLike<number>;
  threshold: number;
  modelVersion: string;
  scoredAt: string;
}): Row[] {
  return options.customerIds.map((customerId, i) => ({
    snapshot: options.snapshot,
    customer_id: customerId,
    probability: options.probabilities[i] as number,
    decision: options.decisions[i] as number,
    threshold: options.threshold,
    model_version: options.modelVersion,
    scored_at: options.scoredAt,
  }));
}
