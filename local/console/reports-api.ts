import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { getBytes } from '../../adapters/s3-object-store.js';
import type { ReportFileView, ReportRunView, ReportsView } from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import { systemNamed } from './lookup.js';
import { HttpError, type Route } from './route.js';

/** `reports/<system>/<run>/<file>`: what each system's report step writes to the artifacts bucket. */
const reportsPrefix = (system: string) => `reports/${system}/`;
/** The copy of the newest report every system keeps; listed once, under its own run. */
const LATEST = 'latest';
const SAFE_NAME = /^[\w][\w.-]*$/;

const CONTENT_TYPES: Record<string, { type: string; kind: ReportFileView['kind'] }> = {
  svg: { type: 'image/svg+xml', kind: 'picture' },
  png: { type: 'image/png', kind: 'picture' },
  jpg: { type: 'image/jpeg', kind: 'picture' },
  json: { type: 'application/json', kind: 'json' },
};
const typeOf = (name: string) =>
  CONTENT_TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? {
    type: 'application/octet-stream',
    kind: 'other',
  };

/** The runs' report files of a system, newest run first, and each file (pictures, JSON) by URL. */
export function reportRoutes(sources: ConsoleSources): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/systems/:system/reports',
      async handle({ params }) {
        const system = systemNamed(sources, params.system);
        const prefix = reportsPrefix(system.name);
        const runs = new Map<string, ReportRunView>();
        for await (const page of paginateListObjectsV2(
          { client: sources.s3 },
          { Bucket: sources.artifactsBucket, Prefix: prefix },
        )) {
          for (const object of page.Contents ?? []) {
            const [run, name, ...deeper] = (object.Key ?? '').slice(prefix.length).split('/');
            if (!run || !name || deeper.length > 0 || run === LATEST) continue;
            if (!SAFE_NAME.test(run) || !SAFE_NAME.test(name)) continue;
            const writtenAt = (object.LastModified ?? new Date(0)).toISOString();
            const entry = runs.get(run) ?? { run, writtenAt, files: [] };
            if (writtenAt > entry.writtenAt) entry.writtenAt = writtenAt;
            entry.files.push({
              name,
              kind: typeOf(name).kind,
              bytes: object.Size ?? 0,
              url: `/api/systems/${encodeURIComponent(system.name)}/reports/${run}/${name}`,
            });
            runs.set(run, entry);
          }
        }
        // Run ids are execution names, not times: the newest run is the one written last.
        const sorted = [...runs.values()].sort((a, b) => b.writtenAt.localeCompare(a.writtenAt));
        for (const run of sorted) run.files.sort((a, b) => a.name.localeCompare(b.name));
        return { json: { system: system.name, runs: sorted } satisfies ReportsView };
      },
    },
    {
      method: 'GET',
      path: '/api/systems/:system/reports/:run/:file',
      async handle({ params }) {
        const system = systemNamed(sources, params.system);
        const { run = '', file = '' } = params;
        if (!SAFE_NAME.test(run) || !SAFE_NAME.test(file))
          throw new HttpError(400, 'a report run and file are names of letters, digits, ".", "-" and "_"');
        const bytes = await getBytes(
          sources.s3,
          sources.artifactsBucket,
          `${reportsPrefix(system.name)}${run}/${file}`,
        );
        if (!bytes) throw new HttpError(404, `no report file ${run}/${file} for system "${system.name}"`);
        return { file: { body: bytes, contentType: typeOf(file).type } };
      },
    },
  ];
}
