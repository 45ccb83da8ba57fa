import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config/repo-root.js';

export const WEB_DIR = path.join(REPO_ROOT, 'web');
/** The built console (git-ignored). */
export const CONSOLE_ASSETS_DIR = path.join(WEB_DIR, 'dist');
/** The fingerprint of the sources the build was made from, inside the build folder. */
const STAMP = '.source-fingerprint';

/**
 * Builds the web console with Vite when web/dist is missing or was built from other sources
 * (a fresh clone, a pull, an edit), so `npm ci && npm start` needs no separate build step.
 * A content fingerprint, not file times: a fresh clone's times say nothing.
 * Returns the folder to serve.
 */
export async function ensureConsoleBuilt(options: { say?: (line: string) => void } = {}): Promise<string> {
  const fingerprint = await sourceFingerprint();
  const built = await readFile(path.join(CONSOLE_ASSETS_DIR, STAMP), 'utf8').catch(() => undefined);
  if (built === fingerprint) return CONSOLE_ASSETS_DIR;
  options.say?.('▶ Building console … (web/ changed since the last build)');
  // Vite is a dev dependency: loaded only when a build is needed.
  const { build } = await import('vite');
  // Built beside web/dist and renamed over it: a console serving web/dist never sees half a build.
  const temporary = `${CONSOLE_ASSETS_DIR}.${process.pid}.tmp`;
  await build({
    configFile: path.join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: temporary, emptyOutDir: true },
  });
  await writeFile(path.join(temporary, STAMP), fingerprint);
  await rm(CONSOLE_ASSETS_DIR, { recursive: true, force: true });
  await rename(temporary, CONSOLE_ASSETS_DIR);
  return CONSOLE_ASSETS_DIR;
}

/**
 * sha256 over web/ (without its build output), the systems' own pages (systems/<name>/web, which
 * web/src/system-pages.ts bundles) and the lockfile (the versions bundled).
 */
async function sourceFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await filesUnder(WEB_DIR)),
    ...(await systemPageFiles()),
    path.join(REPO_ROOT, 'package-lock.json'),
  ];
  for (const file of files) {
    hash.update(path.relative(REPO_ROOT, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

async function systemPageFiles(): Promise<string[]> {
  const systemsDir = path.join(REPO_ROOT, 'systems');
  const systems = await readdir(systemsDir, { withFileTypes: true });
  const files: string[] = [];
  for (const system of systems
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name)))
    files.push(...(await filesUnder(path.join(systemsDir, system.name, 'web')).catch(() => [])));
  return files;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (full === CONSOLE_ASSETS_DIR || entry.name.startsWith('dist.') || entry.name === 'node_modules')
        continue;
      files.push(...(await filesUnder(full)));
    } else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * For `npm start`: builds if needed, and a failed build is said, not thrown, so the pipeline
 * still runs (and the console's API still answers) while web/ is being fixed.
 */
export async function buildConsoleForStart(say: (line: string) => void): Promise<string> {
  try {
    return await ensureConsoleBuilt({ say });
  } catch (error) {
    say(`  ✘ The console could not be built (its pages answer 404 until it is): ${(error as Error).message}`);
    return CONSOLE_ASSETS_DIR;
  }
}
