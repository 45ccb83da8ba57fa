import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { systems } from '../../systems/index.js';

/**
 * DuckDB is a native binding of about 70 MB for `smlp query` alone: a handler that reached it
 * (through an import of cli/) would put it in a Lambda bundle. The import graph of every
 * handler, project sources only (packages are left external, which keeps this fast).
 */
describe('@duckdb/node-api stays out of the Lambda bundles', () => {
  it('no handler imports it, nor anything under cli/', async () => {
    // Prepare
    const entries = [...new Set(Object.values(pipelineDefinition(systems).functions).map((f) => f.entry))];

    // Act
    const { metafile } = await build({
      entryPoints: entries,
      absWorkingDir: REPO_ROOT,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      metafile: true,
      write: false,
      outdir: 'unused',
      logLevel: 'silent',
    });
    const sources = Object.keys(metafile.inputs);
    const packages = Object.values(metafile.inputs).flatMap((input) =>
      input.imports.filter((imported) => imported.external).map((imported) => imported.path),
    );

    // Assess
    expect(entries.length).toBeGreaterThan(10);
    expect(sources.filter((source) => source.startsWith('cli/'))).toEqual([]);
    expect(packages.filter((name) => name.startsWith('@duckdb/'))).toEqual([]);
  });
});
