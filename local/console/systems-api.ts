import type { SystemsView } from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import { registryOf } from './lookup.js';
import type { Route } from './route.js';

/** `GET /api/systems`: the systems and their models from the pipeline definition, with each champion. */
export function systemRoutes(sources: ConsoleSources): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/systems',
      async handle() {
        const systems = await Promise.all(
          sources.systems.map(async (system) => ({
            name: system.name,
            title: system.title,
            docs: system.docs,
            models: await Promise.all(
              system.models.map(async (model) => ({
                name: model,
                champion: (await registryOf(sources, system.name, model).champion()) ?? null,
              })),
            ),
            stateMachines: system.stateMachines.map((machine) => machine.name),
            web: system.web ? { title: system.web.title } : null,
          })),
        );
        return { json: { systems } satisfies SystemsView };
      },
    },
  ];
}
