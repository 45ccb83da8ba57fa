import { asBag, InputError, optionalString, stringField } from '../../core/data/input-fields.js';
import { type CandidateScore, decidePromotion } from '../../core/decisions/promotion-rule.js';
import { parseForecastSettings } from '../../core/water/forecast-settings.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import { registryFor } from '../commons/registry.js';
import { putJson } from '../commons/s3-objects.js';
import type { TrainResult } from '../train/index.js';

const logger = createLogger('promote');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** Rolling back is impossible (no previous champion): not retried, a clear failure. */
export class RollbackError extends Error {
  override readonly name = 'RollbackError';
}

export interface DecisionResult {
  runId: string;
  promoted: boolean;
  reason: string;
  /** The champion after this step. */
  championVersion: string | null;
  challengerVersion: string;
}

/** Applies the promotion rule to the train step's scores; promotes through the registry's pointer swap. */
async function decide(input: Record<string, unknown>): Promise<DecisionResult> {
  const pipeline = stringField(input, 'pipeline', 'water', /^water$/);
  const train = asBag(asBag(input.train, 'train').result, 'train result') as unknown as TrainResult;
  if (!train.challenger?.version) throw new InputError('decide needs the train step result ($.train.result)');
  const settings = parseForecastSettings(input);
  const registry = registryFor(s3, pipeline);
  const decision = decidePromotion({
    challenger: train.challenger as CandidateScore,
    ...(train.champion ? { champion: train.champion as CandidateScore | { failed: string } } : {}),
    rule: settings.rule,
  });
  let promoted = false;
  let reason = decision.reason;
  if (decision.promote) {
    // Only over the champion it was compared with: a champion promoted meanwhile by another run
    // was never judged against this challenger.
    const result = await registry.promote(train.challenger.version, {
      reason: decision.reason,
      expectedChampion: train.champion?.version ?? null,
    });
    promoted = result.promoted;
    // Another retrain may have won the pointer in the meantime: that is an outcome, not an error.
    if (!result.promoted) reason = `${decision.reason}; not promoted: ${result.reason}`;
  }
  const champion = await registry.champion();
  const result: DecisionResult = {
    runId: train.runId,
    promoted,
    reason,
    championVersion: champion?.version ?? null,
    challengerVersion: train.challenger.version,
  };
  await putJson(s3, handlerEnv.artifactsBucket(), `runs/${pipeline}/${train.runId}/decision.json`, {
    ...result,
    challenger: train.challenger,
    champion: train.champion ?? null,
    rule: settings.rule,
    decidedAt: new Date().toISOString(),
  });
  logger.info(promoted ? 'challenger promoted' : 'champion kept', { ...result });
  return result;
}

async function rollback(input: Record<string, unknown>) {
  const pipeline = stringField(input, 'pipeline', 'water', /^water$/);
  const reason = optionalString(input, 'reason') ?? 'rollback requested';
  const to = optionalString(input, 'to');
  const registry = registryFor(s3, pipeline);
  const before = await registry.champion();
  if (!before) throw new RollbackError(`pipeline "${pipeline}" has no champion to roll back from`);
  let result: Awaited<ReturnType<typeof registry.rollback>>;
  try {
    result = await registry.rollback({ reason, ...(to ? { to } : {}) });
  } catch (error) {
    throw new RollbackError((error as Error).message);
  }
  if (!result.promoted) throw new RollbackError(`rollback did not happen: ${result.reason}`);
  logger.info('rolled back', { from: before.version, to: result.champion.version, reason });
  return { pipeline, from: before.version, championVersion: result.champion.version, reason };
}

export async function handler(event: unknown) {
  const outer = asBag(event, 'promote input');
  const action = stringField(outer, 'action', '');
  const input = asBag(outer.input, 'promote input');
  if (action === 'decide') return decide(input);
  if (action === 'rollback') return rollback(input);
  throw new InputError(`action must be "decide" or "rollback", got ${JSON.stringify(action)}`);
}
