import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { type ChildService, freePort, startChildService } from '../emulators/child-service.js';
import { installLocalStack, LOCALSTACK_HOME } from './install.js';

/**
 * LocalStack in host mode (no Docker) on 127.0.0.1: its gateway, kinesis-mock and every Lambda
 * execution environment run as local processes. Started through the emulators' supervisor with
 * its whole process group, so stopping it (or this process dying) leaves nothing behind.
 */
export interface LocalStackServer {
  readonly endpoint: string;
  readonly pid: number | undefined;
  /** Everything LocalStack and its functions printed: .localstack/localstack.log. */
  readonly logFile: string;
  /** Every AWS HTTP request the functions made, one JSON line each (runner.cjs): CALL_LOG_FILE. */
  readonly callLog: string;
  stop(): Promise<void>;
  /** Processes of this LocalStack still alive (by their paths under .localstack/); empty once stopped. */
  leftoverProcesses(): string[];
}

/** Where the functions' AWS requests are recorded, for the tier's IAM check; emptied at each start. */
export const CALL_LOG_FILE = path.join(LOCALSTACK_HOME, 'aws-calls.jsonl');

export async function startLocalStack(
  options: { port?: number; say?: (line: string) => void } = {},
): Promise<LocalStackServer> {
  const say = options.say ?? (() => undefined);
  const { python, filesystemRoot } = installLocalStack(say);
  // A fresh state every start (kinesis-mock reloads its streams from tmp/ otherwise); usr/ keeps
  // the installed packages.
  for (const dir of ['tmp', 'var']) rmSync(path.join(filesystemRoot, dir), { recursive: true, force: true });
  mkdirSync(path.join(filesystemRoot, 'tmp'), { recursive: true });
  // Lambda code is unpacked under the temp dir. Outside the checkout: a function's .js files
  // must not fall under this project's package.json ("type": "module"), as on Lambda, where
  // nothing above /var/task says how to load them.
  const tmp = mkdtempSync(path.join(tmpdir(), 'smlp-localstack-'));
  const logFile = path.join(LOCALSTACK_HOME, 'localstack.log');
  writeFileSync(logFile, '');
  writeFileSync(CALL_LOG_FILE, '');
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  say(`  LocalStack: starting on ${endpoint} (log: ${path.relative(REPO_ROOT, logFile)})`);
  const service: ChildService = await startChildService({
    name: 'LocalStack',
    command: python,
    args: ['-m', 'localstack.runtime.main'],
    supervisorOptions: ['--process-group'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: tmp,
      OVERRIDE_IN_DOCKER: '0',
      FILESYSTEM_ROOT: filesystemRoot,
      GATEWAY_LISTEN: `127.0.0.1:${port}`,
      // LocalStack's own servers either bind every interface (twisted) or garble HTTP/2 answers
      // (hypercorn): see local/localstack/plugins/smlp_localstack/loopback_server.py.
      GATEWAY_SERVER: 'twisted-loopback',
      // kinesis-mock binds every interface too: the same preload the local emulators use.
      NODE_OPTIONS: `--require ${path.join(REPO_ROOT, 'local/emulators/loopback-only.cjs')}`,
      DNS_ADDRESS: '0',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      DISABLE_EVENTS: '1',
      LAMBDA_RUNTIME_EXECUTOR: 'node-process',
      SMLP_NODE_BINARY: process.execPath,
      // Custom resources (autoDeleteObjects) are no-ops in the community edition: deploy them as such.
      CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: '1',
      // node_executor.py passes it to each function's runner, which appends its AWS requests.
      SMLP_CALL_LOG: CALL_LOG_FILE,
    },
    endpoint,
    ready: async () => {
      const response = await fetch(`${endpoint}/_localstack/health`);
      return response.ok;
    },
    onOutput: (chunk) => appendFileSync(logFile, chunk),
    timeoutMs: 120_000,
    stopGraceMs: 30_000,
  });
  return {
    endpoint,
    pid: service.pid,
    logFile,
    callLog: CALL_LOG_FILE,
    async stop() {
      await service.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
    leftoverProcesses: () => processesUnder(LOCALSTACK_HOME),
  };
}

/** Running processes whose command line names a path under `dir`. */
function processesUnder(dir: string): string[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}
