import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { LocalEndpointsRecord } from '../../local/endpoints-file.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import type { LocalHandler } from '../../local/state-machine-runner.js';
import { captureContext } from './cli-fixtures.js';

/**
 * The state-machine commands as a user runs them with --local, against the local runtime's
 * Step Functions API (the real SDK client; the endpoint comes from the running-process record
 * `npm start` writes). An archive execution named `broken-*` fails in its plan step, so there is
 * a failed execution to look at and redrive.
 */
let runtime: LocalRuntime;
let dataDir: string;
let running: LocalEndpointsRecord;

function breakArchivePlans(key: string, handler: LocalHandler): LocalHandler {
  if (key !== 'archive') return handler;
  return async (event) => {
    const { action, execution } = event as { action: string; execution?: { name: string } };
    if (action === 'plan' && execution?.name.startsWith('broken-'))
      throw new Error('the bucket is not there yet');
    return handler(event);
  };
}

async function smlp(...args: string[]) {
  const cli = captureContext(undefined, {}, running);
  const code = await main(args, cli.context);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-cli-sfn-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 1, wrapHandler: breakArchivePlans });
  running = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    s3: process.env.AWS_ENDPOINT_URL_S3 ?? '',
    kinesis: process.env.AWS_ENDPOINT_URL_KINESIS ?? '',
    sfn: runtime.sfnEndpoint,
    prefix: 'smlp',
    stage: 'local',
  };
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('smlp state-machine commands against the local runtime', () => {
  it('machines: every state machine with its schedule', async () => {
    // Act
    const { code, stdout } = await smlp('machines', '--local');
    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^water-retrain\s+cron\(0 2 \* \* \? \*\)/m);
    expect(stdout).toMatch(/^archive\s+\(on demand\)/m);
  });

  it('start: follows the execution state by state and says what it did', async () => {
    // Act
    const { code, stdout, stderr } = await smlp(
      'start',
      'archive',
      '--local',
      '--input',
      '{"pipeline":"water"}',
    );
    // Assess
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^Started archive-[0-9a-f]{8} \(arn:aws:states:us-east-1:000000000000:execution:smlp-local-archive:/m,
    );
    // Each state's end (its start too, when a poll sees it running: that depends on speed).
    expect(stderr).toMatch(/^ {2}✓ Plan \d+\.\d s$/m);
    expect(stdout).toMatch(/^SUCCEEDED in \d+\.\d s: 0 objects archived$/m);
  });

  it('a failed start exits 1 with the error; execution shows its timeline; redrive re-runs the unsuccessful step', async () => {
    // Prepare
    const failed = await smlp(
      'start',
      'archive',
      '--local',
      '--name',
      'broken-1',
      '--input',
      '{"pipeline":"water"}',
    );
    // Act
    const shown = await smlp('execution', 'broken-1', '--machine', 'archive', '--local');
    const redriven = await smlp('redrive', 'broken-1', '--machine', 'archive', '--local');
    const again = await smlp('execution', 'broken-1', '--machine', 'archive', '--local', '--json');
    // Assess
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED in \d+\.\d s: ArchiveFailed: .*the bucket is not there yet/m);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^status\s+FAILED$/m);
    expect(shown.stdout).toMatch(/^Plan\s+Task\s+\d+\.\d\d s\s+ok\s+Error: the bucket is not there yet/m);
    expect(shown.stdout).toMatch(/^ArchiveFailed\s+Fail\s+.*failed/m);
    // As on AWS, the Fail state the Catch led to is the unsuccessful step: it fails again.
    expect(redriven.code).toBe(1);
    expect(redriven.stderr).toMatch(/^Redriven broken-1 at /m);
    const { execution, timeline } = JSON.parse(again.stdout) as {
      execution: { status: string; redriveCount: number };
      timeline: { state: string; redrive?: number }[];
    };
    expect(execution).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    expect(timeline.filter((row) => row.redrive === 1).map((row) => row.state)).toEqual(['ArchiveFailed']);
  });

  it('executions: newest first, filtered by status, as a table or JSON', async () => {
    // Act
    const all = await smlp('executions', 'archive', '--local');
    const failed = await smlp('executions', '--status', 'failed', '--local', '--json');
    // Assess
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^execution\s+state machine\s+status\s+started\s+took\s+redrives$/);
    expect(lines[1]).toMatch(/^broken-1\s+archive\s+FAILED\s+.*\s+1$/);
    expect(lines[2]).toMatch(/^archive-[0-9a-f]{8}\s+archive\s+SUCCEEDED/);
    expect(JSON.parse(failed.stdout)).toEqual([
      expect.objectContaining({
        name: 'broken-1',
        stateMachine: 'archive',
        status: 'FAILED',
        redriveCount: 1,
      }),
    ]);
  });

  it('backfill: one run per scheduled time, named for it; a second backfill runs nothing again', async () => {
    // Act
    const first = await smlp(
      'backfill',
      'water-stream',
      '--from',
      '2026-11-20T00:00Z',
      '--to',
      '2026-11-20T02:00Z',
      '--local',
      '--input',
      '{"batchSize": 20, "numBatches": 1}',
    );
    const second = await smlp(
      'backfill',
      'water-stream',
      '--from',
      '2026-11-20T00:00Z',
      '--to',
      '2026-11-20T02:00Z',
      '--local',
      '--json',
      '--input',
      '{"batchSize": 20, "numBatches": 1}',
    );
    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/1\/3 2026-11-20T00:00Z water-stream-at-20261120T0000Z: ran: SUCCEEDED/);
    expect(first.stderr).toMatch(/3\/3 2026-11-20T02:00Z water-stream-at-20261120T0200Z: ran: SUCCEEDED/);
    expect(first.stdout).toBe(
      'Backfill of water-stream: 3 scheduled times, 3 ran now, 0 had run before, 0 failed\n',
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).map((r: { outcome: string }) => r.outcome)).toEqual([
      'already ran: SUCCEEDED',
      'already ran: SUCCEEDED',
      'already ran: SUCCEEDED',
    ]);
    const record = runtime.stateMachines.executions.find(
      (e) => e.executionName === 'water-stream-at-20261120T0100Z',
    );
    expect(record?.input).toMatchObject({ scheduledTime: '2026-11-20T01:00:00.000Z', batchSize: 20 });
  });

  it('clear errors: an unknown machine (1), a missing flag (2), no running npm start for --local (2)', async () => {
    // Act
    const unknown = await smlp('start', 'nope', '--local');
    const missing = await smlp('backfill', 'water-retrain', '--local');
    const cli = captureContext(undefined, {}, null);
    const notRunning = await main(['machines', '--local'], cli.context);
    // Assess
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /smlp start: no state machine "nope"; the endpoint has smlp-local-archive, /,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from is required/);
    expect(notRunning).toBe(2);
    expect(cli.stderr()).toMatch(/--local found no running `npm start`/);
  });
});
