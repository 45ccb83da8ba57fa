import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A free TCP port on 127.0.0.1, picked by the OS. It is free only until someone binds it: a
 * service that starts on it should go through `startOnFreePorts`, which retries on new ports.
 */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0] as number;
}

/** `count` distinct free ports: each is held until all are picked, so the OS cannot hand one out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.unref();
          server.on('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const PORT_TAKEN = /EADDRINUSE|address already in use/i;

/**
 * Starts a service on ports picked just before, and again on new ones when another process bound
 * one in between (parallel test workers, or anything else on the machine, can: the pick is only
 * a hint). Other failures are not retried.
 */
export async function startOnFreePorts(
  count: number,
  start: (ports: number[]) => Promise<ChildService>,
  attempts = 4,
): Promise<ChildService> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(count);
    try {
      return await start(ports);
    } catch (error) {
      if (attempt >= attempts || !PORT_TAKEN.test((error as Error).message)) throw error;
    }
  }
}

export interface ChildService {
  readonly name: string;
  readonly endpoint: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Last resort: if the parent exits without stopping its emulators, do not leave them behind. */
process.once('exit', () => {
  // SIGTERM to the supervisors: they stop their emulators (SIGKILL would orphan them).
  for (const child of running) child.kill('SIGTERM');
});

/**
 * Starts a service as a child process and waits until `ready()` answers. Output is kept so a
 * failure to start can say why.
 */
export async function startChildService(options: {
  name: string;
  command: string;
  args: string[];
  /** Options for supervise.cjs, before the command (for example `--settle-stream-dir=<dir>`). */
  supervisorOptions?: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  endpoint: string;
  ready: () => Promise<boolean>;
  timeoutMs?: number;
  /** Receives everything the service prints (it is kept for errors either way). */
  onOutput?: (chunk: Buffer) => void;
  /** How long stop() waits for the supervisor before killing it outright. @default 8000 */
  stopGraceMs?: number;
}): Promise<ChildService> {
  // Through the supervisor: the emulator dies with this process even if it is SIGKILLed.
  const supervisor = fileURLToPath(new URL('./supervise.cjs', import.meta.url));
  const child = spawn(
    process.execPath,
    [supervisor, String(process.pid), ...(options.supervisorOptions ?? []), options.command, ...options.args],
    {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in a terminal must reach us, not the emulators, so running
      // executions can finish before we stop them in order.
      detached: true,
    },
  );
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (options.onOutput) {
    child.stdout?.on('data', options.onOutput);
    child.stderr?.on('data', options.onOutput);
  }
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exited = code;
      running.delete(child);
      resolve();
    });
  });

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  // A probe can hang (another process holds the port and never answers): each gets 2 s.
  const probe = () =>
    Promise.race([
      options.ready().catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
  // Ready only while our child runs: an answer after it exited came from whoever holds the port.
  while (!(await probe()) || exited !== undefined) {
    if (exited !== undefined)
      throw new Error(`${options.name} exited with code ${exited} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(
        `${options.name} was not ready within ${(options.timeoutMs ?? 30_000) / 1000} s:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    name: options.name,
    endpoint: options.endpoint,
    pid: child.pid,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      // The supervisor escalates to SIGKILL after 4 s (or settles the stream file for at most 5 s)
      // itself; this is only the last resort.
      const killTimer = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs ?? 8_000);
      await exitPromise;
      clearTimeout(killTimer);
    },
  };
}
