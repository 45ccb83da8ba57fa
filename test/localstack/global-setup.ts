import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeleteObjectsCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { leftOut, OUTPUTS_FILE, outputsEndingWith, STAGE, s3, systems } from './deployed.js';

/**
 * Deploys every stack to LocalStack with cdklocal before the tier's tests, as a user does
 * (`npm run deploy:local`), and destroys them afterwards. Outputs go to a file the tests read.
 */
// Its own cloud assembly directory: another synth in the checkout (a second tier run, `cdk synth`)
// must not write into the one this deploy reads.
const assemblyDir = mkdtempSync(path.join(tmpdir(), 'smlp-localstack-cdk-out-'));

const cdklocal = (args: string[]) => {
  const started = Date.now();
  const selection = ['-c', `systems=${systems.map((s) => s.name).join(',')}`];
  const result = spawnSync(
    'npx',
    ['cdklocal', ...args, '-c', `stage=${STAGE}`, ...selection, '--output', assemblyDir],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    },
  );
  if (result.status !== 0) throw new Error(`cdklocal ${args[0]} failed with exit code ${result.status}`);
  console.log(`cdklocal ${args[0]}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
};

/**
 * Deletes every object version, as the stacks' autoDeleteObjects custom resource does on AWS
 * (LocalStack's community CloudFormation runs custom resources as no-ops).
 */
async function emptyBucket(bucket: string): Promise<void> {
  for (;;) {
    const page: ListObjectVersionsCommandOutput = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket }),
    );
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) return;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
  }
}

export default function setup(): () => Promise<void> {
  rmSync(OUTPUTS_FILE, { force: true });
  for (const why of leftOut) console.log(`LocalStack tier: ${why}; not deployed here`);
  cdklocal(['bootstrap']);
  cdklocal(['deploy', '--all', '--require-approval', 'never', '--outputs-file', OUTPUTS_FILE]);
  return async () => {
    if (existsSync(OUTPUTS_FILE)) {
      for (const bucket of Object.values(outputsEndingWith('BucketName'))) await emptyBucket(bucket);
    }
    cdklocal(['destroy', '--all', '--force']);
    rmSync(OUTPUTS_FILE, { force: true });
    rmSync(assemblyDir, { recursive: true, force: true });
    // cdk destroy reports success even when a resource failed to delete: check what is left.
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const left = Buckets.map((b) => b.Name ?? '').filter((name) => name.startsWith(`smlp-${STAGE}-`));
    if (left.length > 0) throw new Error(`cdklocal destroy left buckets behind: ${left.join(', ')}`);
  };
}
