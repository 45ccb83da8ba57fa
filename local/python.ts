import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Finds a Python 3.13 executable for a project-local virtual environment: SMLP_PYTHON first (an
 * explicit choice wins), then the newest pyenv 3.13.x, then python3.13 on PATH. Shared by the
 * LocalStack installer and the bench; `neededBy` names the caller in the error.
 */
export function findPython313(neededBy: string): string {
  const candidates = [
    process.env.SMLP_PYTHON,
    ...pyenvPythons(),
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'python3.13')),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `${neededBy} needs Python 3.13 and none was found: install it (for example \`pyenv install 3.13\`) ` +
        'or set SMLP_PYTHON to a python3.13 executable.',
    );
  }
  return found;
}

function pyenvPythons(): string[] {
  const root = process.env.PYENV_ROOT ?? path.join(homedir(), '.pyenv');
  const versions = path.join(root, 'versions');
  if (!existsSync(versions)) return [];
  return readdirSync(versions)
    .filter((version) => /^3\.13\.\d+$/.test(version))
    .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]))
    .map((version) => path.join(versions, version, 'bin', 'python3.13'));
}
