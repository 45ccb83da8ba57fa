import { readLocalEndpoints } from '../local/endpoints-file.js';
import type { CliContext } from './context.js';
import { openS3Registry } from './s3-registry.js';
import { openSfn } from './sfn/target.js';

/** The real process: stdout/stderr, the environment and S3. */
export function nodeContext(): CliContext {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    openRegistry: openS3Registry,
    heartbeatSeconds: 10,
    localEndpoints: () => readLocalEndpoints(),
    openStepFunctions: openSfn,
    pollMs: 1_000,
  };
}
