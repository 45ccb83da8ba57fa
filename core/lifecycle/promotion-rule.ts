/**
 * The champion/challenger rule every system uses. Both models are scored on the same data by the
 * system's adapter; the rule compares one metric with a margin and may require others not to be
 * worse. It always gives its reason, so a decision can be read without the code.
 */
export type Direction = 'lower' | 'higher';

export interface PromotionRule {
  /** The metric that decides, as the adapter names it (`holdoutMae`, `silhouette`). */
  readonly metric: string;
  /** Whether a lower or a higher value of `metric` is better. */
  readonly better: Direction;
  /**
   * How much better the challenger must be: a share of the champion's value (`relative`, 0.01 is
   * 1%) or in the metric's own units (`absolute`). Negative values allow it to be that much worse.
   */
  readonly margin: { readonly kind: 'relative' | 'absolute'; readonly value: number };
  /**
   * Metrics on which the challenger must also be no worse (for example AIC on the same window);
   * `tolerance` (in the metric's units, default 0) is how much worse it may be.
   */
  readonly notWorse?: readonly {
    readonly metric: string;
    readonly better: Direction;
    readonly tolerance?: number;
  }[];
}

/** One model's score on the evaluation data. A null metric could not be computed for this model. */
export interface ModelScore {
  /** How people recognise the model in a reason: its order, its k. */
  readonly label: string;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Why the score is unusable, when it is (every point in one cluster); such a model never wins. */
  readonly unusable?: string;
  /**
   * Why the model behind the score must not decide a promotion, when it must not: its fit may have
   * stopped at a poorer optimum than another start reaches (a SARIMAX fit whose second start
   * climbed clearly higher). Such a score neither wins nor unseats a champion.
   */
  readonly doubt?: string;
}

/** A model that produced no score: its training or its refit failed. */
export interface FailedScore {
  readonly failed: string;
}

export interface Decision {
  readonly promote: boolean;
  readonly reason: string;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));
/** A hair of slack so a difference of exactly the margin is not lost to rounding. */
const EPSILON = 1e-12;

export function validateRule(rule: PromotionRule): PromotionRule {
  if (!rule.metric) throw new Error('a promotion rule needs the metric it compares');
  if (rule.better !== 'lower' && rule.better !== 'higher')
    throw new Error(`rule.better must be "lower" or "higher", got ${JSON.stringify(rule.better)}`);
  if (!Number.isFinite(rule.margin.value))
    throw new Error(`rule.margin.value must be a finite number, got ${rule.margin.value}`);
  for (const guard of rule.notWorse ?? [])
    if (guard.tolerance !== undefined && !(Number.isFinite(guard.tolerance) && guard.tolerance >= 0))
      throw new Error(
        `rule.notWorse ${guard.metric}: tolerance must be a finite number ≥ 0, got ${guard.tolerance}`,
      );
  return rule;
}

/** How much better `challenger` is than `champion` (positive: better), in the margin's terms. */
function improvement(rule: PromotionRule, challenger: number, champion: number): number {
  const gain = rule.better === 'lower' ? champion - challenger : challenger - champion;
  return rule.margin.kind === 'relative' ? gain / Math.abs(champion) : gain;
}

function describeGain(rule: PromotionRule, gain: number): string {
  if (rule.margin.kind === 'relative')
    return `${gain >= 0 ? 'better' : 'worse'} by ${Math.abs(gain * 100).toFixed(1)}%`;
  return `${gain >= 0 ? 'better' : 'worse'} by ${fmt(Math.abs(gain))}`;
}

function describeMargin(rule: PromotionRule): string {
  const { kind, value } = rule.margin;
  const amount = kind === 'relative' ? `${Math.abs(value * 100).toFixed(1)}%` : fmt(Math.abs(value));
  return value >= 0 ? `required: better by ${amount}` : `allowed: worse by up to ${amount}`;
}

export function decidePromotion(input: {
  challenger: ModelScore | FailedScore;
  /** The champion scored on the same data; absent when there is no champion yet. */
  champion?: ModelScore | FailedScore;
  rule: PromotionRule;
}): Decision {
  const { challenger, champion } = input;
  const rule = validateRule(input.rule);
  if ('failed' in challenger)
    return { promote: false, reason: `challenger training failed (${challenger.failed}); champion kept` };
  const mine = challenger.metrics[rule.metric];
  if (challenger.unusable || mine === null || mine === undefined || !Number.isFinite(mine))
    return {
      promote: false,
      reason: `challenger ${challenger.label} has no usable ${rule.metric} (${challenger.unusable ?? 'not computed'}); champion kept`,
    };
  const challengerText = `challenger ${challenger.label} (${rule.metric} ${fmt(mine)})`;
  // With no champion there is nothing to decide between: the first model is served either way.
  if (!champion)
    return {
      promote: true,
      reason: `no champion yet; ${challengerText} promoted${challenger.doubt ? ` (its fit is in doubt: ${challenger.doubt}; the next challenger is compared with it)` : ''}`,
    };
  if (challenger.doubt)
    return {
      promote: false,
      reason: `${challengerText} may not decide a promotion: its fit is in doubt (${challenger.doubt}); champion kept`,
    };
  if (!('failed' in champion) && champion.doubt)
    return {
      promote: false,
      reason: `champion ${champion.label} refitted on the same data may not decide a promotion: its fit is in doubt (${champion.doubt}); champion kept`,
    };
  if ('failed' in champion)
    return {
      promote: true,
      reason: `champion could not be scored on the same data (${champion.failed}); ${challengerText} promoted`,
    };
  const theirs = champion.metrics[rule.metric];
  if (champion.unusable || theirs === null || theirs === undefined || !Number.isFinite(theirs))
    return {
      promote: true,
      reason: `champion ${champion.label} has no usable ${rule.metric} (${champion.unusable ?? 'not computed'}); ${challengerText} promoted`,
    };
  const gain = improvement(rule, mine, theirs);
  const versus = `${rule.metric} ${fmt(mine)} (${challenger.label}) vs champion ${fmt(theirs)} (${champion.label}) on the same data: ${describeGain(rule, gain)}`;
  if (!(gain >= rule.margin.value - EPSILON))
    return { promote: false, reason: `${versus}, ${describeMargin(rule)}; champion kept` };
  for (const guard of rule.notWorse ?? []) {
    const a = challenger.metrics[guard.metric];
    const b = champion.metrics[guard.metric];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const tolerance = guard.tolerance ?? 0;
    const worse = guard.better === 'lower' ? a > b + tolerance : a < b - tolerance;
    const text = `${guard.metric} ${fmt(a)} vs ${fmt(b)}${tolerance > 0 ? ` (tolerance ${fmt(tolerance)})` : ''}`;
    if (worse) return { promote: false, reason: `${versus}, but ${text} is worse; champion kept` };
  }
  const guards = (rule.notWorse ?? [])
    .map(
      (g) =>
        `${g.metric} ${fmt(challenger.metrics[g.metric] ?? Number.NaN)} vs ${fmt(champion.metrics[g.metric] ?? Number.NaN)}`,
    )
    .join(', ');
  return {
    promote: true,
    reason: `${versus} (${describeMargin(rule)})${guards ? `, ${guards} not worse` : ''}: challenger promoted`,
  };
}
