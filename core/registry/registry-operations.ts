import { sha256Hex } from './checksum.js';
import type { ModelRegistry } from './model-registry.js';
import type { ChampionPointer, ModelVersion, PromotionResult } from './types.js';

/**
 * What the registry commands do, without their printing: the CLI (`smlp-models versions`,
 * `download`, `rollback`) and the local console call the same functions, so both show and
 * change the registry the same way.
 */

/** Versions are read a few at a time: each is two GETs, and a long history should not flood S3. */
const READ_CONCURRENCY = 8;

/** The complete versions among the last `last`, oldest first, with the champion pointer. */
export async function readVersions(
  registry: ModelRegistry,
  last = Number.POSITIVE_INFINITY,
): Promise<{ versions: ModelVersion[]; champion: ChampionPointer | undefined }> {
  const [ids, champion] = await Promise.all([registry.listVersions(), registry.champion()]);
  const wanted = Number.isFinite(last) ? ids.slice(-last) : ids;
  const versions: ModelVersion[] = [];
  for (let i = 0; i < wanted.length; i += READ_CONCURRENCY) {
    const models = await Promise.all(
      wanted.slice(i, i + READ_CONCURRENCY).map((id) => registry.getVersion(id)),
    );
    // Incomplete versions are left out: they cannot be promoted or served.
    for (const model of models) if (model) versions.push(model);
  }
  return { versions, champion };
}

/** A version's artifact file as registered: its bytes, and whether they still match the checksum. */
export interface ArtifactFile {
  model: ModelVersion;
  /** `JSON.stringify(artifact)`: the serialisation the registry stored, so the sha256 matches. */
  body: string;
  intact: boolean;
}

/** The artifact of a version, or of the champion (read through the pointer); undefined when absent. */
export async function readArtifact(
  registry: ModelRegistry,
  which: 'champion' | (string & {}),
): Promise<ArtifactFile | undefined> {
  const model =
    which === 'champion' ? (await registry.loadChampion())?.model : await registry.getVersion(which);
  if (!model) return undefined;
  const body = JSON.stringify(model.artifact);
  return { model, body, intact: sha256Hex(body) === model.metadata.artifact.sha256 };
}

/**
 * Points the champion back at the previous (or a given former) champion. `settled` is true when
 * the state asked for holds: rolled back, or that version already is the champion; a lost race
 * with another promotion is not settled (nothing changed).
 */
export async function rollbackChampion(
  registry: ModelRegistry,
  options: { reason: string; to?: string | undefined },
): Promise<{ result: PromotionResult; settled: boolean }> {
  const result = await registry.rollback({
    reason: options.reason,
    ...(options.to ? { to: options.to } : {}),
  });
  return { result, settled: result.promoted || /already the champion/.test(result.reason) };
}
