/**
 * The list of systems: the one place that names them. The CDK app, the local runtime, the
 * producer and ingest functions, the demo and the CLI read it; adding a system is its folder
 * plus one line here.
 */
import type { SystemDefinition } from '../lib/config/system-definition.js';
import { churnSystem } from './churn/system.js';
import { onlineSystem } from './online/system.js';
import { sensorsSystem } from './sensors/system.js';
import { waterSystem } from './water/system.js';

export const systems: readonly SystemDefinition[] = [waterSystem, sensorsSystem, churnSystem, onlineSystem];
