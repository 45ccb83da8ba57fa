import { validateArtifact } from '../../core/forecasting/index.js';
import { isVersionId } from '../../core/registry/layout.js';
import { readArtifact } from '../../core/registry/registry-operations.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { writeTextFile } from '../files.js';
import { formatBytes } from '../format.js';
import { REGISTRY_FLAGS, REGISTRY_FLAGS_HELP, resolveRegistryTarget } from '../registry-target.js';
import { printHelp } from './print-help.js';
import { withRegistry } from './with-registry.js';

export const downloadCommand: Command = {
  name: 'download',
  summary: 'write a version (or the champion) to a local model file',
  help: `Usage: smlp download [VERSION|champion] [--out model.json] [--with-metadata] [registry flags]

Writes a model version's artifact to a file, byte for byte as registered (its sha256 equals the
one in the version's metadata). Without VERSION, the champion (read through the pointer).
The file is what \`smlp forecast --model FILE\` reads.

  --out FILE          where to write the artifact (default: model.json)
  --with-metadata     also write the version's metadata.json next to it (model.metadata.json)

${REGISTRY_FLAGS_HELP}

Examples:
  smlp download --bucket smlp-dev-artifacts --out champion.json
  smlp download 20240301T120000Z-a1b2c3 --local --out old.json --with-metadata`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs('download', args, {
      ...HELP_FLAG,
      ...REGISTRY_FLAGS,
      out: { type: 'string', default: 'model.json' },
      'with-metadata': { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, downloadCommand);
    const [which = 'champion'] = positionals('download', rest, 1, 'version');
    if (which !== 'champion' && !isVersionId(which))
      throw new UsageError(
        `"${which}" is neither "champion" nor a version id (e.g. 20240301T120000Z-a1b2c3; \`smlp versions\` lists them)`,
      );
    const target = resolveRegistryTarget(
      values,
      context.env,
      undefined,
      values.local ? context.localEndpoints()?.s3 : undefined,
    );
    return withRegistry(context, target, async (registry) => {
      const file = await readArtifact(registry, which);
      if (!file) {
        context.stderr(
          which === 'champion'
            ? `Model "${target.pipeline}/${target.model}" has no champion yet (bucket ${target.bucket}).\n`
            : `Model "${target.pipeline}/${target.model}" has no complete version ${which} (bucket ${target.bucket}).\n`,
        );
        return 1;
      }
      const { model, body, intact } = file;
      await writeTextFile(values.out, body, '--out');
      const written = [`${values.out} (${formatBytes(Buffer.byteLength(body))})`];
      if (values['with-metadata']) {
        const metadataPath = metadataPathFor(values.out);
        await writeTextFile(metadataPath, `${JSON.stringify(model.metadata, null, 2)}\n`, '--with-metadata');
        written.push(metadataPath);
      }
      context.stdout(
        `Wrote ${written.join(' and ')}: version ${model.version} of model "${target.pipeline}/${target.model}"${which === 'champion' ? ' (the champion)' : ''}, sha256 ${intact ? 'matches' : 'DIFFERS FROM'} the registry's\n`,
      );
      try {
        validateArtifact(model.artifact);
      } catch (error) {
        context.stderr(`Note: the forecast command cannot read this artifact: ${(error as Error).message}\n`);
      }
      return 0;
    });
  },
};

/** `model.json` → `model.metadata.json`; other names get `.metadata.json` appended. */
export function metadataPathFor(out: string): string {
  return out.endsWith('.json') ? `${out.slice(0, -'.json'.length)}.metadata.json` : `${out}.metadata.json`;
}
