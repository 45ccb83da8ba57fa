import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { findPython313 } from '../python.js';

/**
 * Installs LocalStack (community, 4.14.0: the last release without a license check) into a
 * project-local virtual environment, with the versions of LocalStack's own lock file and this
 * project's LocalStack plugins (local/localstack/plugins: a Lambda executor that runs functions as
 * local Node.js processes, no Docker; a gateway bound to 127.0.0.1). Also pre-installs kinesis-mock so the first stream does not stall on a download.
 * Skips everything when the environment already matches the pinned files.
 */
export const LOCALSTACK_HOME = path.join(REPO_ROOT, '.localstack');
const REQUIREMENTS = path.join(REPO_ROOT, 'local/localstack/requirements.txt');
const PLUGINS = path.join(REPO_ROOT, 'local/localstack/plugins');

export interface LocalStackInstallation {
  /** The virtual environment's python. */
  python: string;
  /** LocalStack's FILESYSTEM_ROOT: its packages (kinesis-mock) live under usr/, state under tmp/ and var/. */
  filesystemRoot: string;
}

/** Python 3.13: LocalStack 4.14's package installer writes `threading.Lock | None`, which 3.12 rejects. */
export function findPython(): string {
  return findPython313('LocalStack');
}

/** What the environment was built from: the pins and the plugins' sources. */
function fingerprint(): string {
  const hash = createHash('sha256').update(readFileSync(REQUIREMENTS));
  const pluginFiles = [
    'pyproject.toml',
    ...readdirSync(path.join(PLUGINS, 'smlp_localstack')).map((f) => `smlp_localstack/${f}`),
  ]
    .filter((file) => !file.includes('__pycache__'))
    .sort();
  for (const file of pluginFiles) hash.update(file).update(readFileSync(path.join(PLUGINS, file)));
  return hash.digest('hex');
}

function run(command: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (exit code ${result.status ?? result.signal}):\n${output}`);
  }
}

export function installLocalStack(say: (line: string) => void = () => undefined): LocalStackInstallation {
  const venv = path.join(LOCALSTACK_HOME, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const filesystemRoot = path.join(LOCALSTACK_HOME, 'root');
  const marker = path.join(venv, '.smlp-installed');
  const wanted = fingerprint();
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return { python, filesystemRoot };

  const started = Date.now();
  if (!existsSync(python)) {
    const base = findPython();
    say(`  LocalStack: creating a virtual environment in .localstack/venv with ${base}`);
    rmSync(venv, { recursive: true, force: true });
    run(base, ['-m', 'venv', venv], 'creating the virtual environment');
  }
  say('  LocalStack: installing localstack-core 4.14.0 and its pinned dependencies (about a minute, once)');
  const pip = [python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input'];
  run(pip[0] as string, [...pip.slice(1), '--requirement', REQUIREMENTS], 'pip install of LocalStack');
  say("  LocalStack: installing the project's plugins (Lambda executor, loopback gateway)");
  // Built from a copy: pip would leave build/ and *.egg-info in the checkout.
  const buildCopy = path.join(LOCALSTACK_HOME, 'plugins-build');
  rmSync(buildCopy, { recursive: true, force: true });
  mkdirSync(buildCopy, { recursive: true });
  run('cp', ['-R', `${PLUGINS}/.`, buildCopy], 'copying the plugins');
  run(
    pip[0] as string,
    [...pip.slice(1), '--no-deps', '--force-reinstall', buildCopy],
    'pip install of the plugins',
  );
  rmSync(buildCopy, { recursive: true, force: true });
  say('  LocalStack: installing kinesis-mock');
  mkdirSync(filesystemRoot, { recursive: true });
  run(python, ['-m', 'localstack.cli.lpm', 'install', 'kinesis-mock'], 'installing kinesis-mock', {
    ...process.env,
    OVERRIDE_IN_DOCKER: '0',
    FILESYSTEM_ROOT: filesystemRoot,
  });
  writeFileSync(marker, wanted);
  say(`  LocalStack: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { python, filesystemRoot };
}
