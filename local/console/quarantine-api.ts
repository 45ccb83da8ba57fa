import type { QuarantineView } from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import { QuarantineReader } from './quarantine-reader.js';
import type { Route } from './route.js';

/** Where ingest files records that name no known system (core/streaming/ingest-plan.ts). */
const UNKNOWN = 'unknown';

/** `GET /api/quarantine`: counts by reason and the newest records, per system (and `unknown` when any). */
export function quarantineRoutes(sources: ConsoleSources): Route[] {
  const reader = new QuarantineReader(sources.s3, sources.dataBucket);
  return [
    {
      method: 'GET',
      path: '/api/quarantine',
      async handle() {
        const systems = await Promise.all(
          [...sources.systems.map((s) => s.name), UNKNOWN].map((name) => reader.summary(name)),
        );
        const view: QuarantineView = {
          systems: systems.filter((s) => s.system !== UNKNOWN || s.total > 0),
        };
        return { json: view };
      },
    },
  ];
}
