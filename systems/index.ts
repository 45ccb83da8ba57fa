/**
 * The list of systems: the one place that names them. The CDK app, the local runtime, the
 * producer and ingest functions, the demo and the CLI read it; adding a system is its folder
 * plus one line here. The order is the demo's: churn streams the most records, so it goes after
 * online, whose learner (a filtered stream consumer) would otherwise read past them all first on
 * LocalStack, whose event source mapping fetches and filters a batch at a time; sales, last, for
 * the same reason.
 */
import type { SystemDefinition } from '../lib/config/system-definition.js';
import { churnSystem } from './churn/system.js';
import { onlineSystem } from './online/system.js';
import { salesSystem } from './sales/system.js';
import { sensorsSystem } from './sensors/system.js';
import { waterSystem } from './water/system.js';

export const systems: readonly SystemDefinition[] = [
  waterSystem,
  sensorsSystem,
  onlineSystem,
  churnSystem,
  salesSystem,
];
