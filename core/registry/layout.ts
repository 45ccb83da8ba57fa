/**
 * S3 layout of the model registry (in the artifacts bucket), one tree per model key: the system
 * (`pipeline`) and the model within it, so a system can hold many models (one per store):
 *
 *   models/<pipeline>/<model>/versions/<version>/model.json      the artifact, written first
 *   models/<pipeline>/<model>/versions/<version>/metadata.json   written last: its presence makes the version complete
 *   models/<pipeline>/<model>/champion.json                      the pointer: which version is champion (authoritative)
 *   models/<pipeline>/<model>/champion/model.json                stable copy of the champion's files, follows the pointer
 *   models/<pipeline>/<model>/champion/metadata.json
 *   models/<pipeline>/<model>/history/<time>-<version>.json      one create-only entry per champion change
 *
 * Version ids start with their UTC registration time, so key order is time order.
 */
export const MODELS_ROOT = 'models';

const REGISTRY_NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const VERSION = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** Letters, digits, "-" and "_": what a system or model name may be in registry keys. */
export function isRegistryName(name: string): boolean {
  return REGISTRY_NAME.test(name);
}

export function assertPipelineName(pipeline: string): void {
  if (!isRegistryName(pipeline))
    throw new Error(`pipeline "${pipeline}" is not a valid registry name (letters, digits, "-" and "_")`);
}

export function assertModelName(model: string): void {
  if (!isRegistryName(model))
    throw new Error(`model "${model}" is not a valid registry name (letters, digits, "-" and "_")`);
}

export function isVersionId(version: string): boolean {
  return VERSION.test(version);
}

export function assertVersionId(version: string): void {
  if (!isVersionId(version))
    throw new Error(`"${version}" is not a model version id (expected e.g. 20240301T120000Z-a1b2c3)`);
}

/** `20240301T120000Z-a1b2c3`: sorts by time; the random part keeps two same-second versions apart. */
export function newVersionId(at: Date, randomHex: string): string {
  if (!/^[0-9a-f]{6}$/.test(randomHex))
    throw new Error(`expected 6 lowercase hex digits, got "${randomHex}"`);
  return `${compactTime(at).slice(0, 15)}Z-${randomHex}`;
}

/** `20240301T120000.123Z`: ISO-8601 basic format, millisecond precision, sorts as text. */
export function compactTime(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

export function registryKeys(pipeline: string, model: string) {
  assertPipelineName(pipeline);
  assertModelName(model);
  const root = `${MODELS_ROOT}/${pipeline}/${model}`;
  return {
    root,
    versionsPrefix: `${root}/versions/`,
    artifact: (version: string) => `${root}/versions/${version}/model.json`,
    metadata: (version: string) => `${root}/versions/${version}/metadata.json`,
    pointer: `${root}/champion.json`,
    stableArtifact: `${root}/champion/model.json`,
    stableMetadata: `${root}/champion/metadata.json`,
    historyPrefix: `${root}/history/`,
    historyEntry: (promotedAt: string, version: string) =>
      `${root}/history/${compactTime(new Date(promotedAt))}-${version}.json`,
  };
}

export type RegistryKeys = ReturnType<typeof registryKeys>;
