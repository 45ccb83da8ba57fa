import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config/repo-root.js';

/**
 * Where a running `npm start` says its endpoints are, so `smlp … --local` finds them without
 * copying a port from the terminal. Written when the runtime is up, removed when it stops; a
 * file whose process is gone (killed with SIGKILL) is ignored.
 */
export interface LocalEndpointsRecord {
  pid: number;
  startedAt: string;
  s3: string;
  kinesis: string;
  sfn: string;
  console?: string;
  /** The deployed-name prefix and stage of the local resources (smlp, local). */
  prefix: string;
  stage: string;
}

export const LOCAL_ENDPOINTS_FILE = path.join(REPO_ROOT, '.local', 'endpoints.json');

export function writeLocalEndpoints(record: LocalEndpointsRecord, file = LOCAL_ENDPOINTS_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Through a rename: a CLI reading at the same moment never sees half a file.
  const temporary = `${file}.${record.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
}

/** The running `npm start`'s endpoints, or null when none is running (no file, or its process is gone). */
export function readLocalEndpoints(file = LOCAL_ENDPOINTS_FILE): LocalEndpointsRecord | null {
  let record: LocalEndpointsRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as LocalEndpointsRecord;
  } catch {
    return null;
  }
  return typeof record.pid === 'number' && isAlive(record.pid) ? record : null;
}

/** Removes the file if it is still this process's (another `npm start` may have replaced it). */
export function removeLocalEndpoints(pid: number, file = LOCAL_ENDPOINTS_FILE): void {
  const current = (() => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalEndpointsRecord>;
    } catch {
      return null;
    }
  })();
  if (current?.pid === pid) rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
