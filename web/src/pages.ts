import type { ComponentType } from 'preact';
import { ModelsPage } from './pages/models';
import { OverviewPage } from './pages/overview';
import { QuarantinePage } from './pages/quarantine';
import { ReportsPage } from './pages/reports';
import { StreamPage } from './pages/stream';

export interface PageDefinition {
  /** The URL path; a page reads its own query parameters (`?system=water`). */
  path: string;
  /** Its name in the navigation and the window title. */
  title: string;
  component: ComponentType;
}

/**
 * Every page of the console, in navigation order: the one list the navigation and the router
 * read. A feature adds its pages here and its API routes to local/console/console-routes.ts.
 * Still to come: the state machines' pages (executions, timeline, start, redrive, backfill) on
 * the local Step Functions API, e.g. `{ path: '/state-machines', title: 'State machines', … }`.
 */
export const pages: readonly PageDefinition[] = [
  { path: '/', title: 'Overview', component: OverviewPage },
  { path: '/models', title: 'Models', component: ModelsPage },
  { path: '/reports', title: 'Reports', component: ReportsPage },
  { path: '/quarantine', title: 'Quarantine', component: QuarantinePage },
  { path: '/stream', title: 'Stream', component: StreamPage },
];
