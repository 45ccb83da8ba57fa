import { addDays } from '../../../core/data/calendar-days.js';
import type { Row } from './types.js';

export { addDays };

/**
 * Labels are known late: whether a customer active at a snapshot churned within the horizon after
 * it is only settled once the horizon has passed in the data. They are derived again from the
 * customers table whenever they are needed (training, monitoring) rather than frozen into the
 * feature files, which were written before the answer existed.
 */
export const LABEL_HORIZON_DAYS = 30;

/** Each churned customer's churn day, from the customers table's `churn` rows. */
export function churnDays(customers: readonly Row[]): Map<string, string> {
  const days = new Map<string, string>();
  for (const row of customers) {
    if (row.event !== 'churn') continue;
    const id = String(row.customer_id);
    const day = String(row.day);
    const known = days.get(id);
    if (known === undefined || day < known) days.set(id, day);
  }
  return days;
}

/**
 * 1 if the customer churned in (snapshot, snapshot + horizon], 0 if not and the data reach the
 * horizon's end, null while it is still open.
 */
export function labelAt(
  customerId: string,
  snapshot: string,
  churned: ReadonlyMap<string, string>,
  latestDay: string,
  horizonDays = LABEL_HORIZON_DAYS,
): 0 | 1 | null {
  const end = addDays(snapshot, horizonDays);
  const day = churned.get(customerId);
  if (day !== undefined && day > snapshot && day <= end) return 1;
  return end <= latestDay ? 0 : null;
}

/** Whether a snapshot's labels are all settled by `latestDay`. */
export function labelsSettled(
  snapshot: string,
  latestDay: string,
  horizonDays = LABEL_HORIZON_DAYS,
): boolean {
  return addDays(snapshot, horizonDays) <= latestDay;
}
