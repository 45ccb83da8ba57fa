#!/usr/bin/env node
/**
 * Adds lockfile entries for platform-specific optional dependencies (esbuild, rollup, biome
 * binaries for other operating systems) that this project's package mirror does not serve.
 *
 * npm records only the optional packages it could fetch, and `npm ci` then refuses the lockfile
 * as out of sync. An entry with just the version (marked optional) satisfies `npm ci`; on a
 * platform that needs the package, npm fetches it, elsewhere the failed optional fetch is skipped.
 *
 * Run after `npm install` changes the lockfile: `node scripts/complete-lockfile.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    // Where node would resolve it from this package: nested first, then each parent up to the top.
    const segments = path
      ? path
          .split('node_modules/')
          .filter(Boolean)
          .map((s) => s.replace(/\/$/, ''))
      : [];
    let found = false;
    for (let depth = segments.length; depth >= 0 && !found; depth--) {
      const prefix = segments
        .slice(0, depth)
        .map((s) => `node_modules/${s}/`)
        .join('');
      if (packages[`${prefix}node_modules/${name}`]) found = true;
    }
    if (found) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue;
    packages[`node_modules/${name}`] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
