import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ModelRegistry } from '../core/registry/model-registry.js';
import type { SystemDefinition } from '../lib/config/system-definition.js';
import type { LocalEndpointsRecord } from '../local/endpoints-file.js';
import type { RegistryTarget } from './registry-target.js';
import type { SfnTarget } from './sfn/target.js';

/** A registry and how to release what it holds (the S3 client's sockets). */
export interface RegistryHandle {
  registry: ModelRegistry;
  close(): void;
}

/**
 * Everything a command touches besides files it is told to read or write: tests pass their own
 * output sinks, environment and an in-memory registry.
 */
export interface CliContext {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  openRegistry(target: RegistryTarget): RegistryHandle;
  /** Seconds between "still fitting" lines on stderr; 0 turns them off. */
  heartbeatSeconds: number;
  /** The endpoints of a running `npm start` (for --local), or null. */
  localEndpoints(): LocalEndpointsRecord | null;
  openStepFunctions(target: SfnTarget): { client: SFNClient; close(): void };
  /** How often a waiting command asks for an execution's progress. */
  pollMs: number;
  /** The systems the commands know (`smlp query`'s tables); default: systems/index.ts. */
  systems?: readonly SystemDefinition[];
}

/** One subcommand: its help text and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], context: CliContext): Promise<number>;
}
