/** How the page writes the sales system's numbers and dates. No DOM. */

/** RMSPE as a percentage with one decimal (0.1234 → "12.3 %"), "–" when unknown. */
export function formatRmspe(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(1)} %`;
}

/** Sales in whole units with thousands separators. */
export function formatSales(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2015-08-03` → "3 Aug 2015" (the same in every locale, so tests and screenshots agree). */
export function formatDay(date: string): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** Hours as people say an age: "5 h", "3 days". */
export function formatAge(hours: number): string {
  if (Math.abs(hours) < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

export const FAMILY_LABELS: Record<string, string> = { sarimax: 'SARIMAX', forest: 'Forest' };

export function formatFamily(family: string | null | undefined): string {
  if (!family) return '–';
  return FAMILY_LABELS[family] ?? family;
}

export { MONTHS };
