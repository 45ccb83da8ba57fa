import { appendFileSync } from 'node:fs';
import { type EmfRecord, emfLine } from '../../core/features/emf.js';
import { handlerEnv } from './env.js';

/**
 * CloudWatch metrics the serverless way: an Embedded Metric Format line on stdout, which Lambda
 * ships to CloudWatch Logs and CloudWatch turns into metrics (no PutMetricData calls, no latency).
 * Locally the lines go to the runtime's metrics file instead, so CLI output stays readable.
 */
export function publishMetrics(records: readonly EmfRecord[]): void {
  const text = records.map((record) => `${emfLine(record)}\n`).join('');
  const file = handlerEnv.metricsFile();
  if (file) appendFileSync(file, text);
  else process.stdout.write(text);
}
