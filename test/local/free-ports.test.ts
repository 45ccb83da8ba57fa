import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChildService,
  freePorts,
  startChildService,
  startOnFreePorts,
} from '../../local/emulators/child-service.js';

/**
 * A port picked as free is free only until someone binds it; parallel test workers do. A service
 * whose port was taken in between starts again on new ports, with a real child that fails to bind.
 */
const started: ChildService[] = [];
const occupied: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  await Promise.all(started.map((service) => service.stop()));
  // The probe of the taken port is still connected, waiting for an answer that never comes.
  for (const socket of sockets) socket.destroy();
  await Promise.all(occupied.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A tiny HTTP server in a child process on the given port (it exits with EADDRINUSE if taken). */
function startTinyServer(port: number): Promise<ChildService> {
  const endpoint = `http://127.0.0.1:${port}`;
  return startChildService({
    name: 'tiny',
    command: process.execPath,
    args: ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`],
    env: { PATH: process.env.PATH },
    endpoint,
    ready: async () => (await fetch(endpoint)).ok,
    timeoutMs: 20_000,
  });
}

async function occupy(): Promise<number> {
  // It accepts connections and never answers, as a stray process on a port might.
  const server = createServer((socket) => sockets.add(socket));
  occupied.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('services on free ports', () => {
  it('picks distinct ports', async () => {
    // Act
    const ports = await freePorts(8);
    // Assess
    expect(new Set(ports).size).toBe(8);
  });

  it('starts again on new ports when its port was taken in between', async () => {
    // Prepare: the first attempt is made to land on a port another process holds
    const taken = await occupy();
    const attempts: number[] = [];
    // Act
    const service = await startOnFreePorts(1, ([port]) => {
      attempts.push(attempts.length === 0 ? taken : (port as number));
      return startTinyServer(attempts.at(-1) as number);
    });
    started.push(service);
    // Assess
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toBe(taken);
    expect(await (await fetch(service.endpoint)).text()).toBe('ok');
  }, 60_000);

  it('does not retry other failures', async () => {
    // Act
    const failing = startOnFreePorts(1, () => Promise.reject(new Error('the binary is missing')));
    // Assess
    await expect(failing).rejects.toThrow('the binary is missing');
  });
});
