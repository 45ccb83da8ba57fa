import { type EmfRecord, emfLine } from '../../core/features/emf.js';

/**
 * CloudWatch metrics the serverless way: an Embedded Metric Format line on stdout, which Lambda
 * ships to CloudWatch Logs and CloudWatch turns into metrics (no PutMetricData calls, no latency).
 */
export function publishMetrics(records: readonly EmfRecord[]): void {
  for (const record of records) process.stdout.write(`${emfLine(record)}\n`);
}
