import { spawnSync } from 'node:child_process';

/** Debian's interpreter: the reference implementations (statsmodels, scikit-learn) come from apt. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Whether Debian's python can import every named module; the reason when it cannot. */
export function pythonHas(modules: string[]): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
    encoding: 'utf8',
  });
  if (probe.error) return { ok: false, reason: `${DEBIAN_PYTHON} not found` };
  if (probe.status !== 0) {
    const packages = modules.map((m) => `python3-${m === 'sklearn' ? 'sklearn' : m}`).join(' ');
    return {
      ok: false,
      reason: `${DEBIAN_PYTHON} lacks ${modules.join(', ')} (apt-get install ${packages})`,
    };
  }
  return { ok: true };
}

/**
 * Runs a python script with JSON on stdin and parses the JSON it prints last on stdout.
 * Single-threaded BLAS so the comparison is one core against one core.
 */
export function runPythonJson<T>(script: string, input: unknown): T {
  const result = spawnSync(DEBIAN_PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (result.status !== 0) throw new Error(`python baseline failed: ${result.stderr || result.error}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}
