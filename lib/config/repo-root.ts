import { fileURLToPath } from 'node:url';

/** The checkout's root: entries and ASL files in the pipeline definition are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
