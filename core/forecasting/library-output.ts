/**
 * Parses the summary the `arima` library prints with `verbose: true` (its only way to report the
 * return code, AIC and coefficients). Values carry ~6 significant digits.
 */
export interface PrintedSummary {
  returnCode: number;
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  exog: number[];
  mean: number;
  sigma2: number;
  logLikelihood: number;
  aic: number;
}

const NUMBER = '([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?(?:nan|inf)(?:inity)?)';

function labelled(text: string, label: string): number | undefined {
  const match = new RegExp(`${label}\\s*:\\s*${NUMBER}`, 'i').exec(text);
  return match?.[1] === undefined ? undefined : toNumber(match[1]);
}

function toNumber(token: string): number {
  const lower = token.toLowerCase();
  if (lower.includes('nan')) return Number.NaN;
  if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(token);
}

/** Coefficient rows look like `AR1   0.466724   0.0432352`; the first number is the value. */
function rows(text: string, name: string): number[] {
  const pattern = new RegExp(`^\\s*${name}\\s+${NUMBER}`, 'gim');
  return [...text.matchAll(pattern)].map((m) => toNumber(m[1] ?? 'nan'));
}

export function parseSummary(text: string): PrintedSummary | null {
  const returnCode = labelled(text, 'Return Code');
  if (returnCode === undefined) return null;
  return {
    returnCode,
    ar: rows(text, 'AR\\d+'),
    ma: rows(text, 'MA\\d+'),
    sar: rows(text, 'SAR\\d+'),
    sma: rows(text, 'SMA\\d+'),
    exog: rows(text, 'EXOG'),
    mean: rows(text, 'MEAN')[0] ?? 0,
    sigma2: rows(text, 'SIGMA\\^2')[0] ?? Number.NaN,
    logLikelihood: labelled(text, 'Log Likelihood') ?? Number.NaN,
    aic: labelled(text, 'AIC criterion') ?? Number.NaN,
  };
}
