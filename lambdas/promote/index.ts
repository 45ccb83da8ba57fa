import { putJson } from '../../adapters/s3-object-store.js';
import { asBag, InputError, stringField } from '../../core/data/input-fields.js';
import { type ChallengeResult, parseChallengeResult, promoteIfBetter } from '../../core/lifecycle/index.js';
import { promotionMetricSets } from '../../core/metrics/platform-metrics.js';
import { RegistryError } from '../../core/registry/errors.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems as allSystems } from '../../systems/index.js';
import { createS3Client } from '../platform/clients.js';
import { handlerEnv } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { publishMetrics } from '../platform/metrics.js';
import { parseModelKey } from '../platform/model-key.js';
import { registryFor } from '../platform/registry.js';
import { defineStep, stepHandler } from '../platform/step.js';

const logger = createLogger('promote');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * The model lifecycle's promotion, for every system:
 * - `decide`: the train step's scores (`$.train.result`, a ChallengeResult) → the rule → promote
 *   or keep, with the reason, recorded as `runs/<pipeline>/<runId>/decision.json`;
 * - `promote`: a given version made champion by hand (`{pipeline, model?, version, reason}`).
 */
export function createHandler(systems: readonly SystemDefinition[]) {
  const decide = defineStep({
    parse: (input) => {
      const challenge: ChallengeResult = parseChallengeResult(asBag(input.train, 'train').result);
      parseModelKey({ pipeline: challenge.pipeline, model: challenge.model }, systems);
      return challenge;
    },
    async run(challenge) {
      const registry = registryFor(s3, challenge.pipeline, challenge.model);
      const outcome = await promoteIfBetter(registry, challenge);
      await putJson(
        s3,
        handlerEnv.artifactsBucket(),
        `runs/${challenge.pipeline}/${challenge.runId}/decision.json`,
        {
          ...outcome,
          challenger: challenge.challenger,
          champion: challenge.champion ?? null,
          rule: challenge.rule,
          decidedAt: new Date().toISOString(),
        },
      );
      logger.info(outcome.promoted ? 'challenger promoted' : 'champion kept', { ...outcome });
      // After the decision is on record: the dashboard's model graphs are a view of decisions
      // already kept in runs/, so a metric that cannot be published must not fail the step.
      try {
        publishMetrics(promotionMetricSets(handlerEnv.metricsNamespace(), challenge, outcome));
      } catch (error) {
        logger.warn('could not publish the promotion metrics', { error: error as Error });
      }
      return outcome;
    },
  });

  const promote = defineStep({
    parse: (input) => {
      const reason = stringField(input, 'reason', '');
      if (!reason) throw new InputError('reason is required: say why this version becomes champion');
      return { ...parseModelKey(input, systems), version: stringField(input, 'version', ''), reason };
    },
    async run({ pipeline, model, version, reason }) {
      const registry = registryFor(s3, pipeline, model);
      // Refuses unknown, incomplete or corrupted versions (RegistryError, not retried).
      const result = await registry.promote(version, { reason: `promoted by hand: ${reason}` });
      logger.info(result.promoted ? 'version promoted by hand' : 'nothing changed', {
        pipeline,
        model,
        version,
      });
      return {
        pipeline,
        model,
        promoted: result.promoted,
        championVersion: result.champion?.version ?? null,
        ...(result.promoted ? { replaced: result.replaced } : { reason: result.reason }),
      };
    },
  });

  return stepHandler({ steps: { decide, promote }, errors: { permanent: [InputError, RegistryError] } });
}

export const handler = createHandler(allSystems);
