import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LocalEndpointsRecord,
  readLocalEndpoints,
  removeLocalEndpoints,
  writeLocalEndpoints,
} from '../../local/endpoints-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'smlp-endpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (pid: number): LocalEndpointsRecord => ({
  pid,
  startedAt: '2026-11-30T10:00:00.000Z',
  s3: 'http://127.0.0.1:4001',
  kinesis: 'http://127.0.0.1:4002',
  sfn: 'http://127.0.0.1:4003',
  prefix: 'smlp',
  stage: 'local',
});

describe('the endpoints file of a running npm start', () => {
  it('is read back while its process lives, and removed by that process only', () => {
    // Prepare
    const file = path.join(dir, 'live.json');
    writeLocalEndpoints(record(process.pid), file);
    // Act
    const read = readLocalEndpoints(file);
    removeLocalEndpoints(process.pid + 1, file);
    const afterOther = readLocalEndpoints(file);
    removeLocalEndpoints(process.pid, file);
    // Assess
    expect(read).toEqual(record(process.pid));
    expect(afterOther).toEqual(record(process.pid));
    expect(readLocalEndpoints(file)).toBeNull();
  });

  it('is ignored once its process is gone (an npm start killed with SIGKILL leaves it behind)', () => {
    // Prepare: the pid of a process that has ended
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const file = path.join(dir, 'stale.json');
    writeLocalEndpoints(record(Number(ended.stdout)), file);
    // Act / Assess
    expect(readLocalEndpoints(file)).toBeNull();
  });
});
