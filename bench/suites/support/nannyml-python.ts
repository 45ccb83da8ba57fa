import { ensureVenv, NANNYML_VENV } from '../../python-env.js';

/**
 * The interpreter of .bench/nannyml-venv (NannyML, pandas, pyarrow), or why there is none: the
 * first line of the failure (pip's error, a missing Python 3.12), for the row that is skipped.
 * Settled once per bench run, so a failed install is not retried by the next suite.
 */
let settled: { python: string; env: NodeJS.ProcessEnv } | { skipped: string } | undefined;

export function ensureNannymlPython(): { python: string; env: NodeJS.ProcessEnv } | { skipped: string } {
  if (settled) return settled;
  try {
    const python = ensureVenv(NANNYML_VENV, (line) => process.stderr.write(`  … ${line}\n`));
    // OPENBLAS_CORETYPE slows numpy on some of these machines (FIELD-NOTES); one core like ours;
    // NannyML's usage analytics off (offline they retry and print errors, online they phone home).
    const { OPENBLAS_CORETYPE: _slowsNumpy, ...rest } = process.env;
    settled = {
      python,
      env: {
        ...rest,
        NML_DISABLE_USAGE_LOGGING: '1',
        OMP_NUM_THREADS: '1',
        OPENBLAS_NUM_THREADS: '1',
        MKL_NUM_THREADS: '1',
      },
    };
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    process.stderr.write(`  … ${NANNYML_VENV.label}: unavailable:\n${message}\n`);
    const lines = message.split('\n').map((line) => line.trim());
    // pip's own error line says why (no matching distribution, a conflict); else the first line.
    const pipError = lines.find((line) => line.startsWith('ERROR:'));
    settled = { skipped: `${NANNYML_VENV.label} could not be set up: ${pipError ?? lines[0]}` };
  }
  return settled;
}
