import type { ComponentType } from 'preact';

/**
 * Pages that systems bring with them (`systems/<name>/web/page.tsx`, default-exporting a
 * component), found at build time: adding a system with a page needs no edit here or in the
 * navigation. Each is served at `/systems/<name>`; its API is `/api/<name>/…` (the console's
 * pass-through locally, the CloudFront behaviour on AWS).
 */
const modules = import.meta.glob<{ default: ComponentType }>('../../systems/*/web/page.tsx', {
  eager: true,
});

export interface SystemPage {
  /** The system's name, from its folder. */
  system: string;
  path: string;
  component: ComponentType;
}

export const systemPages: readonly SystemPage[] = Object.entries(modules)
  .map(([file, module]) => {
    const system = /systems\/([^/]+)\/web\/page\.tsx$/.exec(file)?.[1] ?? file;
    return { system, path: systemPagePath(system), component: module.default };
  })
  .sort((a, b) => a.system.localeCompare(b.system));

export function systemPagePath(system: string): string {
  return `/systems/${encodeURIComponent(system)}`;
}

/** A navigation entry: a system page's path and its title. */
export interface SystemNavEntry {
  path: string;
  title: string;
  component: ComponentType;
}

/**
 * The system pages to list: those of systems the server runs that declare a page (`web`), titled
 * as they declare it. Without the systems API (the CloudFront distribution serves the pages and
 * the systems' own APIs only) every bundled page is listed, under its system's name.
 */
export function systemNavEntries(
  systems: readonly { name: string; web?: { title: string } | null }[] | undefined,
): SystemNavEntry[] {
  return systemPages.flatMap((page) => {
    if (!systems) return [{ path: page.path, title: page.system, component: page.component }];
    const web = systems.find((s) => s.name === page.system)?.web;
    return web ? [{ path: page.path, title: web.title, component: page.component }] : [];
  });
}
