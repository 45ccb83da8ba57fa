import { InputError } from '../../../core/data/input-fields.js';
import { labelAt } from './labels.js';
import type { MonitoredPeriod } from './monitoring.js';
import type { Row } from './types.js';

/**
 * One scored day as monitoring sees it: the champion's predictions joined by customer to the
 * features it scored (in the model's column order), with each label as far as it is known.
 */
export function monitoredPeriod(options: {
  day: string;
  predictions: readonly Row[];
  features: readonly Row[];
  featureNames: readonly string[];
  churned: ReadonlyMap<string, string>;
  latestDay: string;
}): MonitoredPeriod {
  const byCustomer = new Map<string, Row>();
  for (const row of options.features) byCustomer.set(String(row.customer_id), row);
  const features: number[][] = [];
  const probabilities: number[] = [];
  const decisions: number[] = [];
  const labels: (0 | 1 | null)[] = [];
  for (const prediction of options.predictions) {
    const customerId = String(prediction.customer_id);
    const row = byCustomer.get(customerId);
    if (!row)
      throw new InputError(
        `prediction for ${customerId} on ${options.day} has no feature row: were the features of that day rewritten after scoring?`,
      );
    features.push(
      options.featureNames.map((name) =>
        typeof row[name] === 'number' ? (row[name] as number) : Number.NaN,
      ),
    );
    probabilities.push(Number(prediction.probability));
    decisions.push(Number(prediction.decision));
    labels.push(labelAt(customerId, options.day, options.churned, options.latestDay));
  }
  return { period: options.day, features, probabilities, decisions, labels };
}
