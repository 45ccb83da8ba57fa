import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lib/config/repo-root.js';
import { listKeys } from '../../../local/inspect-data.js';
import type { OnlineResult } from '../../../systems/online/model/result-types.js';
import { readCheckpoint } from '../../../systems/online/store/checkpoint-store.js';
import { readHistoryParquet } from '../../../systems/online/store/history-parquet.js';
import { ONLINE_MODELS, type OnlineModelName, onlineKeys } from '../../../systems/online/store/keys.js';
import { readLatest, readRecent } from '../../../systems/online/store/results-store.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { isAlive } from '../../support/processes.js';
import { BATCH_SIZE, STREAM_SIZE, STREAM_START_TICK } from './online-support.js';

/**
 * Exactly-once learning under real kills: the learner runs in a child process that delivers a
 * fixed stream in batches (exactly-once-runner.ts, playing Lambda's event source mapping), is
 * killed with SIGKILL at several points of its work, and is started again each time on the same
 * batches, from the last batch the mapping had checkpointed. Everything it leaves (Parquet
 * history, recent and latest results, both checkpoints) must equal, record for record, what an
 * uninterrupted run leaves in fresh buckets. Kill points are chosen from the child's own progress
 * lines, never by waiting a fixed time, so the verdict does not depend on the machine's speed.
 */

const RUNNER = path.join(REPO_ROOT, 'test/systems/online/exactly-once-runner.ts');
/** Generous: a child's start (tsx, the SDK) takes seconds on a busy machine. */
const DEADLINE_MS = 120_000;

interface Buckets {
  data: string;
  artifacts: string;
}
interface Run {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

let emulators: TestEmulators;
let workDir: string;
const children: ChildProcess[] = [];
const FRESH: Buckets = { data: 'online-fresh-data', artifacts: 'online-fresh-artifacts' };

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  for (const bucket of [FRESH.data, FRESH.artifacts])
    await emulators.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  workDir = mkdtempSync(path.join(tmpdir(), 'smlp-exactly-once-'));
});
afterAll(async () => {
  for (const child of children)
    if (child.pid !== undefined && child.exitCode === null && isAlive(child.pid)) child.kill('SIGKILL');
  await emulators?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function startRunner(buckets: Buckets, positionFile: string, pause?: string): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', RUNNER, positionFile, ...(pause ? [pause] : [])],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATA_BUCKET: buckets.data,
        ARTIFACTS_BUCKET: buckets.artifacts,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then((code) => {
    if (code !== null && code !== 0) process.stderr.write(`runner exited ${code}: ${stderr}\n`);
  });
  return { child, stdout: () => stdout, exited };
}

/** Polls the child's output until `seen` holds; fails if the child ends first or the deadline passes. */
async function waitFor(run: Run, seen: (stdout: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!seen(run.stdout())) {
    if (run.child.exitCode !== null)
      throw new Error(`the runner ended (${run.child.exitCode}) before ${what}`);
    if (Date.now() > deadline)
      throw new Error(`no ${what} within ${DEADLINE_MS} ms:\n${run.stdout().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function killHard(run: Run): Promise<void> {
  run.child.kill('SIGKILL');
  await run.exited;
}

/** The value with its wall-clock times blanked: the one thing two runs cannot share. */
const withoutClock = <T extends object>(value: T): T => ({
  ...value,
  learnedAt: undefined,
  updatedAt: undefined,
});

async function historyOf(buckets: Buckets, model: OnlineModelName) {
  const objects: { key: string; rows: OnlineResult[] }[] = [];
  for (const key of await listKeys(emulators.s3, buckets.data, onlineKeys.historyRoot(model))) {
    const response = await emulators.s3.send(new GetObjectCommand({ Bucket: buckets.data, Key: key }));
    const bytes = (await response.Body?.transformToByteArray()) as Uint8Array;
    objects.push({ key, rows: await readHistoryParquet(model, bytes) });
  }
  return objects;
}

/** Everything the learner leaves for one model, learnedAt and updatedAt aside (wall-clock times). */
async function outcomeOf(buckets: Buckets, model: OnlineModelName) {
  const history = await historyOf(buckets, model);
  const checkpoint = await readCheckpoint(emulators.s3, buckets.artifacts, model);
  return {
    history: history.map((o) => ({ key: o.key, rows: o.rows.map(withoutClock) })),
    latest: withoutClock((await readLatest(emulators.s3, buckets.data, model)) ?? {}),
    recent: (await readRecent(emulators.s3, buckets.data, model)).map(withoutClock),
    checkpoint: checkpoint && withoutClock(checkpoint.checkpoint),
  };
}

/** Each kill: a point where the child stops by itself (`pause`), or a line after which it is killed running. */
const KILLS: { pause?: string; after?: RegExp; says: string }[] = [
  {
    pause: '2:PutObjectCommand results/online/recent/classification.json',
    says: "after batch 2's classification history, before its checkpoint",
  },
  {
    pause: '4:PutObjectCommand checkpoints/online/regression.json',
    says: "at batch 4's regression checkpoint",
  },
  {
    pause: '5:PutObjectCommand results/online/history/model=regression/date=2024-01-01/hour=01/',
    says: "between batch 5's two hour partitions",
  },
  { pause: '6:esm-commit', says: 'after batch 6 was learned, before the mapping checkpointed it' },
  {
    after: /batch 8 start[\s\S]*s3 PutObjectCommand results\/online\/recent\//,
    says: 'running, during batch 8',
  },
  { after: /batch 10 start/, says: 'running, as batch 10 starts' },
];

describe('exactly-once learning under SIGKILL', () => {
  it(
    'killed mid-batch again and again, then restarted on the same batches, it leaves exactly what an uninterrupted run leaves, record for record',
    async () => {
      // Prepare: the uninterrupted run, in fresh buckets.
      const clean = startRunner(FRESH, path.join(workDir, 'clean-position'));
      await waitFor(clean, (out) => out.includes('all done'), 'the end of the uninterrupted run');
      expect(await clean.exited).toBe(0);

      // Act: the interrupted run, in the test's own buckets.
      const interrupted: Buckets = { data: emulators.dataBucket, artifacts: emulators.artifactsBucket };
      const position = path.join(workDir, 'killed-position');
      const killedAt: string[] = [];
      for (const [index, kill] of KILLS.entries()) {
        const run = startRunner(interrupted, position, kill.pause);
        if (kill.pause) await waitFor(run, (out) => out.includes('paused'), `the pause ${kill.pause}`);
        else await waitFor(run, (out) => (kill.after as RegExp).test(out), `a line matching ${kill.after}`);
        await killHard(run);
        killedAt.push(kill.says);
        if (index === 0) {
          // Really mid-batch: batch 2's classification history is written, its checkpoint is not.
          const checkpoint = await readCheckpoint(emulators.s3, interrupted.artifacts, 'classification');
          expect(checkpoint?.checkpoint.lastTick).toBe(STREAM_START_TICK + 2 * BATCH_SIZE - 1);
          const keys = (await historyOf(interrupted, 'classification')).map((o) => o.key);
          expect(keys.at(-1)).toMatch(new RegExp(`tick-0*${STREAM_START_TICK + 2 * BATCH_SIZE}\\.parquet$`));
        }
      }
      const last = startRunner(interrupted, position);
      await waitFor(last, (out) => out.includes('all done'), 'the end of the last restart');
      expect(await last.exited).toBe(0);

      // Assess
      expect(killedAt).toHaveLength(KILLS.length);
      const expectedTicks = Array.from({ length: STREAM_SIZE }, (_, i) => STREAM_START_TICK + i);
      for (const model of ONLINE_MODELS) {
        const killed = await outcomeOf(interrupted, model);
        const uninterrupted = await outcomeOf(FRESH, model);
        // No tick missing, none twice, in the Parquet history as stored.
        expect(killed.history.flatMap((o) => o.rows.map((r) => r.tick))).toEqual(expectedTicks);
        expect(killed.history.map((o) => o.key)).toEqual(uninterrupted.history.map((o) => o.key));
        expect(killed.history).toEqual(uninterrupted.history);
        expect(killed.recent).toEqual(uninterrupted.recent);
        expect(killed.latest).toEqual(uninterrupted.latest);
        expect(killed.checkpoint).toEqual(uninterrupted.checkpoint);
        expect(killed.checkpoint).toMatchObject({ learned: STREAM_SIZE, lastTick: expectedTicks.at(-1) });
      }
    },
    DEADLINE_MS * 4,
  );
});
