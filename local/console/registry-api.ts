import { describeRollback } from '../../cli/commands/rollback.js';
import { RegistryError } from '../../core/registry/errors.js';
import { isVersionId } from '../../core/registry/layout.js';
import { readArtifact, readVersions, rollbackChampion } from '../../core/registry/registry-operations.js';
import type { ModelVersion } from '../../core/registry/types.js';
import type { ModelView, RollbackView, VersionView } from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import { registryOf } from './lookup.js';
import { HttpError, type Route } from './route.js';

const MODEL_PATH = '/api/systems/:system/models/:model';

/**
 * One model's registry: versions with metrics, the champion, the history; rollback with a
 * reason; any version's artifact as a file. The same registry functions the CLI's `versions`,
 * `history`, `rollback` and `download` commands call.
 */
export function registryRoutes(sources: ConsoleSources): Route[] {
  return [
    {
      method: 'GET',
      path: MODEL_PATH,
      async handle({ params }) {
        const registry = registryOf(sources, params.system, params.model);
        const [{ versions, champion }, history] = await Promise.all([
          readVersions(registry),
          registry.history(),
        ]);
        const view: ModelView = {
          system: registry.pipeline,
          model: registry.model,
          champion: champion ?? null,
          versions: versions
            .map((model) =>
              versionView(model, champion?.version, modelPath(registry.pipeline, registry.model)),
            )
            .reverse(),
          history: history.reverse(),
        };
        return { json: view };
      },
    },
    {
      method: 'POST',
      path: `${MODEL_PATH}/rollback`,
      async handle({ params, body }) {
        const registry = registryOf(sources, params.system, params.model);
        const { reason, to } = (body ?? {}) as { reason?: unknown; to?: unknown };
        if (typeof reason !== 'string' || reason.trim() === '')
          throw new HttpError(400, 'a reason is required: say why the champion goes back');
        if (to !== undefined && (typeof to !== 'string' || !isVersionId(to)))
          throw new HttpError(
            400,
            `"to" must be a version id such as 20240301T120000Z-a1b2c3, got ${JSON.stringify(to)}`,
          );
        try {
          const { result, settled } = await rollbackChampion(registry, { reason: reason.trim(), to });
          const view: RollbackView = {
            result,
            settled,
            message: describeRollback(`${registry.pipeline}/${registry.model}`, result),
          };
          // A lost race changed nothing: the page says so and shows the winner.
          return { status: settled ? 200 : 409, json: view };
        } catch (error) {
          if (error instanceof RegistryError) throw new HttpError(409, error.message);
          throw error;
        }
      },
    },
    {
      method: 'GET',
      path: `${MODEL_PATH}/versions/:version/download`,
      async handle({ params }) {
        const registry = registryOf(sources, params.system, params.model);
        const which = params.version ?? '';
        if (which !== 'champion' && !isVersionId(which))
          throw new HttpError(400, `"${which}" is neither "champion" nor a version id`);
        const file = await readArtifact(registry, which);
        if (!file)
          throw new HttpError(
            404,
            which === 'champion'
              ? `model "${registry.pipeline}/${registry.model}" has no champion yet`
              : `model "${registry.pipeline}/${registry.model}" has no complete version ${which}`,
          );
        return {
          file: {
            body: file.body,
            contentType: 'application/json',
            downloadAs: `${registry.pipeline}-${registry.model}-${file.model.version}.json`,
          },
        };
      },
    },
  ];
}

/** The model's URL path, as the routes above match it. */
function modelPath(system: string, model: string): string {
  return `/api/systems/${encodeURIComponent(system)}/models/${encodeURIComponent(model)}`;
}

function versionView(model: ModelVersion, championVersion: string | undefined, path: string): VersionView {
  const { metadata } = model;
  return {
    version: model.version,
    registeredAt: metadata.registeredAt,
    champion: model.version === championVersion,
    metrics: metadata.metrics ?? {},
    parameters: metadata.parameters ?? {},
    codeVersion: metadata.codeVersion,
    trainedOnObjects: metadata.trainedOn?.length ?? 0,
    artifact: { bytes: metadata.artifact.bytes, sha256: metadata.artifact.sha256 },
    downloadUrl: `${path}/versions/${model.version}/download`,
  };
}
