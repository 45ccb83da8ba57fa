import type { LocalRuntime } from '../local-runtime.js';
import { type ConsoleServer, startConsoleServer } from './console-server.js';
import { consoleSourcesOf } from './console-sources.js';
import type { Route } from './route.js';
import type { StreamStats } from './stream-stats.js';

/** The console of a running LocalRuntime, serving the build `assetsDir` (see ensureConsoleBuilt). */
export function startLocalConsole(options: {
  runtime: LocalRuntime;
  stats: StreamStats;
  assetsDir: string;
  extraRoutes?: readonly Route[];
  port?: number;
}): Promise<ConsoleServer> {
  return startConsoleServer({
    sources: consoleSourcesOf(options.runtime, options.stats),
    assetsDir: options.assetsDir,
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
}
