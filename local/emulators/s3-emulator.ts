import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ChildService, startChildService, startOnFreePorts } from './child-service.js';

/**
 * s3rver on 127.0.0.1 in its own process: it needs `--openssl-legacy-provider` for
 * ListObjectsV2 continuation tokens (it encrypts them with DES), which we do not want to impose
 * on the process that runs the handlers. Started through our launcher, which adds S3's
 * conditional writes (If-Match / If-None-Match → 412) that s3rver alone ignores.
 */
export async function startS3Emulator(options: {
  directory: string;
  /**
   * Where to send the notifications of objects created in one bucket (the local EventBridge
   * bus's S3 endpoint), as that bucket's EventBridge notifications do on AWS.
   * @default - no notifications
   */
  objectCreatedEvents?: { readonly url: string; readonly bucket: string };
}): Promise<ChildService> {
  mkdirSync(options.directory, { recursive: true });
  const launcher = fileURLToPath(new URL('./s3rver-conditional.cjs', import.meta.url));
  return startOnFreePorts(1, ([port]) => {
    const endpoint = `http://127.0.0.1:${port}`;
    return startChildService({
      name: 's3rver',
      command: process.execPath,
      args: [
        '--openssl-legacy-provider',
        launcher,
        '--directory',
        options.directory,
        '--address',
        '127.0.0.1',
        '--port',
        String(port),
        ...(options.objectCreatedEvents
          ? [
              '--events-url',
              options.objectCreatedEvents.url,
              '--events-bucket',
              options.objectCreatedEvents.bucket,
            ]
          : []),
      ],
      env: { PATH: process.env.PATH },
      endpoint,
      ready: async () => (await fetch(endpoint)).status < 500,
    });
  });
}
