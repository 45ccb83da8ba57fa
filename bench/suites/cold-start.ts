import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { FunctionDefinition } from '../../lib/config/system-definition.js';
import { systems } from '../../systems/index.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, median, round, withTempDir } from './support/measure.js';

/**
 * Bundle size and module-load time of every Lambda, bundled as the stack bundles it, each load in
 * a fresh `node` process (a cold start loads the module once, so an in-process loop would only
 * measure the module cache). Beside it: an empty node process, and the same handler loaded from
 * the TypeScript sources through tsx.
 */
const SUITE = 'cold-start';

/**
 * What `PipelineFunction` hands esbuild through `NodejsFunction` (lib/constructs/pipeline-function.ts):
 * minify, source map, target node22, CJS, platform node, and no externals: `bundleAwsSDK: true`
 * bundles the pinned SDK the tests ran with instead of leaving `@aws-sdk/*` to the runtime.
 */
const STACK_EXTERNALS: string[] = [];

/** Variables the handlers' module scope may read; values are irrelevant, no request is made. */
function childEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    // The bundle sits in a temp dir and needs nothing from node_modules: the SDK is in it.
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    DATA_BUCKET: 'bench-data',
    ARTIFACTS_BUCKET: 'bench-artifacts',
    STREAM_NAME: 'bench-stream',
    POWERTOOLS_SERVICE_NAME: 'bench',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}

interface Loads {
  /** Wall time of the whole child process, spawn to exit, as the parent sees it. */
  processMs: number[];
  /** From the child's time origin to the first line of the script: Node's own start-up. */
  bootMs: number[];
  /** Around the require/import of the handler module only. */
  loadMs: number[];
}

/** One fresh `node args`; a script that prints `{t0, t1}` also gives boot and load times. */
function spawnOnce(args: string[], loads: Loads, reportsTimes: boolean): void {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    env: childEnvironment(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const processMs = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`exited with ${child.status ?? child.signal}: ${why(child.stderr)}`);
  loads.processMs.push(processMs);
  if (!reportsTimes) return;
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  const { t0, t1 } = JSON.parse(line) as { t0: number; t1: number };
  loads.bootMs.push(t0);
  loads.loadMs.push(t1 - t0);
}

/**
 * One untimed run of each variant (fills the OS file cache and tsx's compile cache, and fails fast
 * when a bundle does not load), then `times` rounds that take the variants in turn, so load from
 * other work on the host falls on all of them alike instead of on whichever ran during it.
 */
function spawnInterleaved(variants: string[][], times: number): Loads[] {
  const results = variants.map((): Loads => ({ processMs: [], bootMs: [], loadMs: [] }));
  for (const args of variants) spawnOnce(args, { processMs: [], bootMs: [], loadMs: [] }, true);
  for (let round = 0; round < times; round++) {
    for (const [i, args] of variants.entries()) spawnOnce(args, results[i] as Loads, true);
  }
  return results;
}

function emptyNode(times: number): Loads {
  const loads: Loads = { processMs: [], bootMs: [], loadMs: [] };
  spawnOnce(['-e', ''], { processMs: [], bootMs: [], loadMs: [] }, false);
  for (let i = 0; i < times; i++) spawnOnce(['-e', ''], loads, false);
  return loads;
}

/** The error line of a child's stderr and the two after it (Node prints the code and input there). */
function why(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const at = lines.findIndex((line) => /^\w*Error\b/.test(line));
  return at < 0 ? (lines.filter(Boolean).at(-1) ?? 'no output') : lines.slice(at, at + 3).join(' ');
}

const REQUIRE_SCRIPT =
  'const t0 = performance.now(); require(process.argv[1]); const t1 = performance.now(); console.log(JSON.stringify({ t0, t1 }));';
const IMPORT_SCRIPT =
  'const t0 = performance.now(); await import(process.argv[1]); const t1 = performance.now(); console.log(JSON.stringify({ t0, t1 }));';

const REQUIRE_EACH_SCRIPT =
  'const t0 = performance.now(); for (const m of JSON.parse(process.argv[1])) require(m); const t1 = performance.now(); console.log(JSON.stringify({ t0, t1 }));';

/** The modules the bundle leaves to the runtime (`require("@aws-sdk/...")` calls left in it). */
function externalImports(metafile: Metafile, output: string): string[] {
  const imports = metafile.outputs[output]?.imports ?? [];
  return [...new Set(imports.filter((i) => i.external).map((i) => i.path))].sort();
}

/** The packages that take the most bytes of the bundle, e.g. `@smithy/core 40 KB`. */
function largestInputs(metafile: Metafile, output: string): string {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = match?.[1] ?? 'project sources';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KB`)
    .join(', ');
}

function loadRow(
  caseName: string,
  impl: string,
  loads: Loads,
  note: string,
  extra: BenchRow['metrics'] = {},
): BenchRow {
  return {
    suite: SUITE,
    case: caseName,
    impl,
    metrics: {
      ...extra,
      loadMs: loads.loadMs.length > 0 ? round(median(loads.loadMs), 1) : null,
      bootMs: loads.bootMs.length > 0 ? round(median(loads.bootMs), 1) : null,
      processMs: round(median(loads.processMs), 1),
    },
    note,
  };
}

async function measureFunction(
  ctx: BenchContext,
  key: string,
  definition: FunctionDefinition,
  dir: string,
  times: number,
  machine: string,
): Promise<BenchRow[]> {
  const entry = path.join(REPO_ROOT, definition.entry);
  const outfile = path.join(dir, key, 'index.js');
  ctx.progress(`${key}: bundling ${definition.entry} with esbuild as the stack does`);
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: true,
    external: STACK_EXTERNALS,
    metafile: true,
    logLevel: 'silent',
  });
  const sizes = {
    bundleKB: round(statSync(outfile).size / 1024, 1),
    gzipKB: round(gzipSync(readFileSync(outfile)).byteLength / 1024, 1),
    sourceMapKB: round(statSync(`${outfile}.map`).size / 1024, 1),
  };
  const output = path.relative(REPO_ROOT, outfile);
  // Warnings matter here: e.g. import.meta is empty in a CJS bundle, which breaks at load, not at build.
  const warnings = result.warnings.map(
    (w) => `esbuild warned: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`,
  );
  const bundled = [
    `esbuild with the SDK bundled (as deployed), minified, target node22, CJS`,
    `largest parts: ${largestInputs(result.metafile, output)}`,
    ...warnings,
  ].join('; ');
  const externals = externalImports(result.metafile, output);
  const runtimeProvided = externals.filter((name) => !name.startsWith('node:'));

  const variants = [
    ['-e', REQUIRE_SCRIPT, outfile],
    ['-e', REQUIRE_EACH_SCRIPT, JSON.stringify(externals)],
    ['--enable-source-maps', '-e', REQUIRE_SCRIPT, outfile],
    ['--import', 'tsx', '--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(entry).href],
  ];
  ctx.progress(
    `${key}: ${times} rounds of fresh processes: bundle, externals only (${runtimeProvided.join(', ')}), bundle with --enable-source-maps, tsx`,
  );
  let loads: Loads[];
  try {
    loads = spawnInterleaved(variants, times);
  } catch (error) {
    // The size is still worth a row; the load failure is the news.
    return [
      {
        suite: SUITE,
        case: key,
        impl: 'ours (bundle)',
        metrics: sizes,
        note: `bundle does not load, ${(error as Error).message}; ${bundled}`,
      },
    ];
  }
  const [plain, externalLoads, withMaps, tsx] = loads as [Loads, Loads, Loads, Loads];
  return [
    loadRow(
      key,
      'ours (bundle)',
      plain,
      `${bundled}; KB = 1024 bytes, bundleKB without the source map, gzipKB ≈ its share of the zip; externals: ${runtimeProvided.length > 0 ? runtimeProvided.join(', ') : 'none but node: built-ins'}; externalsLoadMs requires only the externals (those and node: built-ins), so loadMs − externalsLoadMs is the bundle's own share; ${machine}`,
      { externalsLoadMs: round(median(externalLoads.loadMs), 1), ...sizes },
    ),
    loadRow(
      key,
      'ours (bundle, --enable-source-maps)',
      withMaps,
      `the same bundle with its ${sizes.sourceMapKB} KB source map read at load, as deployed (the stack sets NODE_OPTIONS=--enable-source-maps)`,
      sizes,
    ),
    loadRow(
      key,
      'tsx (unbundled)',
      tsx,
      "node --import tsx: every source file resolved and compiled on its own (tsx caches compiled output between runs, so the median is a warm-cache load); bootMs includes registering tsx's loader",
    ),
  ];
}

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'bundle size and module-load time of each Lambda in a fresh node process, beside empty node and tsx',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const times = ctx.quick ? 3 : 7;
    // Every function the stacks deploy: the platform's and each system's in the list.
    const { functions } = pipelineDefinition(systems);
    const machine =
      `median of ${times} fresh processes after one untimed, Node ${process.version} on this machine (x86-64, 2 cores); ` +
      'Lambda gives CPU in proportion to memory (1,769 MB = 1 vCPU), so a 256–512 MB function on arm64 has 0.15–0.3 vCPU and loads slower';

    return withTempDir('smlp-bench-cold-start-', async (dir) => {
      // No package.json above the bundles may turn .js into ESM; the stack's asset folder has none.
      writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}\n');
      const rows: BenchRow[] = [];

      ctx.progress(`empty node process (node -e ''), ${times} times`);
      rows.push(
        loadRow('(none)', 'empty node', emptyNode(times), `node -e ''; ${machine}; ${hostLoad()} at start`),
      );

      for (const [key, definition] of Object.entries(functions)) {
        try {
          rows.push(...(await measureFunction(ctx, key, definition, dir, times, machine)));
        } catch (error) {
          // Another function may be half-written while the bench runs: say so and measure the rest.
          const reason = (error as Error).message.split('\n').slice(0, 2).join(' ');
          rows.push({
            suite: SUITE,
            case: key,
            impl: 'ours (bundle)',
            metrics: {},
            note: `skipped: ${reason}`,
          });
        }
      }
      return rows;
    });
  },
};
