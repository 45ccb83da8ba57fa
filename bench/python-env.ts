import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config/repo-root.js';
import { findPython313 } from '../local/python.js';

/**
 * The bench's own Python: a virtual environment in .bench/venv (git-ignored) with the reference
 * implementations pinned in bench/requirements.txt, so baselines never depend on what the machine's
 * package manager happens to ship. Built once; rebuilt only when the pins or the interpreter change.
 */
export const BENCH_HOME = path.join(REPO_ROOT, '.bench');
export const BENCH_VENV = path.join(BENCH_HOME, 'venv');
export const BENCH_REQUIREMENTS = path.join(REPO_ROOT, 'bench', 'requirements.txt');
const VENV_PYTHON = path.join(BENCH_VENV, 'bin', 'python');
const MARKER = path.join(BENCH_VENV, '.smlp-installed');
/** The pins are resolved for CPython 3.13 wheels; another minor version could resolve differently. */
const PYTHON_MINOR = '3.13';

/** The requirement lines of a requirements file: comments and blank lines dropped. */
export function requirementLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

/** Requirement lines that do not pin one exact version (`name==1.2.3`, optionally with a marker). */
export function unpinnedRequirements(text: string): string[] {
  const pinned = /^[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!]+(\s*;.*)?$/;
  return requirementLines(text).filter((line) => !pinned.test(line));
}

/** What the environment was built from; any change to the pins or the interpreter reinstalls. */
export function benchFingerprint(requirements: string, pythonVersion: string): string {
  return createHash('sha256').update(`python ${pythonVersion}\n`).update(requirements).digest('hex');
}

/**
 * Makes .bench/venv match bench/requirements.txt and returns its interpreter. Throws with what to do
 * when no Python 3.13 is found, or with pip's last lines when the install fails.
 */
export function ensureBenchPython(say: (line: string) => void = () => undefined): string {
  const requirements = readFileSync(BENCH_REQUIREMENTS, 'utf8');
  const unpinned = unpinnedRequirements(requirements);
  if (unpinned.length > 0) {
    throw new Error(
      `bench/requirements.txt must pin every package with ==; not pinned: ${unpinned.join(', ')}`,
    );
  }
  const base = findPython313('The bench (its statsmodels, scikit-learn and pandas baselines)');
  const version = pythonVersion(base);
  if (!version.startsWith(`${PYTHON_MINOR}.`)) {
    throw new Error(
      `${base} is Python ${version}, but bench/requirements.txt is pinned for Python ${PYTHON_MINOR}: ` +
        `install it (for example \`pyenv install ${PYTHON_MINOR}\`) or set SMLP_PYTHON to a python${PYTHON_MINOR} executable.`,
    );
  }
  const wanted = benchFingerprint(requirements, version);
  if (existsSync(VENV_PYTHON) && readIfExists(MARKER) === wanted) {
    say('bench python: ready (.bench/venv)');
    return VENV_PYTHON;
  }

  const why = existsSync(VENV_PYTHON) ? 'pins or Python changed' : 'first run';
  say(`bench python: installing pinned packages (${why}, ~30 s)…`);
  const started = Date.now();
  // From scratch: a package dropped from the pins must not linger in the old environment.
  rmSync(BENCH_VENV, { recursive: true, force: true });
  mkdirSync(BENCH_HOME, { recursive: true });
  run(base, ['-m', 'venv', BENCH_VENV], `creating .bench/venv with ${base}`);
  run(
    VENV_PYTHON,
    [
      ...['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input'],
      // Wheels only: building scipy or numpy from source would need compilers and take an hour.
      '--only-binary=:all:',
      ...['--requirement', BENCH_REQUIREMENTS],
    ],
    'pip install -r bench/requirements.txt',
  );
  // Catches a pin set that is inconsistent (a dependency pinned outside another's range).
  run(VENV_PYTHON, ['-m', 'pip', 'check', '--disable-pip-version-check'], 'pip check');
  writeFileSync(MARKER, wanted);
  say(`bench python: ready (.bench/venv, Python ${version}, installed in ${secondsSince(started)} s)`);
  return VENV_PYTHON;
}

function pythonVersion(python: string): string {
  const probe = spawnSync(python, ['-c', 'import platform; print(platform.python_version())'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) {
    throw new Error(`could not run ${python}: ${probe.error?.message ?? probe.stderr.trim()}`);
  }
  return probe.stdout.trim();
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    const cause = result.error ? ` ${result.error.message}` : '';
    throw new Error(`${what} failed (exit code ${result.status ?? result.signal}):${cause}\n${output}`);
  }
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function secondsSince(started: number): string {
  return ((Date.now() - started) / 1000).toFixed(0);
}
