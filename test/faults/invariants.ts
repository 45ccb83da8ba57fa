import { getJson, S3ObjectStore } from '../../adapters/s3-object-store.js';
import type { ChallengeResult } from '../../core/lifecycle/challenge.js';
import { decidePromotion } from '../../core/lifecycle/promotion-rule.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { cursorKey } from '../../core/streaming/dataset-keys.js';
import { splitInitialShare } from '../../core/streaming/replay.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import type { LocalRuntime } from '../../local/local-runtime.js';
import type { HourlyBuckets } from '../../systems/water/model/hourly-series.js';

/**
 * What must hold after any fault, read from the buckets with the runtime's own S3 client (never
 * through the fault proxy). Each check returns undefined when it holds, or what it found.
 */
export interface Invariant {
  name: string;
  check(): Promise<string | undefined>;
}

/** How a system's data set was streamed: the same source and split the producer was given. */
export interface StreamedDataset {
  system: SystemDefinition;
  source: Record<string, unknown>;
  initialShare: number;
}

const sample = (items: readonly string[]) =>
  `${items.length} (${items.slice(0, 3).join(', ')}${items.length > 3 ? ', …' : ''})`;

/** The natural keys of the records in the given areas (`raw`, `archive`) of a system, one per record. */
export async function landedKeys(
  runtime: LocalRuntime,
  system: SystemDefinition,
  areas: readonly string[] = ['raw', 'archive'],
): Promise<string[]> {
  const keys: string[] = [];
  for (const area of areas)
    for (const { row } of await readNdjsonUnder(
      runtime.s3,
      runtime.names.dataBucket,
      `${area}/${system.name}/`,
    ))
      keys.push(system.recordSpec.naturalKey(row));
  return keys;
}

/**
 * The rows the producer sent (its stream share up to the cursor) against what is in raw/ and
 * archive/: valid rows never stored (`lost`), keys stored more often than the data set holds them
 * (`twice`), and how many valid and invalid rows were sent.
 */
export async function sentAgainstLanded(
  runtime: LocalRuntime,
  streamed: StreamedDataset,
): Promise<{ sentValid: number; invalid: number; lost: string[]; twice: string[] }> {
  const { system } = streamed;
  const cursor = await getJson<{ offset: number }>(
    runtime.s3,
    runtime.names.dataBucket,
    cursorKey(system.name),
  );
  const { kind: _, ...options } = streamed.source;
  const rows = system.dataset?.generate(system.dataset.parseOptions(options)) ?? [];
  const sent = splitInitialShare(rows, streamed.initialShare).stream.slice(0, cursor?.offset ?? 0);
  const expected = new Map<string, number>();
  let invalid = 0;
  for (const row of sent) {
    const verdict = system.recordSpec.validate(row, Date.now());
    if (!verdict.ok) {
      invalid++;
      continue;
    }
    const key = system.recordSpec.naturalKey(verdict.value);
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  const landed = new Map<string, number>();
  for (const key of await landedKeys(runtime, system)) landed.set(key, (landed.get(key) ?? 0) + 1);
  return {
    sentValid: expected.size,
    invalid,
    lost: [...expected.keys()].filter((key) => !landed.has(key)),
    twice: [...landed].filter(([key, count]) => count > (expected.get(key) ?? 1)).map(([key]) => key),
  };
}

/**
 * Every row the producer sent that is valid is in raw/ or archive/ of its system exactly as often
 * as the data set holds it; every invalid one is in quarantine/ with a reason, once.
 */
export function recordsExactlyOnce(runtime: LocalRuntime, streamed: StreamedDataset): Invariant {
  const { system } = streamed;
  return {
    name: `${system.name}: every sent record in raw/ or archive/ exactly once, or quarantined with its reason`,
    async check() {
      if (!system.dataset) return undefined;
      const { invalid, lost, twice } = await sentAgainstLanded(runtime, streamed);
      const quarantined = new Set<string>();
      let withoutReason = 0;
      for (const { key, row } of await readNdjsonUnder<{ reason?: string; sequenceNumber?: string }>(
        runtime.s3,
        runtime.names.dataBucket,
        `quarantine/${system.name}/`,
      )) {
        if (key.includes('/producer/')) continue;
        if (!row.reason) withoutReason++;
        // A duplicate within one batch is valid data already kept once in raw/.
        if (row.reason?.startsWith('duplicate of the record')) continue;
        quarantined.add(row.sequenceNumber ?? key);
      }
      const problems = [
        lost.length > 0 ? `sent but never ingested: ${sample(lost)}` : '',
        twice.length > 0 ? `ingested more often than sent: ${sample(twice)}` : '',
        quarantined.size < invalid ? `${invalid} invalid rows sent, ${quarantined.size} in quarantine` : '',
        quarantined.size > invalid
          ? `${invalid} invalid rows sent, quarantined ${quarantined.size} times`
          : '',
        withoutReason > 0 ? `${withoutReason} quarantined records without a reason` : '',
      ].filter(Boolean);
      return problems.length > 0 ? problems.join('; ') : undefined;
    },
  };
}

/** A snapshot of a system's training data, as the natural keys of its readings. */
export interface TrainingData {
  name: string;
  read(runtime: LocalRuntime): Promise<{ keys: Set<string>; duplicates: number; oldestKept?: string }>;
}

/** The water series: the readings counted in its hourly buckets (trimmed to a trailing window). */
export const waterSeries: TrainingData = {
  name: 'water hourly series',
  async read(runtime) {
    const buckets = await getJson<HourlyBuckets>(
      runtime.s3,
      runtime.names.dataBucket,
      'datasets/water/hourly-buckets.json',
    );
    const seen = buckets?.seen ?? [];
    const hours = Object.keys(buckets?.hours ?? {}).sort();
    return {
      keys: new Set(seen),
      duplicates: seen.length - new Set(seen).size,
      ...(hours[0] ? { oldestKept: hours[0] } : {}),
    };
  },
};

/** The sensors chunks: one object per day and sensor, one reading per timestamp. */
export const sensorChunks: TrainingData = {
  name: 'sensors chunks',
  async read(runtime) {
    const rows = await readNdjsonUnder<{ sensorId: string; timestamp: string }>(
      runtime.s3,
      runtime.names.dataBucket,
      'chunks/sensors/',
    );
    const keys = rows.map(({ row }) => `${row.sensorId}|${row.timestamp}`);
    return { keys: new Set(keys), duplicates: keys.length - new Set(keys).size };
  },
};

/**
 * The training data never loses a reading it had (except hours a trailing window drops) and
 * never counts one twice. `before` is taken before the fault.
 */
export function trainingDataKept(
  runtime: LocalRuntime,
  data: TrainingData,
  before: () => Set<string>,
): Invariant {
  return {
    name: `${data.name}: no reading it had is lost, none counted twice`,
    async check() {
      const after = await data.read(runtime);
      const hourOf = (key: string) => key.split('|')[1] ?? '';
      const lost = [...before()].filter(
        (key) => !after.keys.has(key) && !(after.oldestKept && hourOf(key) < after.oldestKept),
      );
      const problems = [
        lost.length > 0 ? `readings lost: ${sample(lost)}` : '',
        after.duplicates > 0 ? `${after.duplicates} readings counted twice` : '',
      ].filter(Boolean);
      return problems.length > 0 ? problems.join('; ') : undefined;
    },
  };
}

/**
 * The champion pointer names a complete version (its files all there, checksums right), and
 * every promotion by a run was decided by the rule on a better (or first) challenger, with the
 * decision on record.
 */
export function championSound(runtime: LocalRuntime, pipeline: string, model: string): Invariant {
  return {
    name: `${pipeline}/${model}: champion complete; nothing failed, partial or worse promoted`,
    async check() {
      const registry = new ModelRegistry({
        store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
        pipeline,
        model,
      });
      const problems: string[] = [];
      try {
        const champion = await registry.loadChampion();
        if ((await registry.champion()) && !champion) problems.push('a champion pointer with no version');
      } catch (error) {
        problems.push(`the champion cannot be loaded: ${(error as Error).message}`);
      }
      const decisions = new Map<string, Record<string, unknown>>();
      for (const key of await listKeys(runtime.s3, runtime.names.artifactsBucket, `runs/${pipeline}/`)) {
        if (!key.endsWith('/decision.json')) continue;
        const decision = await getJson<Record<string, unknown>>(
          runtime.s3,
          runtime.names.artifactsBucket,
          key,
        );
        if (decision?.model === model && typeof decision.challengerVersion === 'string')
          decisions.set(decision.challengerVersion, decision);
      }
      for (const entry of await registry.history()) {
        if (entry.action !== 'promote' || entry.reason.startsWith('promoted by hand')) continue;
        const decision = decisions.get(entry.version);
        if (!decision) {
          problems.push(`${entry.version} was promoted without a decision on record`);
          continue;
        }
        if (decision.promoted !== true)
          problems.push(`${entry.version} was promoted, but its decision says: ${String(decision.reason)}`);
        const rule = decidePromotion({
          challenger: decision.challenger as ChallengeResult['challenger'],
          ...(decision.champion
            ? { champion: decision.champion as NonNullable<ChallengeResult['champion']> }
            : {}),
          rule: decision.rule as ChallengeResult['rule'],
        });
        if (!rule.promote)
          problems.push(`${entry.version} was promoted though the rule says: ${rule.reason}`);
      }
      return problems.length > 0 ? problems.join('; ') : undefined;
    },
  };
}
