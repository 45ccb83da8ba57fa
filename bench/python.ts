import { spawnSync } from 'node:child_process';
import { ensureBenchPython } from './python-env.js';

/** pip names for the modules the suites import, where they differ, for the hint in a skip reason. */
const PACKAGE_OF_MODULE: Record<string, string> = { sklearn: 'scikit-learn' };

/**
 * The bench venv's interpreter, or why there is none. Settled on the first call, so a bench run sets
 * the environment up at most once, and only when a suite that needs Python runs.
 */
let settled: { python: string } | { error: Error } | undefined;

function benchPython(): { python: string } | { error: Error } {
  if (settled) return settled;
  try {
    settled = { python: ensureBenchPython((line) => process.stderr.write(`  … ${line}\n`)) };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    // The whole message once here (pip's last lines are too long for a table note).
    process.stderr.write(`  … bench python: unavailable, Python baselines are skipped:\n${error.message}\n`);
    settled = { error };
  }
  return settled;
}

/** Whether the bench venv can import every named module; the reason when it cannot. */
export function pythonHas(modules: string[]): { ok: true } | { ok: false; reason: string } {
  const env = benchPython();
  if ('error' in env) {
    // A pip failure's first line ends in a colon; its output went to stderr.
    const summary = (env.error.message.split('\n')[0] ?? '').replace(/:$/, ', output on stderr');
    return { ok: false, reason: `.bench/venv could not be set up: ${summary}` };
  }
  const probe = spawnSync(env.python, ['-I', '-c', modules.map((m) => `import ${m}`).join('; ')], {
    encoding: 'utf8',
  });
  if (probe.error) return { ok: false, reason: `${env.python} could not run: ${probe.error.message}` };
  if (probe.status !== 0) {
    const packages = modules.map((m) => PACKAGE_OF_MODULE[m] ?? m).join(', ');
    return {
      ok: false,
      reason: `.bench/venv lacks ${modules.join(', ')} (pin ${packages} in bench/requirements.txt)`,
    };
  }
  return { ok: true };
}

/**
 * Runs a python script in the bench venv with JSON on stdin and parses the JSON it prints last on
 * stdout. Single-threaded BLAS so the comparison is one core against one core; `-I` so PYTHONPATH or
 * user site-packages cannot swap in other versions than the pinned ones.
 */
export function runPythonJson<T>(script: string, input: unknown): T {
  const env = benchPython();
  if ('error' in env) throw new Error(`python baseline failed: ${env.error.message}`);
  const result = spawnSync(env.python, ['-I', '-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...baselineEnvironment(), OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (result.status !== 0) throw new Error(`python baseline failed: ${result.stderr || result.error}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}

/**
 * The environment without OPENBLAS_CORETYPE: some of these machines set it, and it slows numpy
 * (FIELD-NOTES), which would flatter us. Unset for the baselines only, never for tests.
 */
function baselineEnvironment(): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _slowsNumpy, ...rest } = process.env;
  return rest;
}
