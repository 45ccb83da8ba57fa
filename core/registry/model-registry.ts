import { randomBytes } from 'node:crypto';
import { sha256Hex } from './checksum.js';
import { RegistryError } from './errors.js';
import { assertVersionId, isVersionId, newVersionId, type RegistryKeys, registryKeys } from './layout.js';
import { type ObjectStore, PreconditionFailedError } from './object-store.js';
import type {
  ChampionPointer,
  HistoryEntry,
  ModelMetadata,
  ModelVersion,
  PromotionResult,
  RegisterInput,
} from './types.js';

export interface ModelRegistryOptions {
  store: ObjectStore;
  /** The system the models belong to. */
  pipeline: string;
  /** Which of the system's models (a system may hold many, e.g. one per store). */
  model: string;
  /** @default - the system clock */
  now?: () => Date;
  /** Six lowercase hex digits for version ids. @default - crypto random */
  randomHex?: () => string;
}

interface ReadPointer {
  pointer: ChampionPointer;
  etag: string;
}

/** A complete version as stored: the exact bodies, so copies keep the checksum. */
interface StoredVersion {
  model: ModelVersion;
  artifactBody: string;
  metadataBody: string;
}

const JSON_TYPE = 'application/json';
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
/** A stale stable-copy writer re-syncs to the newer pointer; bounded so a busy pipeline cannot loop forever. */
const STABLE_COPY_ATTEMPTS = 5;

/**
 * The model registry of one model key (system and model) over an ObjectStore (S3): versions, a champion pointer
 * changed only by compare-and-swap, a stable copy of the champion, and an append-only history.
 * See docs/model-registry.md for the layout and why each step is safe under concurrency.
 */
export class ModelRegistry {
  readonly pipeline: string;
  readonly model: string;
  private readonly store: ObjectStore;
  private readonly keys: RegistryKeys;
  private readonly now: () => Date;
  private readonly randomHex: () => string;

  constructor(options: ModelRegistryOptions) {
    this.keys = registryKeys(options.pipeline, options.model);
    this.pipeline = options.pipeline;
    this.model = options.model;
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.randomHex = options.randomHex ?? (() => randomBytes(3).toString('hex'));
  }

  /**
   * Stores a new version: the artifact first, then the metadata that names its checksum. Until
   * the metadata exists the version is incomplete, so a crash in between leaves nothing promotable.
   */
  async register(input: RegisterInput): Promise<ModelVersion> {
    const artifactBody = JSON.stringify(input.artifact);
    if (artifactBody === undefined) throw new Error('the artifact must be JSON-serialisable (got undefined)');
    const registeredAt = this.now();
    const version = newVersionId(registeredAt, this.randomHex());
    const metadata: ModelMetadata = {
      pipeline: this.pipeline,
      model: this.model,
      version,
      registeredAt: registeredAt.toISOString(),
      parameters: input.parameters,
      metrics: input.metrics,
      trainedOn: input.trainedOn,
      codeVersion: input.codeVersion,
      ...(input.training ? { training: input.training } : {}),
      artifact: {
        file: 'model.json',
        sha256: sha256Hex(artifactBody),
        bytes: Buffer.byteLength(artifactBody),
      },
    };
    // Create-only: a version, once written, is never replaced.
    await this.store.put(this.keys.artifact(version), artifactBody, {
      contentType: JSON_TYPE,
      ifNoneMatch: '*',
    });
    await this.store.put(this.keys.metadata(version), json(metadata), {
      contentType: JSON_TYPE,
      ifNoneMatch: '*',
    });
    return { version, artifact: input.artifact, metadata };
  }

  /** Complete versions, oldest first (version ids sort by registration time). */
  async listVersions(): Promise<string[]> {
    const keys = await this.store.list(this.keys.versionsPrefix);
    const versions = keys
      .filter((key) => key.endsWith('/metadata.json'))
      .map((key) => key.slice(this.keys.versionsPrefix.length, -'/metadata.json'.length))
      .filter(isVersionId);
    return versions.sort();
  }

  /** A complete version, or undefined when it does not exist or is incomplete. Throws on a checksum mismatch. */
  async getVersion(version: string): Promise<ModelVersion | undefined> {
    assertVersionId(version);
    try {
      return (await this.readComplete(version)).model;
    } catch (error) {
      if (
        error instanceof RegistryError &&
        (error.code === 'UnknownVersion' || error.code === 'IncompleteVersion')
      )
        return undefined;
      throw error;
    }
  }

  /** The pointer: the one authoritative answer to "which version is champion". */
  async champion(): Promise<ChampionPointer | undefined> {
    return (await this.readPointer())?.pointer;
  }

  /** The champion's pointer and files, read through the pointer (what a forecast service should do). */
  async loadChampion(): Promise<{ pointer: ChampionPointer; model: ModelVersion } | undefined> {
    const pointer = await this.champion();
    if (!pointer) return undefined;
    return { pointer, model: (await this.readComplete(pointer.version)).model };
  }

  /** Every champion change, oldest first. */
  async history(): Promise<HistoryEntry[]> {
    const keys = (await this.store.list(this.keys.historyPrefix)).filter((key) => key.endsWith('.json'));
    const entries = await Promise.all(keys.map((key) => this.store.get(key)));
    return entries.flatMap((entry) => (entry ? [JSON.parse(entry.body) as HistoryEntry] : []));
  }

  /**
   * Makes a complete, intact version the champion, unless another promotion changes the pointer
   * between our read and our write: then S3 refuses our write (412) and we report the winner.
   *
   * `expectedChampion` is the champion the decision was made against (null: none). When given,
   * a pointer that moved on since then also means "lost", however far apart the two runs were:
   * a challenger that beat the old champion has not been compared with the new one.
   */
  async promote(
    version: string,
    options: { reason: string; expectedChampion?: string | null },
  ): Promise<PromotionResult> {
    assertVersionId(version);
    await this.readComplete(version);
    const current = await this.readPointer();
    const currentVersion = current?.pointer.version ?? null;
    if (
      options.expectedChampion !== undefined &&
      currentVersion !== options.expectedChampion &&
      currentVersion !== version
    )
      return this.lost(current?.pointer);
    if (current?.pointer.version === version) {
      // Also the path of a retried run whose pointer write succeeded: finish what it left undone.
      await this.follow(current.pointer);
      return { promoted: false, reason: `${version} is already the champion`, champion: current.pointer };
    }
    const replaced = current?.pointer.version ?? null;
    return this.commit(
      {
        version,
        promotedAt: this.nextTime(current),
        reason: options.reason,
        action: 'promote',
        previous: replaced,
        replaced,
      },
      current,
    );
  }

  /**
   * Makes the previous champion (or `to`, a former champion from history) the champion again.
   * The new pointer's `previous` is what preceded that version, so repeated rollbacks walk back.
   */
  async rollback(options: { reason: string; to?: string }): Promise<PromotionResult> {
    const current = await this.readPointer();
    if (!current) throw new RegistryError('NoChampion', `${this.name} has no champion to roll back`);
    const target = options.to ?? current.pointer.previous;
    if (!target)
      throw new RegistryError(
        'NoPreviousChampion',
        `${this.name} has no previous champion to roll back to (champion ${current.pointer.version} has none before it)`,
      );
    assertVersionId(target);
    if (target === current.pointer.version)
      return { promoted: false, reason: `${target} is already the champion`, champion: current.pointer };
    const lastTime = (await this.history()).reverse().find((entry) => entry.version === target);
    if (options.to && !lastTime)
      throw new RegistryError('NoPreviousChampion', `${target} was never champion of ${this.name}`);
    await this.readComplete(target);
    return this.commit(
      {
        version: target,
        promotedAt: this.nextTime(current),
        reason: options.reason,
        action: 'rollback',
        previous: lastTime?.previous ?? null,
        replaced: current.pointer.version,
      },
      current,
    );
  }

  /**
   * Brings the followers of the pointer (its history entry and the stable copy) up to date, e.g.
   * after a crash between the pointer write and the copies. Idempotent.
   */
  async repair(): Promise<ChampionPointer | undefined> {
    const current = await this.readPointer();
    if (current) await this.follow(current.pointer);
    return current?.pointer;
  }

  private async commit(pointer: ChampionPointer, current: ReadPointer | undefined): Promise<PromotionResult> {
    try {
      await this.store.put(this.keys.pointer, json(pointer), {
        contentType: JSON_TYPE,
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' }),
      });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      return this.lost(await this.champion());
    }
    // The pointer is committed; what follows only mirrors it and can be redone by repair().
    await this.follow(pointer);
    return { promoted: true, champion: pointer, replaced: pointer.replaced };
  }

  private lost(winner: ChampionPointer | undefined): PromotionResult {
    return {
      promoted: false,
      reason: `lost a concurrent promotion to ${winner?.version ?? 'another version'}`,
      champion: winner,
    };
  }

  private async follow(pointer: ChampionPointer): Promise<void> {
    const entry: HistoryEntry = { pipeline: this.pipeline, model: this.model, ...pointer };
    try {
      await this.store.put(this.keys.historyEntry(pointer.promotedAt, pointer.version), json(entry), {
        contentType: JSON_TYPE,
        ifNoneMatch: '*',
      });
    } catch (error) {
      // The key derives from the pointer alone, so an existing entry is this very entry (a retry).
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
    await this.syncStableCopy(pointer.version);
  }

  /**
   * Copies the champion's files to the stable path, then re-reads the pointer: a slower writer
   * of an older champion that finishes last sees the newer pointer and copies it instead.
   */
  private async syncStableCopy(version: string): Promise<void> {
    let wanted = version;
    for (let attempt = 0; attempt < STABLE_COPY_ATTEMPTS; attempt++) {
      const stored = await this.readComplete(wanted);
      await this.store.put(this.keys.stableArtifact, stored.artifactBody, { contentType: JSON_TYPE });
      await this.store.put(this.keys.stableMetadata, stored.metadataBody, { contentType: JSON_TYPE });
      const now = (await this.readPointer())?.pointer.version;
      if (now === undefined || now === wanted) return;
      wanted = now;
    }
  }

  private async readPointer(): Promise<ReadPointer | undefined> {
    const stored = await this.store.get(this.keys.pointer);
    return stored ? { pointer: JSON.parse(stored.body) as ChampionPointer, etag: stored.etag } : undefined;
  }

  private async readComplete(version: string): Promise<StoredVersion> {
    const [metadataObject, artifactObject] = await Promise.all([
      this.store.get(this.keys.metadata(version)),
      this.store.get(this.keys.artifact(version)),
    ]);
    if (!metadataObject && !artifactObject)
      throw new RegistryError('UnknownVersion', `${this.name} has no version ${version}`);
    if (!metadataObject || !artifactObject)
      throw new RegistryError(
        'IncompleteVersion',
        `version ${version} of ${this.name} is incomplete: ${metadataObject ? 'model.json' : 'metadata.json'} is missing`,
      );
    const metadata = JSON.parse(metadataObject.body) as ModelMetadata;
    if (metadata.version !== version || typeof metadata.artifact?.sha256 !== 'string')
      throw new RegistryError(
        'IncompleteVersion',
        `metadata.json of version ${version} does not describe it (names version ${String(metadata.version)})`,
      );
    const actual = sha256Hex(artifactObject.body);
    if (actual !== metadata.artifact.sha256)
      throw new RegistryError(
        'ChecksumMismatch',
        `model.json of version ${version} has sha256 ${actual}, but its metadata.json expects ${metadata.artifact.sha256}`,
      );
    return {
      model: { version, artifact: JSON.parse(artifactObject.body) as unknown, metadata },
      artifactBody: artifactObject.body,
      metadataBody: metadataObject.body,
    };
  }

  /** `water/forecast`: how errors name this registry. */
  private get name(): string {
    return `model "${this.pipeline}/${this.model}"`;
  }

  /** Never earlier than the current pointer's time: history keys then sort in change order and never collide. */
  private nextTime(current: ReadPointer | undefined): string {
    const now = this.now().getTime();
    const after = current ? Date.parse(current.pointer.promotedAt) + 1 : now;
    return new Date(Math.max(now, after)).toISOString();
  }
}
