import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
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

/** One pinned virtual environment of the bench: where it lives, what it pins, which Python builds it. */
export interface BenchVenv {
  /** For messages: `.bench/venv`. */
  readonly label: string;
  readonly dir: string;
  readonly requirements: string;
  /** `3.13`: the pins are resolved for this minor version's wheels. */
  readonly pythonMinor: string;
  /** The base interpreter to build it with; throws with what to install when there is none. */
  readonly findBase: () => string;
}

const MAIN_VENV: BenchVenv = {
  label: '.bench/venv',
  dir: BENCH_VENV,
  requirements: BENCH_REQUIREMENTS,
  pythonMinor: PYTHON_MINOR,
  findBase: () => findPython313('The bench (its statsmodels, scikit-learn and pandas baselines)'),
};

/**
 * NannyML's own environment: nannyml 0.13 needs Python < 3.13, and its pins (pandas, pyarrow,
 * lightgbm, …) would fight the main venv's, so it lives apart in .bench/nannyml-venv.
 */
export const NANNYML_VENV: BenchVenv = {
  label: '.bench/nannyml-venv',
  dir: path.join(BENCH_HOME, 'nannyml-venv'),
  requirements: path.join(REPO_ROOT, 'bench', 'requirements-nannyml.txt'),
  pythonMinor: '3.12',
  findBase: () => findPythonMinor('3.12', 'SMLP_PYTHON312', 'NannyML (the churn-monitoring baseline)'),
};

/**
 * Makes .bench/venv match bench/requirements.txt and returns its interpreter. Throws with what to do
 * when no Python 3.13 is found, or with pip's last lines when the install fails.
 */
export function ensureBenchPython(say: (line: string) => void = () => undefined): string {
  return ensureVenv(MAIN_VENV, say);
}

/** Makes one venv match its pinned requirements file (rebuilt from scratch when they change). */
export function ensureVenv(venv: BenchVenv, say: (line: string) => void = () => undefined): string {
  const requirementsName = path.relative(REPO_ROOT, venv.requirements);
  const venvPython = path.join(venv.dir, 'bin', 'python');
  const marker = path.join(venv.dir, '.smlp-installed');
  const requirements = readFileSync(venv.requirements, 'utf8');
  const unpinned = unpinnedRequirements(requirements);
  if (unpinned.length > 0) {
    throw new Error(`${requirementsName} must pin every package with ==; not pinned: ${unpinned.join(', ')}`);
  }
  const base = venv.findBase();
  const version = pythonVersion(base);
  if (!version.startsWith(`${venv.pythonMinor}.`)) {
    throw new Error(
      `${base} is Python ${version}, but ${requirementsName} is pinned for Python ${venv.pythonMinor}: ` +
        `install it (for example \`pyenv install ${venv.pythonMinor}\`) or set SMLP_PYTHON to a python${venv.pythonMinor} executable.`,
    );
  }
  const wanted = benchFingerprint(requirements, version);
  if (existsSync(venvPython) && readIfExists(marker) === wanted) {
    say(`bench python: ready (${venv.label})`);
    return venvPython;
  }

  const why = existsSync(venvPython) ? 'pins or Python changed' : 'first run';
  say(`bench python: installing pinned packages into ${venv.label} (${why}, ~30 s or more)…`);
  const started = Date.now();
  // From scratch: a package dropped from the pins must not linger in the old environment.
  rmSync(venv.dir, { recursive: true, force: true });
  mkdirSync(BENCH_HOME, { recursive: true });
  run(base, ['-m', 'venv', venv.dir], `creating ${venv.label} with ${base}`);
  run(
    venvPython,
    [
      ...['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input'],
      // Wheels only: building scipy or numpy from source would need compilers and take an hour.
      '--only-binary=:all:',
      ...['--requirement', venv.requirements],
    ],
    `pip install -r ${requirementsName}`,
  );
  // Catches a pin set that is inconsistent (a dependency pinned outside another's range).
  run(venvPython, ['-m', 'pip', 'check', '--disable-pip-version-check'], 'pip check');
  writeFileSync(marker, wanted);
  say(`bench python: ready (${venv.label}, Python ${version}, installed in ${secondsSince(started)} s)`);
  return venvPython;
}

/** An interpreter of one minor version: `envName`, then pyenv's newest patch release, then PATH. */
function findPythonMinor(minor: string, envName: string, neededBy: string): string {
  const root = process.env.PYENV_ROOT ?? path.join(homedir(), '.pyenv');
  const versions = path.join(root, 'versions');
  const pattern = new RegExp(`^${minor.replace('.', '\\.')}\\.\\d+$`);
  const pyenv = existsSync(versions)
    ? readdirSync(versions)
        .filter((version) => pattern.test(version))
        .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]))
        .map((version) => path.join(versions, version, 'bin', `python${minor}`))
    : [];
  const candidates = [
    process.env[envName],
    ...pyenv,
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, `python${minor}`)),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw new Error(
      `${neededBy} needs Python ${minor} and none was found: install it (for example \`pyenv install ${minor}\`) or set ${envName}.`,
    );
  return found;
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
