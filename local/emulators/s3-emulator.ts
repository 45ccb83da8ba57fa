import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type ChildService, freePort, startChildService } from './child-service.js';

const require = createRequire(import.meta.url);

/**
 * s3rver on 127.0.0.1 in its own process: it needs `--openssl-legacy-provider` for
 * ListObjectsV2 continuation tokens (it encrypts them with DES), which we do not want to impose
 * on the process that runs the handlers.
 */
export async function startS3Emulator(options: { directory: string }): Promise<ChildService> {
  mkdirSync(options.directory, { recursive: true });
  const bin = require.resolve('s3rver/bin/s3rver.js');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  return startChildService({
    name: 's3rver',
    command: process.execPath,
    args: [
      '--openssl-legacy-provider',
      bin,
      '-d',
      options.directory,
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '--silent',
      '--no-vhost-buckets',
    ],
    env: { PATH: process.env.PATH },
    endpoint,
    ready: async () => (await fetch(endpoint)).status < 500,
  });
}
