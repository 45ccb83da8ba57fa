import { asBag, InputError, stringField } from '../data/input-fields.js';
import type { ChallengeResult } from './challenge.js';
import { type PromotionRule, validateRule } from './promotion-rule.js';

/**
 * Reads the train step's result as the promote step receives it (`$.train.result`): every
 * field the decision depends on is checked, so a wiring mistake in an ASL file fails with a
 * reason instead of promoting on missing numbers.
 */
export function parseChallengeResult(value: unknown, what = 'train result'): ChallengeResult {
  const bag = asBag(value, what);
  if (Object.keys(bag).length === 0) throw new InputError(`${what} is missing`);
  const challenger = asBag(bag.challenger, `${what}.challenger`);
  const version = stringField(challenger, 'version', '');
  if (!version) throw new InputError(`${what}.challenger.version is missing`);
  const championBag =
    bag.champion === undefined || bag.champion === null ? undefined : asBag(bag.champion, `${what}.champion`);
  return {
    pipeline: stringField(bag, 'pipeline', ''),
    model: stringField(bag, 'model', ''),
    runId: stringField(bag, 'runId', ''),
    challenger: { version, ...parseScore(challenger, `${what}.challenger`) },
    ...(championBag
      ? {
          champion:
            typeof championBag.failed === 'string'
              ? { version: stringField(championBag, 'version', ''), failed: championBag.failed }
              : {
                  version: stringField(championBag, 'version', ''),
                  ...parseScore(championBag, `${what}.champion`),
                },
        }
      : {}),
    rule: parseRule(bag.rule, `${what}.rule`),
  };
}

function parseScore(bag: Record<string, unknown>, what: string) {
  const metrics = asBag(bag.metrics, `${what}.metrics`);
  for (const [name, value] of Object.entries(metrics))
    if (value !== null && typeof value !== 'number')
      throw new InputError(`${what}.metrics.${name} must be a number or null, got ${JSON.stringify(value)}`);
  return {
    label: stringField(bag, 'label', ''),
    metrics: metrics as Record<string, number | null>,
    ...(typeof bag.unusable === 'string' ? { unusable: bag.unusable } : {}),
    ...(typeof bag.doubt === 'string' ? { doubt: bag.doubt } : {}),
  };
}

function parseRule(value: unknown, what: string): PromotionRule {
  const bag = asBag(value, what);
  const margin = asBag(bag.margin, `${what}.margin`);
  try {
    return validateRule({
      metric: stringField(bag, 'metric', ''),
      better: bag.better as PromotionRule['better'],
      margin: { kind: margin.kind === 'absolute' ? 'absolute' : 'relative', value: Number(margin.value) },
      ...(Array.isArray(bag.notWorse) ? { notWorse: bag.notWorse as PromotionRule['notWorse'] } : {}),
    });
  } catch (error) {
    throw new InputError(`${what}: ${(error as Error).message}`);
  }
}
