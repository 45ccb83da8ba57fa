import { InputError, optionalString } from '../../core/data/input-fields.js';
import { RollbackError } from '../../core/lifecycle/index.js';
import { isVersionId } from '../../core/registry/layout.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems as allSystems } from '../../systems/index.js';
import { createS3Client } from '../platform/clients.js';
import { createLogger } from '../platform/logger.js';
import { parseModelKey } from '../platform/model-key.js';
import { registryFor } from '../platform/registry.js';
import { defineStep, stepHandler } from '../platform/step.js';

const logger = createLogger('rollback');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * Rollback for any system's model: `{pipeline, model?, reason?, to?}` makes the previous
 * champion (or `to`, a former champion) the champion again, recorded in the history.
 */
export function createHandler(systems: readonly SystemDefinition[]) {
  const rollback = defineStep({
    parse: (input) => {
      const to = optionalString(input, 'to');
      if (to !== undefined && !isVersionId(to))
        throw new InputError(`to must be a version id such as 20240301T120000Z-a1b2c3, got "${to}"`);
      return {
        ...parseModelKey(input, systems),
        reason: optionalString(input, 'reason') ?? 'rollback requested',
        ...(to ? { to } : {}),
      };
    },
    async run({ pipeline, model, reason, to }) {
      const registry = registryFor(s3, pipeline, model);
      const before = await registry.champion();
      if (!before) throw new RollbackError(`model "${pipeline}/${model}" has no champion to roll back from`);
      let result: Awaited<ReturnType<typeof registry.rollback>>;
      try {
        result = await registry.rollback({ reason, ...(to ? { to } : {}) });
      } catch (error) {
        throw new RollbackError((error as Error).message);
      }
      if (!result.promoted) throw new RollbackError(`rollback did not happen: ${result.reason}`);
      logger.info('rolled back', {
        pipeline,
        model,
        from: before.version,
        to: result.champion.version,
        reason,
      });
      return { pipeline, model, from: before.version, championVersion: result.champion.version, reason };
    },
  });
  return stepHandler({ steps: { rollback }, errors: { permanent: [InputError, RollbackError] } });
}

export const handler = createHandler(allSystems);
