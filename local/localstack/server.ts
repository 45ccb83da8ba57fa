import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
  /** Everything LocalStack and its functions printed (see localStackFiles). */
  readonly logFile: string;
  /** Every AWS HTTP request the functions made, one JSON line each (runner.cjs; see localStackFiles). */
  readonly callLog: string;
  stop(): Promise<void>;
  /** Processes of this LocalStack still alive (by their paths); empty once stopped. */
  leftoverProcesses(): string[];
}

/**
 * The files of the LocalStack listening on `port`, under .localstack/: its log and its functions'
 * AWS requests (for the tier's IAM check). By port, so two LocalStacks never share one.
 */
export function localStackFiles(port: number | string): { logFile: string; callLog: string } {
  return {
    logFile: path.join(LOCALSTACK_HOME, `localstack-${port}.log`),
    callLog: path.join(LOCALSTACK_HOME, `aws-calls-${port}.jsonl`),
  };
}

export async function startLocalStack(
  options: { port?: number; say?: (line: string) => void } = {},
): Promise<LocalStackServer> {
  const say = options.say ?? (() => undefined);
  const { python, filesystemRoot: installed } = installLocalStack(say);
  // Each run its own state, outside the checkout: LocalStack's file system root, with the
  // installed packages (kinesis-mock, under usr/) linked in. Outside, because Lambda code is
  // unpacked under the temp dir and a function's .js files must not fall under this project's
  // package.json ("type": "module"), as on Lambda, where nothing above /var/task says how to load them.
  const runDir = mkdtempSync(path.join(tmpdir(), 'smlp-localstack-'));
  symlinkSync(path.join(installed, 'usr'), path.join(runDir, 'usr'));
  const tmp = path.join(runDir, 'tmp');
  mkdirSync(tmp);
  const port = options.port ?? (await freePort());
  const { logFile, callLog } = localStackFiles(port);
  writeFileSync(logFile, '');
  writeFileSync(callLog, '');
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
      FILESYSTEM_ROOT: runDir,
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
      SMLP_CALL_LOG: callLog,
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
  // LocalStack runs in its own process group (the supervisor's --process-group): its kinesis-mock
  // is in that group, and each Lambda runner names this run's directory on its command line.
  const group = childPids(service.pid).at(0);
  return {
    endpoint,
    pid: service.pid,
    logFile,
    callLog,
    async stop() {
      await service.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
    leftoverProcesses: () =>
      processes()
        .filter(({ pid, pgid, args }) => pid === service.pid || pgid === group || args.includes(runDir))
        .map(({ pid, args }) => `${pid} ${args}`),
  };
}

interface ProcessLine {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

function processes(): ProcessLine[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' });
  return listing.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match
      ? [{ pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), args: match[4] as string }]
      : [];
  });
}

const childPids = (parent: number | undefined): number[] =>
  processes()
    .filter(({ ppid }) => ppid === parent)
    .map(({ pid }) => pid);
