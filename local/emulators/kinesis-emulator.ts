import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildService, startChildService, startOnFreePorts } from './child-service.js';
import { keepGoodStreamFile, repairStreamFile } from './stream-file-guard.cjs';

const require = createRequire(import.meta.url);
export const PERSIST_INTERVAL_MS = 200;
const LOOPBACK_ONLY = fileURLToPath(new URL('./loopback-only.cjs', import.meta.url));

/**
 * kinesis-mock (npm `kinesis-local`), the engine LocalStack itself runs for Kinesis, on
 * 127.0.0.1. Its host is compiled in as 0.0.0.0, so a preloaded module keeps its servers on the
 * loopback interface (loopback-only.cjs).
 */
/**
 * Starts the emulator; when it dies before it is ready on a persisted directory, tries again a
 * few times, repairing the file first. A `npm start` killed with SIGKILL and started again at once
 * meets its predecessor's supervisor still settling the stream file (it writes it once more before
 * it stops the old emulator): the new emulator then reads a file mid-write and exits.
 */
export async function startKinesisEmulator(options: {
  region: string;
  persistDir?: string;
}): Promise<ChildService> {
  const attempts = options.persistDir ? 5 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startKinesisEmulatorOnce(options);
    } catch (error) {
      if (attempt >= attempts || !/exited with code/.test((error as Error).message)) throw error;
      console.warn(
        `  kinesis-local exited while starting (attempt ${attempt} of ${attempts}); trying again in 2 s`,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

async function startKinesisEmulatorOnce(options: {
  region: string;
  /**
   * Where the streams are kept between runs (kinesis-mock's persistence: written every
   * PERSIST_INTERVAL and loaded at start), so a restart finds the records nobody ingested yet.
   * @default - in memory only: a restart starts empty
   */
  persistDir?: string;
}): Promise<ChildService> {
  const main = require.resolve('kinesis-local/main.js');
  // A kill while kinesis-mock rewrote its file leaves it damaged: put the last good copy back.
  const repair = options.persistDir ? repairStreamFile(options.persistDir) : 'none';
  if (repair === 'restored')
    console.warn(`  Stream file in ${options.persistDir} was damaged by a kill: restored its last good copy`);
  if (repair === 'lost')
    console.warn(
      `  Stream file in ${options.persistDir} was damaged by a kill and had no good copy: the stream starts empty, records not yet ingested are lost (the damaged file is kept beside it)`,
    );
  const service = await startOnFreePorts(2, ([plainPort, tlsPort]) => {
    const endpoint = `http://127.0.0.1:${plainPort}`;
    return startChildService({
      name: 'kinesis-local',
      command: process.execPath,
      args: ['--require', LOOPBACK_ONLY, main],
      // Stopping (by the runtime, or by the supervisor when the runtime is gone) first waits for
      // a complete write of every accepted record: see supervise.cjs.
      ...(options.persistDir ? { supervisorOptions: [`--settle-stream-dir=${options.persistDir}`] } : {}),
      cwd: path.dirname(main),
      env: {
        PATH: process.env.PATH,
        KINESIS_MOCK_PLAIN_PORT: String(plainPort),
        KINESIS_MOCK_TLS_PORT: String(tlsPort),
        // Without it the emulator crashes unless started from its own folder.
        KINESIS_MOCK_CERT_PATH: path.join(path.dirname(main), 'server.json'),
        // Otherwise the SDK's stream-exists waiter sleeps 10 s per stream.
        CREATE_STREAM_DURATION: '0ms',
        DELETE_STREAM_DURATION: '0ms',
        AWS_REGION: options.region,
        LOG_LEVEL: 'ERROR',
        ROOT_LOG_LEVEL: 'ERROR',
        ...(options.persistDir
          ? {
              SHOULD_PERSIST_DATA: 'true',
              LOAD_DATA_IF_EXISTS: 'true',
              PERSIST_PATH: options.persistDir,
              PERSIST_FILE_NAME: 'streams.json',
              // The most a SIGKILL of the emulator itself can lose; kinesis-mock's default is 5 s.
              PERSIST_INTERVAL: `${PERSIST_INTERVAL_MS}ms`,
            }
          : {}),
      },
      endpoint,
      ready: async () => {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'Kinesis_20131202.ListStreams',
          },
          body: '{}',
        });
        return response.status < 500;
      },
    });
  });
  if (!options.persistDir) return service;
  // Once a second, not at every write: kinesis-mock already rewrites the whole file every
  // interval; a copy as often would double that I/O for a file only a kill mid-write damages.
  const stopCopying = keepGoodStreamFile(options.persistDir, 1_000);
  return {
    ...service,
    name: service.name,
    endpoint: service.endpoint,
    pid: service.pid,
    stop: async () => {
      stopCopying();
      await service.stop();
    },
  };
}
