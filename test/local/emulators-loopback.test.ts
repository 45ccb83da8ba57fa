import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildService } from '../../local/emulators/child-service.js';
import { startKinesisEmulator } from '../../local/emulators/kinesis-emulator.js';
import { startS3Emulator } from '../../local/emulators/s3-emulator.js';

/** Listening TCP sockets of this machine, as the kernel lists them: `address:port`. */
function listeningSockets(): string[] {
  const sockets: string[] = [];
  for (const [file, family] of [
    ['/proc/net/tcp', 4],
    ['/proc/net/tcp6', 6],
  ] as const) {
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A: LISTEN
      const [hexAddress = '', hexPort = ''] = local.split(':');
      const port = Number.parseInt(hexPort, 16);
      const address =
        family === 4
          ? (hexAddress.match(/../g) ?? [])
              .reverse()
              .map((byte) => Number.parseInt(byte, 16))
              .join('.')
          : /^0+$/.test(hexAddress)
            ? '::'
            : hexAddress === '00000000000000000000000001000000'
              ? '::1'
              : hexAddress;
      sockets.push(`${address}:${port}`);
    }
  }
  return sockets;
}

/** The README promises the local system binds 127.0.0.1 only: nothing on the network reaches it. */
describe('local emulators', () => {
  const services: ChildService[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'smlp-loopback-'));
    services.push(await startS3Emulator({ directory: path.join(dir, 's3') }));
    services.push(await startKinesisEmulator({ region: 'us-east-1' }));
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((service) => service.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('listen on 127.0.0.1 only, Kinesis (whose host is compiled in as 0.0.0.0) included', () => {
    // Prepare
    const ports = services.map((service) => Number(new URL(service.endpoint).port));

    // Act
    const sockets = listeningSockets();

    // Assess: each endpoint's port is bound on loopback, and no port of theirs on any interface.
    for (const port of ports) expect(sockets).toContain(`127.0.0.1:${port}`);
    const wildcard = sockets.filter((socket) => socket.startsWith('0.0.0.0:') || socket.startsWith(':::'));
    for (const port of ports) expect(wildcard).not.toContain(`0.0.0.0:${port}`);
    expect(wildcard.filter((socket) => ports.includes(Number(socket.split(':').at(-1))))).toEqual([]);
  });
});
