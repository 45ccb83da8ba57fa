import type { ComponentType } from 'preact';
import { ExecutionPage } from './pages/execution';
import { ModelsPage } from './pages/models';
import { OverviewPage } from './pages/overview';
import { QuarantinePage } from './pages/quarantine';
import { ReportsPage } from './pages/reports';
import { StateMachinePage } from './pages/state-machine';
import { StateMachinesPage } from './pages/state-machines';
import { StreamPage } from './pages/stream';

export interface PageDefinition {
  /** The URL path; a page reads its own query parameters (`?system=water`). */
  path: string;
  /** Its name in the navigation and the window title. */
  title: string;
  component: ComponentType;
  /** A page reached through links (one machine, one execution): not in the navigation, which marks this parent. */
  parent?: string;
}

/**
 * Every page of the console, in navigation order: the one list the navigation and the router
 * read. A feature adds its pages here and its API routes to local/console/console-routes.ts.
 */
export const pages: readonly PageDefinition[] = [
  { path: '/', title: 'Overview', component: OverviewPage },
  { path: '/models', title: 'Models', component: ModelsPage },
  { path: '/reports', title: 'Reports', component: ReportsPage },
  { path: '/quarantine', title: 'Quarantine', component: QuarantinePage },
  { path: '/stream', title: 'Stream', component: StreamPage },
  { path: '/state-machines', title: 'State machines', component: StateMachinesPage },
  { path: '/state-machine', title: 'State machine', component: StateMachinePage, parent: '/state-machines' },
  { path: '/execution', title: 'Execution', component: ExecutionPage, parent: '/state-machines' },
];
