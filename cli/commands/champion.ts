import type { ChampionPointer, ModelMetadata } from '../../core/registry/types.js';
import type { Command } from '../context.js';
import { formatBytes, keyValues, shortTime } from '../format.js';
import { REGISTRY_FLAGS_HELP } from '../registry-target.js';
import { summarizeVersion } from '../version-summary.js';
import { runJsonRegistryCommand } from './with-registry.js';

export const championCommand: Command = {
  name: 'champion',
  summary: 'show the champion pointer and the champion version metadata',
  help: `Usage: smlp champion [--pipeline NAME] [--model NAME] [--json] [registry flags]

Shows which version is champion (the pointer: since when, why, what it replaced, what a
rollback returns to) and that version's metadata (order, metrics, training data, code version).
Exits with 1 when the pipeline has no champion yet.

  --json       {"pointer": …, "metadata": …} instead of the text

${REGISTRY_FLAGS_HELP}

Examples:
  smlp champion --bucket smlp-dev-artifacts
  smlp champion --local --json`,
  run(args, context) {
    return runJsonRegistryCommand(championCommand, args, context, async (registry, target, json) => {
      const loaded = await registry.loadChampion();
      if (!loaded) {
        context.stderr(
          `Model "${target.pipeline}/${target.model}" has no champion yet (bucket ${target.bucket}): train and promote a model first.\n`,
        );
        return 1;
      }
      const { pointer, model } = loaded;
      if (json) context.stdout(`${JSON.stringify({ pointer, metadata: model.metadata }, null, 2)}\n`);
      else
        context.stdout(
          `${describeChampion(`${target.pipeline}/${target.model}`, pointer, model.metadata, model.artifact)}\n`,
        );
      return 0;
    });
  },
};

export function describeChampion(
  pipeline: string,
  pointer: ChampionPointer,
  metadata: ModelMetadata,
  artifact: unknown,
): string {
  const summary = summarizeVersion({ version: pointer.version, metadata, artifact }, pointer.version);
  const metrics = Object.entries(metadata.metrics ?? {})
    .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toPrecision(6)}`)
    .join(', ');
  const training = metadata.training
    ? `${shortTime(metadata.training.startedAt)} → ${shortTime(metadata.training.finishedAt)}`
    : '–';
  return [
    `Champion of model "${pipeline}": ${pointer.version}`,
    '',
    keyValues([
      ['since', `${shortTime(pointer.promotedAt)} (${pointer.action})`],
      ['reason', pointer.reason],
      ['replaced', pointer.replaced ?? '– (first champion)'],
      ['rollback to', pointer.previous ?? '– (none before it)'],
      ['registered', shortTime(metadata.registeredAt)],
      ['order', summary.order ?? '–'],
      ['metrics', metrics || '–'],
      ['training run', training],
      ['trained on', `${metadata.trainedOn?.length ?? 0} raw objects`],
      ['code version', metadata.codeVersion],
      [
        'artifact',
        `${metadata.artifact.file}, ${formatBytes(metadata.artifact.bytes)}, sha256 ${metadata.artifact.sha256}`,
      ],
    ]),
  ].join('\n');
}
