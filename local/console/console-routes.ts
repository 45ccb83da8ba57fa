import { backfillRoutes } from './backfill-api.js';
import type { ConsoleSources } from './console-sources.js';
import { executionRoutes } from './executions-api.js';
import { quarantineRoutes } from './quarantine-api.js';
import { registryRoutes } from './registry-api.js';
import { reportRoutes } from './reports-api.js';
import type { Route } from './route.js';
import { stateMachineRoutes } from './state-machines-api.js';
import { streamRoutes } from './stream-api.js';
import { systemApiRoutes } from './system-api-proxy.js';
import { systemRoutes } from './systems-api.js';

/**
 * The console's JSON API, one list. A feature with its own pages adds its routes here (or
 * passes them as `extraRoutes` to `startConsoleServer`) and its pages to web/src/pages.ts.
 */
export function consoleRoutes(sources: ConsoleSources): Route[] {
  return [
    ...systemRoutes(sources),
    ...registryRoutes(sources),
    ...reportRoutes(sources),
    ...quarantineRoutes(sources),
    ...streamRoutes(sources),
    ...stateMachineRoutes(sources),
    ...backfillRoutes(sources),
    ...executionRoutes(sources),
    ...systemApiRoutes(sources),
  ];
}
