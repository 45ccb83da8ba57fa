import type { LocalRuntime } from '../local-runtime.js';
import { type ConsoleServer, startConsoleServer } from './console-server.js';
import { consoleSourcesOf } from './console-sources.js';
import type { Route } from './route.js';
import type { StreamStats } from './stream-stats.js';

/**
 * The console of a running LocalRuntime, serving the build `assetsDir` (see ensureConsoleBuilt).
 * Its state-machine pages talk to the runtime's Step Functions API (`runtime.sfnEndpoint`)
 * through the SDK, as `smlp … --local` does; stopping the console stops its backfills' polling.
 */
export async function startLocalConsole(options: {
  runtime: LocalRuntime;
  stats: StreamStats;
  assetsDir: string;
  extraRoutes?: readonly Route[];
  port?: number;
}): Promise<ConsoleServer> {
  const sources = consoleSourcesOf(options.runtime, options.stats);
  try {
    const server = await startConsoleServer({
      sources,
      assetsDir: options.assetsDir,
      ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    return {
      url: server.url,
      stop: async () => {
        await server.stop();
        sources.stepFunctions.close();
      },
    };
  } catch (error) {
    sources.stepFunctions.close();
    throw error;
  }
}
